import { describeError, serializeError, type SerializedError } from '../../../../core/errors.js';
import type { CheckpointAcknowledgement, CheckpointDecline } from '../../../../rpc/gateways/checkpoint-messages.js';
import type { TaskExecutionStateUpdate } from '../../../../rpc/gateways/job-master-gateway.js';
import { cancelThen } from '../../deployment/cancel-then.js';
import type { GraphDeployment } from '../../deployment/graph-deployment.js';
import type { RunCheckpointing } from '../run-checkpointing.js';
import type { State, StateTimers } from '../state.js';
import type { Execution } from '../../execution-graph/execution.js';
import type { FailureHandling } from './executing.js';
import type { RescaleCause, SavepointStopRequest, ToCanceling, ToExecuting, ToFailing, ToFinished, ToRestarting } from '../transitions.js';

/** What StopWithSavepoint may ask and where it may go. */
export interface StopWithSavepointContext extends ToFinished, ToExecuting, ToCanceling, ToFailing, ToRestarting, StateTimers {
  createCheckpointing(deployment: GraphDeployment, onGlobalFailure: (error: SerializedError) => void): RunCheckpointing;
  releaseSlots(deployment: GraphDeployment): void;
  /** Records the failure and asks the restart strategy. */
  handleFailure(execution: Execution | undefined, error: SerializedError): FailureHandling;
}

/**
 * Takes the synchronous savepoint that ends the job: once it is complete (and its commits are
 * done) the tasks are stopped and the job ends FINISHED; if it fails, the job keeps running.
 */
export class StopWithSavepoint implements State {
  readonly name = 'StopWithSavepoint';
  readonly jobStatus = 'RUNNING' as const;
  private readonly checkpointing: RunCheckpointing;

  constructor(
    private readonly context: StopWithSavepointContext,
    readonly deployment: GraphDeployment,
    request: SavepointStopRequest,
    resolve: (path: string) => void,
    reject: (error: Error) => void,
  ) {
    this.checkpointing = context.createCheckpointing(deployment, (error) => this.handleGlobalFailure(error));
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

  updateTaskExecutionState(update: TaskExecutionStateUpdate): boolean {
    return this.deployment.updateState(update);
  }

  acknowledgeCheckpoint(ack: CheckpointAcknowledgement): void {
    this.checkpointing.acknowledge(ack);
  }

  declineCheckpoint(decline: CheckpointDecline): void {
    this.checkpointing.decline(decline);
  }

  onLeave(): void {
    this.checkpointing.stop('left stop-with-savepoint');
  }

  cancel(): void {
    this.context.goToCanceling(this.deployment);
  }

  suspend(): void {
    cancelThen(this.deployment, () => undefined);
    this.context.releaseSlots(this.deployment);
    this.context.goToFinished({ status: 'SUSPENDED' });
  }

  /** A task failed during the savepoint: the restart strategy decides, as in Executing. */
  onFailure(execution: Execution | undefined, error: SerializedError): void {
    const handling = this.context.handleFailure(execution, error);
    if (handling.restart) this.context.goToRestarting(this.deployment, handling.backoffMs, 'failure', error);
    else this.context.goToFailing(this.deployment, error);
  }

  handleGlobalFailure(error: SerializedError): void {
    this.onFailure(undefined, error);
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
