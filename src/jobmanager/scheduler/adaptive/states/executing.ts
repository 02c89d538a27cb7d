import type { SerializedError } from '../../../../core/errors.js';
import type { CheckpointAcknowledgement, CheckpointDecline } from '../../../../rpc/gateways/checkpoint-messages.js';
import type { TaskExecutionStateUpdate } from '../../../../rpc/gateways/job-master-gateway.js';
import type { Allocation } from '../../../slotpool/slot-pool.js';
import { cancelThen } from '../../deployment/cancel-then.js';
import type { GraphDeployment } from '../../deployment/graph-deployment.js';
import type { Execution } from '../../execution-graph/execution.js';
import type { RunCheckpointing } from '../run-checkpointing.js';
import type { State, StateTimers } from '../state.js';
import { getLogger } from '../../../../core/logging.js';
import type {
  RescaleCause,
  ToCanceling,
  ToFailing,
  ToFinished,
  ToRescalingOnCheckpoint,
  ToRestarting,
  ToStopWithSavepoint,
} from '../transitions.js';

const log = getLogger('jobmaster');

/** How the scheduler judges the slots now available against the running parallelism. */
export type RescaleVerdict = 'rescale' | 'too-small-increase' | 'unchanged';

/** How a failure is to be handled, by the restart strategy's word. */
export type FailureHandling = { readonly restart: true; readonly backoffMs: number } | { readonly restart: false };

/** What Executing may ask and where it may go. */
export interface ExecutingContext
  extends ToRestarting, ToRescalingOnCheckpoint, ToCanceling, ToFailing, ToFinished, ToStopWithSavepoint, StateTimers {
  createCheckpointing(deployment: GraphDeployment, onGlobalFailure: (error: SerializedError) => void): RunCheckpointing;
  judgeRescale(deployment: GraphDeployment): RescaleVerdict;
  /** Records the failure and asks the restart strategy. */
  handleFailure(execution: Execution | undefined, error: SerializedError): FailureHandling;
  releaseSlots(deployment: GraphDeployment): void;
  readonly cooldownMs: number;
  readonly executingStabilizationMs: number;
  /** Forces a rescale that misses min-parallelism-increase after this long; undefined: never. */
  readonly scalingIntervalMaxMs: number | undefined;
  /** Periodic checkpoints are configured: a planned rescale can end its run on a fresh one. */
  readonly checkpointingEnabled: boolean;
  /** A scale-up waits this long for its fresh checkpoint (rescale-trigger.max-delay); undefined: Flink 1.x, no fresh checkpoint. */
  readonly freshCheckpointDelayMs: number | undefined;
  /** Tells the TaskManagers leaving this job that it cannot move off them first: they leave the old way. */
  refuseLeaves(reason: string): void;
}

/**
 * The job runs: every subtask is deployed, checkpoints start once all run. New slots may trigger a
 * rescale (after the cooldown and stabilization, if the increase is big enough); a task failure or
 * a lost TaskManager restarts the job if the restart strategy allows; all tasks finishing ends it.
 */
export class Executing implements State {
  readonly name = 'Executing';
  readonly jobStatus = 'RUNNING' as const;
  private readonly checkpointing: RunCheckpointing;
  /** Within `cooldownMs` of entering, changes are only noted; the cooldown's end acts on them. */
  private coolingDown: boolean;
  private changedDuringCooldown = false;
  private forcedRescaleArmed = false;
  private stabilizationGeneration = 0;
  /** Why the next rescale happens; set by the event that asked for it. */
  private pendingCause: RescaleCause = 'taskmanager-joined';

  constructor(
    private readonly context: ExecutingContext,
    readonly deployment: GraphDeployment,
    private lossCause: () => RescaleCause,
  ) {
    this.checkpointing = context.createCheckpointing(deployment, (error) => this.handleGlobalFailure(error));
    this.coolingDown = context.cooldownMs > 0;
    if (this.coolingDown) context.runIfState(this, () => this.endCooldown(), context.cooldownMs);
    context.runIfState(this, () => this.start(), 0);
    // Slots may have appeared while the graph was being created.
    context.runIfState(this, () => this.onNewResources(), 0);
  }

  onAllRunning(): void {
    this.checkpointing.start();
  }

  onAllFinished(): void {
    this.checkpointing.stop('the job finished');
    this.context.releaseSlots(this.deployment);
    this.context.goToFinished({ status: 'FINISHED' });
  }

  onFailure(execution: Execution | undefined, error: SerializedError): void {
    const handling = this.context.handleFailure(execution, error);
    this.checkpointing.stop('a task failed');
    if (handling.restart) this.context.goToRestarting(this.deployment, handling.backoffMs, this.lossCause(), error);
    else this.context.goToFailing(this.deployment, error);
  }

