import type { JobId } from '../../core/ids.js';
import type { SerializedError } from '../../core/errors.js';
import type { JobGraph } from '../../jobgraph/job-graph.js';
import type { RestartStrategy } from '../failover/restart-strategy.js';
import type { ExceptionHistory } from '../jobmaster/exception-history.js';
import type { JobStatusTracker } from '../jobmaster/job-status-tracker.js';
import type { SlotPool } from '../slotpool/slot-pool.js';
import type { DeploymentSettings } from './deployment/deployment-builder.js';
import type { Execution } from './execution-graph/execution.js';

/** What every scheduler of a job is given by its JobMaster. */
export interface SchedulerContext {
  readonly jobId: JobId;
  readonly graph: JobGraph;
  readonly slotPool: SlotPool;
  readonly status: JobStatusTracker;
  readonly exceptions: ExceptionHistory;
  readonly deployment: DeploymentSettings;
  readonly restartStrategy: RestartStrategy;
  /** `parallelism.default` of the cluster. */
  readonly defaultParallelism: number;
  /** `slot.request.timeout` in ms. */
  readonly slotRequestTimeoutMs: number;
}

/** Records a failure in the exception history with the task it came from. */
export function recordFailure(context: SchedulerContext, execution: Execution | undefined, error: SerializedError): void {
  const taskManager = execution?.allocation?.taskManager;
  context.exceptions.add(
    error,
    execution === undefined
      ? undefined
      : {
          name: execution.taskName,
          taskManagerId: taskManager?.resourceId,
          endpoint: taskManager?.registration.dataAddress,
        },
  );
}
