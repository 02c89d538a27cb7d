import { detach } from '../../../core/detach.js';
import { describeError } from '../../../core/errors.js';
import { getLogger } from '../../../core/logging.js';
import type { GraphDeployment } from './graph-deployment.js';

const log = getLogger('scheduler');

/**
 * Cancels every task of `deployment`, then runs `whenStopped`, also when cancelling failed: the
 * tasks are then gone or unreachable, and the job must still reach its next state instead of
 * waiting forever (or crashing the JobManager with an unhandled rejection).
 */
export function cancelThen(deployment: GraphDeployment, whenStopped: () => void): void {
  const cancelled = deployment.cancel().then(whenStopped, (error: unknown) => {
    log.warn(`Canceling the tasks of job ${deployment.graph.jobId} failed (${describeError(error)}); going on as if they had stopped.`);
    whenStopped();
  });
  detach(cancelled, (error) =>
    log.error(`The job ${deployment.graph.jobId} could not leave its state after its tasks stopped: ${describeError(error)}`, error),
  );
}
