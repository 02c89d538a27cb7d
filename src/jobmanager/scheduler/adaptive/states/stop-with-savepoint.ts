import { describeError, serializeError } from '../../../../core/errors.js';
import type { GraphDeployment } from '../../deployment/graph-deployment.js';
import { RunningGraphState, type RunningGraphContext } from '../running-graph-state.js';
import type { RescaleCause, SavepointStopRequest, ToExecuting } from '../transitions.js';

/** What StopWithSavepoint may ask and where it may go. */
export interface StopWithSavepointContext extends RunningGraphContext, ToExecuting {}

/**
 * Takes the synchronous savepoint that ends the job: once it is complete (and its commits are
 * done) the tasks are stopped and the job ends FINISHED; if it fails, the job keeps running.
 */
export class StopWithSavepoint extends RunningGraphState {
  readonly name = 'StopWithSavepoint';
  readonly jobStatus = 'RUNNING' as const;
  declare protected readonly context: StopWithSavepointContext;

  constructor(
    context: StopWithSavepointContext,
    deployment: GraphDeployment,
    request: SavepointStopRequest,
    resolve: (path: string) => void,
    reject: (error: Error) => void,
  ) {
    super(context, deployment);
    context.runIfState(
      this,
      () => {
        this.checkpointing.triggerSavepoint(request.targetDirectory, 'SYNC_SAVEPOINT', request.drain).then(
          (path) => this.finishWith(path, resolve),
          (error: unknown) => {
            reject(error instanceof Error ? error : new Error(describeError(error)));
            context.runIfState(this, () => context.goToExecuting(deployment, 'failure' satisfies RescaleCause), 0);
          },
        );
      },
      0,
    );
  }

  private finishWith(path: string, resolve: (path: string) => void): void {
    void this.deployment.cancel().then(
      () => {
        this.context.releaseSlots(this.deployment);
        resolve(path);
        this.context.runIfState(this, () => this.context.goToFinished({ status: 'FINISHED' }), 0);
      },
      (error: unknown) => this.handleGlobalFailure(serializeError(error)),
    );
  }
}
