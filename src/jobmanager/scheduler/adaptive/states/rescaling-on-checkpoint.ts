import { describeError, type SerializedError } from '../../../../core/errors.js';
import { getLogger } from '../../../../core/logging.js';
import type { CheckpointAcknowledgement, CheckpointDecline } from '../../../../rpc/gateways/checkpoint-messages.js';
import type { TaskExecutionStateUpdate } from '../../../../rpc/gateways/job-master-gateway.js';
import { cancelThen } from '../../deployment/cancel-then.js';
import type { GraphDeployment } from '../../deployment/graph-deployment.js';
import type { Execution } from '../../execution-graph/execution.js';
import type { RunCheckpointing } from '../run-checkpointing.js';
import type { State, StateTimers } from '../state.js';
import type { PlannedRescale, RescaleCause, ToCanceling, ToExecuting, ToFailing, ToFinished, ToRestarting } from '../transitions.js';
import type { FailureHandling } from './executing.js';

const log = getLogger('jobmaster');

/** What RescalingOnCheckpoint may ask and where it may go. */
export interface RescalingOnCheckpointContext extends ToRestarting, ToExecuting, ToCanceling, ToFailing, ToFinished, StateTimers {
  createCheckpointing(deployment: GraphDeployment, onGlobalFailure: (error: SerializedError) => void): RunCheckpointing;
  releaseSlots(deployment: GraphDeployment): void;
  /** Records the failure and asks the restart strategy. */
  handleFailure(execution: Execution | undefined, error: SerializedError): FailureHandling;
  /** Tells the TaskManagers leaving this job that it cannot move off them first: they leave the old way. */
  refuseLeaves(reason: string): void;
}

/**
 * A planned rescale (slots appeared, or a TaskManager announced it is leaving) ends the run on a
 * checkpoint taken for it: the sources stop after its barrier, and once it is complete the job is
 * restarted from it without back-off, so nothing is replayed. If it does not complete by the
 * deadline, or fails, the rescale takes the old path: a scale-up restores the latest completed
 * checkpoint anyway; a TaskManager leave is refused, the run goes on, and the TaskManager's exit is
 * handled as a loss.
 */
export class RescalingOnCheckpoint implements State {
  readonly name = 'RescalingOnCheckpoint';
  readonly jobStatus = 'RUNNING' as const;
  private readonly checkpointing: RunCheckpointing;
  private triggered = false;

  constructor(
    private readonly context: RescalingOnCheckpointContext,
    readonly deployment: GraphDeployment,
    private readonly cause: RescaleCause,
    private readonly reason: PlannedRescale,
    deadlineMs: number,
  ) {
    this.checkpointing = context.createCheckpointing(deployment, (error) => this.handleGlobalFailure(error));
    context.runIfState(this, () => this.fallBack(`no checkpoint completed within ${deadlineMs} ms`), deadlineMs);
    context.runIfState(
      this,
      () => {
        // Tasks still deploying cannot take the checkpoint yet; onAllRunning triggers it then.
        if (deployment.graph.allInState('RUNNING', 'FINISHED')) this.trigger();
      },
      0,
    );
  }

  onAllRunning(): void {
    this.trigger();
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
    // Aborts the checkpoint if it is still pending, which lets halted sources go on.
    this.checkpointing.stop('left the rescale on a checkpoint');
  }

  cancel(): void {
    this.context.goToCanceling(this.deployment);
  }

  suspend(): void {
    cancelThen(this.deployment, () => undefined);
    this.context.releaseSlots(this.deployment);
    this.context.goToFinished({ status: 'SUSPENDED' });
  }

  /** A task failed (or a TaskManager was lost) meanwhile: the restart strategy decides, as in Executing. */
  onFailure(execution: Execution | undefined, error: SerializedError): void {
    const handling = this.context.handleFailure(execution, error);
    if (handling.restart) this.context.goToRestarting(this.deployment, handling.backoffMs, 'failure', error);
    else this.context.goToFailing(this.deployment, error);
  }

  handleGlobalFailure(error: SerializedError): void {
    this.onFailure(undefined, error);
  }

  private trigger(): void {
    if (this.triggered) return;
    this.triggered = true;
    this.checkpointing.triggerRescaleCheckpoint().then(
      (id) => this.context.runIfState(this, () => this.rescaleFrom(id), 0),
      (error: unknown) => this.context.runIfState(this, () => this.fallBack(`the checkpoint failed: ${describeError(error)}`), 0),
    );
  }

  private rescaleFrom(checkpointId: number): void {
    log.info(`Checkpoint ${checkpointId} is complete; rescaling (${this.reason}) from it, with nothing to replay.`);
    this.context.goToRestarting(this.deployment, 0, this.cause, undefined);
  }

  private fallBack(why: string): void {
    if (this.reason === 'scale-up') {
      log.warn(`Rescaling from the latest completed checkpoint instead of a fresh one: ${why}.`);
      this.context.goToRestarting(this.deployment, 0, this.cause, undefined);
      return;
    }
    log.warn(`The job keeps running on the leaving TaskManager(s), which will leave as if lost: ${why}.`);
    this.context.refuseLeaves(why);
    this.context.goToExecuting(this.deployment, this.cause);
  }
}
