import { describeError } from '../../../../core/errors.js';
import { getLogger } from '../../../../core/logging.js';
import type { GraphDeployment } from '../../deployment/graph-deployment.js';
import { RunningGraphState, type RunningGraphContext } from '../running-graph-state.js';
import type { PlannedRescale, RescaleCause, ToExecuting } from '../transitions.js';

const log = getLogger('jobmaster');

/** What RescalingOnCheckpoint may ask and where it may go. */
export interface RescalingOnCheckpointContext extends RunningGraphContext, ToExecuting {
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
export class RescalingOnCheckpoint extends RunningGraphState {
  readonly name = 'RescalingOnCheckpoint';
  readonly jobStatus = 'RUNNING' as const;
  declare protected readonly context: RescalingOnCheckpointContext;
  private triggered = false;
  /** The deadline was pushed back once for a checkpoint still being written. */
  private extended = false;

  constructor(
    context: RescalingOnCheckpointContext,
    deployment: GraphDeployment,
    private readonly cause: RescaleCause,
    private readonly reason: PlannedRescale,
    deadlineMs: number,
  ) {
    super(context, deployment);
    context.runIfState(this, () => this.deadlinePassed(deadlineMs), deadlineMs);
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

  private trigger(): void {
    if (this.triggered) return;
    this.triggered = true;
    this.checkpointing.triggerRescaleCheckpoint().then(
      (id) => this.context.runIfState(this, () => this.rescaleFrom(id), 0),
      (error: unknown) => this.context.runIfState(this, () => this.fallBack(`the checkpoint failed: ${describeError(error)}`), 0),
    );
  }

  /**
   * A scale-up whose checkpoint is still being written has its sources halted already: falling back
   * now would add a replay to the outage. It waits once more, as long as the latest completed
   * checkpoint took, before it restores that one instead.
   */
  private deadlinePassed(deadlineMs: number): void {
    const extra = this.checkpointing.lastCompletedDurationMs;
    if (this.reason === 'scale-up' && this.triggered && !this.extended && extra !== undefined && extra > 0) {
      this.extended = true;
      log.info(
        `The checkpoint for the rescale is not complete after ${deadlineMs} ms and the sources are halted; waiting up to ${extra} ms more (what the latest checkpoint took) rather than replay from an older one.`,
      );
      this.context.runIfState(this, () => this.fallBack(`no checkpoint completed within ${deadlineMs + extra} ms`), extra);
      return;
    }
    this.fallBack(`no checkpoint completed within ${deadlineMs} ms`);
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