  updateTaskExecutionState(update: TaskExecutionStateUpdate): boolean {
    return this.deployment.updateState(update);
  }

  onAllocationsLost(lost: readonly Allocation[], reason: string): void {
    this.deployment.onAllocationsLost(lost, reason);
  }

  acknowledgeCheckpoint(ack: CheckpointAcknowledgement): void {
    this.checkpointing.acknowledge(ack);
  }

  declineCheckpoint(decline: CheckpointDecline): void {
    this.checkpointing.decline(decline);
  }

  triggerSavepoint(targetDirectory: string | undefined): Promise<string> {
    return this.checkpointing.triggerSavepoint(targetDirectory, 'SAVEPOINT');
  }

  stopWithSavepoint(targetDirectory: string | undefined, drain = false): Promise<string> {
    return new Promise((resolve, reject) => {
      this.checkpointing.stop('stopping with a savepoint');
      this.context.goToStopWithSavepoint(this.deployment, { targetDirectory, drain }, resolve, reject);
    });
  }

  /** Slots appeared (or requirements changed): rescale now, later, or not at all. */
  onNewResources(cause: RescaleCause = 'taskmanager-joined'): void {
    this.pendingCause = cause;
    if (this.coolingDown) {
      this.changedDuringCooldown = true;
      return;
    }
    const stabilization = this.context.executingStabilizationMs;
    if (stabilization <= 0) {
      this.maybeRescale(false);
      return;
    }
    // Each change restarts the stabilization window; only the last one acts.
    const generation = ++this.stabilizationGeneration;
    this.context.runIfState(
      this,
      () => {
        if (generation === this.stabilizationGeneration) this.maybeRescale(false);
      },
      stabilization,
    );
  }

  /**
   * A TaskManager running some of this job's tasks announced it is leaving: take a checkpoint and
   * move off it before it exits, within `deadlineMs`. Without checkpoints there is nothing to move
   * with, so it leaves as before and its loss restarts the job.
   */
  onTaskManagerLeaving(deadlineMs: number): void {
    if (!this.context.checkpointingEnabled) {
      const why = 'checkpointing is disabled, so the job cannot move off it with a checkpoint';
      log.info(`A TaskManager running tasks of this job is leaving; ${why}: its loss will restart the job.`);
      this.context.refuseLeaves(why);
      return;
    }
    this.checkpointing.stop('a TaskManager is leaving');
    this.context.goToRescalingOnCheckpoint(this.deployment, 'taskmanager-stopped', 'leave', deadlineMs);
  }

  onLeave(): void {
    this.checkpointing.stop('the job left the running state');
  }

  cancel(): void {
    this.checkpointing.stop('the job is being canceled');
    this.context.goToCanceling(this.deployment);
  }

  suspend(): void {
    // The JobManager is going away: the tasks are told to stop, but nobody waits for them.
    this.checkpointing.stop('the job is suspended');
    cancelThen(this.deployment, () => undefined);
    this.context.releaseSlots(this.deployment);
    this.context.goToFinished({ status: 'SUSPENDED' });
  }

  handleGlobalFailure(error: SerializedError): void {
    this.onFailure(undefined, error);
  }

  private start(): void {
    // Back from a failed stop-with-savepoint the tasks already run: deploying them again would
    // duplicate them, and the deployment reports "all running" only once.
    if (this.deployment.graph.allInState('CREATED')) this.deployment.deploy();
    else if (this.deployment.graph.allInState('RUNNING', 'FINISHED')) this.checkpointing.start();
  }

  private endCooldown(): void {
    this.coolingDown = false;
    if (this.changedDuringCooldown) this.onNewResources(this.pendingCause);
  }

  private maybeRescale(forced: boolean): void {
    const verdict = this.context.judgeRescale(this.deployment);
    if (verdict === 'rescale' || (forced && verdict === 'too-small-increase')) {
      this.checkpointing.stop('rescaling');
      const delay = this.context.freshCheckpointDelayMs;
      if (delay !== undefined && this.context.checkpointingEnabled)
        this.context.goToRescalingOnCheckpoint(this.deployment, this.pendingCause, 'scale-up', delay);
      else this.context.goToRestarting(this.deployment, 0, this.pendingCause, undefined);
    } else if (verdict === 'too-small-increase' && this.context.scalingIntervalMaxMs !== undefined && !this.forcedRescaleArmed) {
      this.forcedRescaleArmed = true;
      this.context.runIfState(
        this,
        () => {
          this.forcedRescaleArmed = false;
          this.maybeRescale(true);
        },
        this.context.scalingIntervalMaxMs,
      );
    }
  }
}
