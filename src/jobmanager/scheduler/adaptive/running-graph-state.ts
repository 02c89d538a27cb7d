import type { SerializedError } from '../../../core/errors.js';
import type { JobStatus } from '../../../rest/types/job-status.js';
import type { CheckpointAcknowledgement, CheckpointDecline } from '../../../rpc/gateways/checkpoint-messages.js';
import type { TaskExecutionStateUpdate } from '../../../rpc/gateways/job-master-gateway.js';
import { cancelThen } from '../deployment/cancel-then.js';
import type { GraphDeployment } from '../deployment/graph-deployment.js';
import type { Execution } from '../execution-graph/execution.js';
import type { RunCheckpointing } from './run-checkpointing.js';
import type { State, StateTimers } from './state.js';
import type { FailureHandling } from './states/executing.js';
import type { ToCanceling, ToFailing, ToFinished, ToRestarting } from './transitions.js';

/** What a state that keeps a run going with checkpointing of its own may ask and where it may go. */
export interface RunningGraphContext extends ToRestarting, ToCanceling, ToFailing, ToFinished, StateTimers {
  createCheckpointing(deployment: GraphDeployment, onGlobalFailure: (error: SerializedError) => void): RunCheckpointing;
  releaseSlots(deployment: GraphDeployment): void;
  /** Records the failure and asks the restart strategy. */
  handleFailure(execution: Execution | undefined, error: SerializedError): FailureHandling;
}

/**
 * What the states that take one checkpoint of a run still going share (StopWithSavepoint,
 * RescalingOnCheckpoint): task reports go to the run, checkpoint messages to the state's own
 * checkpointing (stopped when the state is left), a failure to the restart strategy as in
 * Executing; a cancel or a suspend stops the run.
 */
export abstract class RunningGraphState implements State {
  abstract readonly name: string;
  abstract readonly jobStatus: JobStatus;
  protected readonly checkpointing: RunCheckpointing;

  constructor(
    protected readonly context: RunningGraphContext,
    readonly deployment: GraphDeployment,
  ) {
    this.checkpointing = context.createCheckpointing(deployment, (error) => this.handleGlobalFailure(error));
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
    // Aborts what is still pending: halted sources go on, a late completion is not acted on.
    this.checkpointing.stop(`left ${this.name}`);
  }

  cancel(): void {
    this.context.goToCanceling(this.deployment);
  }

  suspend(): void {
    cancelThen(this.deployment, () => undefined);
    this.context.releaseSlots(this.deployment);
    this.context.goToFinished({ status: 'SUSPENDED' });
  }

  /** A task failed meanwhile: the restart strategy decides, as in Executing. */
  onFailure(execution: Execution | undefined, error: SerializedError): void {
    const handling = this.context.handleFailure(execution, error);
    if (handling.restart) this.context.goToRestarting(this.deployment, handling.backoffMs, 'failure', error);
    else this.context.goToFailing(this.deployment, error);
  }

  handleGlobalFailure(error: SerializedError): void {
    this.onFailure(undefined, error);
  }
}
