import type { ExecutionAttemptId, ResourceId } from '../../../core/ids.js';
import { hasErrorCode } from '../../../core/error-codes.js';
import type { SerializedError } from '../../../core/errors.js';
import { markCorrupt, shutDownStoreThen } from '../checkpointing/checkpoint-housekeeping.js';
import { isUnrecoverable } from '../failure-classification.js';
import { getLogger } from '../../../core/logging.js';
import type { CheckpointAcknowledgement, CheckpointDecline } from '../../../rpc/gateways/checkpoint-messages.js';
import type { TaskExecutionStateUpdate } from '../../../rpc/gateways/job-master-gateway.js';
import { runAttemptsOf, type RescaleTimeline } from '../../jobmaster/rescale-timeline.js';
import type { TaskManagerLossCause } from '../../resourcemanager/registered-task-manager.js';
import type { Allocation, SlotPoolListener } from '../../slotpool/slot-pool.js';
import type { JobCheckpointing } from '../checkpointing/job-checkpointing.js';
import type { GraphDeployment, RestoreAssignment } from '../deployment/graph-deployment.js';
import type { Execution } from '../execution-graph/execution.js';
import type { ExecutionGraph } from '../execution-graph/execution-graph.js';
import type { JobStatus } from '../../../rest/types/job-status.js';
import { recordFailure, type SchedulerContext } from '../scheduler-context.js';
import type { JobResult, SchedulerNG } from '../scheduler-ng.js';
import type { AdaptiveResources } from './adaptive-resources.js';
import { createDeployment } from './deployment-factory.js';
import type { AdaptiveSchedulerSettings } from './adaptive-scheduler-settings.js';
import type { FailoverStrategy } from './region-failover.js';
import type { State } from './state.js';
import { StateTimers } from './state-timers.js';
import { Canceling } from './states/canceling.js';
import { Created } from './states/created.js';
import { CreatingExecutionGraph, type DeploymentPlanResult } from './states/creating-execution-graph.js';
import { Executing, type FailureHandling, type RescaleVerdict } from './states/executing.js';
import { Failing } from './states/failing.js';
import { Finished } from './states/finished.js';
import { RescalingOnCheckpoint } from './states/rescaling-on-checkpoint.js';
import { Restarting } from './states/restarting.js';
import { StopWithSavepoint } from './states/stop-with-savepoint.js';
import { WaitingForResources } from './states/waiting-for-resources.js';
import type { PlannedRescale, RescaleCause, SavepointStopRequest } from './transitions.js';

const log = getLogger('jobmaster');

const LOSS_CAUSES: Record<TaskManagerLossCause, RescaleCause> = {
  'socket-closed': 'taskmanager-lost-socket',
  'heartbeat-timeout': 'taskmanager-lost-heartbeat',
  stopped: 'taskmanager-stopped',
  're-registered': 'taskmanager-lost-socket',
  shutdown: 'taskmanager-stopped',
};

/**
 * Flink's Adaptive Scheduler: one State object at a time, switched only through `transitionTo`
 * (never re-entrantly, never into the same state), every delayed action guarded by "still in that
 * state". It implements every state's narrow context; the states decide, it provides the means.
 */
export class AdaptiveScheduler implements SchedulerNG, SlotPoolListener {
  readonly schedulerType = 'Adaptive' as const;
  private state: State;
  /** Timers armed by each state; cleared when it is left so a finished job holds no timers. */
  private readonly stateTimers = new StateTimers(() => this.state);
  private transitioning = false;
  private lastLossCause: RescaleCause | undefined;
  private readonly terminated: Promise<JobResult>;
  private resolveTerminated!: (result: JobResult) => void;

  constructor(
    private readonly context: SchedulerContext,
    readonly resources: AdaptiveResources,
    readonly checkpointing: JobCheckpointing,
    private readonly settings: AdaptiveSchedulerSettings,
    readonly timeline: RescaleTimeline,
  ) {
    this.state = new Created(this);
    this.terminated = new Promise((resolve) => {
      this.resolveTerminated = resolve;
    });
  }

  get currentState(): State {
    return this.state;
  }

  // ---- SchedulerNG ----
  startScheduling(): void {
    this.context.slotPool.addListener(this.context.jobId, this);
    // An elastic job shares the slots with the other elastic jobs of a session cluster (see SlotShares).
    this.context.slotPool.addElasticJob(this.context.jobId, () => this.resources.shareDemand());
    if (this.state instanceof Created) this.state.startScheduling();
  }

  cancel(): void {
    this.state.cancel();
  }
  suspend(reason: string): void {
    log.info(`Suspending job ${this.context.jobId}: ${reason}`);
    this.state.suspend(reason);
  }
  status(): JobStatus {
    return this.context.status.status;
  }
  whenTerminated(): Promise<JobResult> {
    return this.terminated;
  }

  updateTaskExecutionState(update: TaskExecutionStateUpdate): boolean {
    const state = this.state;
    if (state instanceof Executing || state instanceof StopWithSavepoint || state instanceof RescalingOnCheckpoint)
      return state.updateTaskExecutionState(update);
    if ('deployment' in state) return (state.deployment as GraphDeployment).updateState(update);
    return false;
  }

  acknowledgeCheckpoint(ack: CheckpointAcknowledgement): void {
    const state = this.state;
    if (state instanceof Executing || state instanceof StopWithSavepoint || state instanceof RescalingOnCheckpoint)
      state.acknowledgeCheckpoint(ack);
  }

  declineCheckpoint(decline: CheckpointDecline): void {
    const state = this.state;
    if (state instanceof Executing || state instanceof StopWithSavepoint || state instanceof RescalingOnCheckpoint)
      state.declineCheckpoint(decline);
  }

  attemptsOn(resourceId: ResourceId): ExecutionAttemptId[] {
    const state = this.state;
    return 'deployment' in state ? (state.deployment as GraphDeployment).attemptsOn(resourceId) : [];
  }

  currentGraph(): ExecutionGraph | undefined {
    const state = this.state;
    return 'deployment' in state ? (state.deployment as GraphDeployment).graph : undefined;
  }

  /** Takes a savepoint of the running job; fails when the job is not running. */
  triggerSavepoint(targetDirectory: string | undefined): Promise<string> {
    const state = this.state;
    if (!(state instanceof Executing)) return Promise.reject(new Error('The Flink job is currently not executing.'));
    return state.triggerSavepoint(targetDirectory);
  }

  /** Takes a savepoint and stops the job with it. */
  stopWithSavepoint(targetDirectory: string | undefined, drain = false): Promise<string> {
    const state = this.state;
    if (!(state instanceof Executing)) return Promise.reject(new Error('The Flink job is currently not executing.'));
    return state.stopWithSavepoint(targetDirectory, drain);
  }

  /** New per-vertex bounds from REST; a running job rescales to them. */
  updateResourceRequirements(requirements: AdaptiveResources['requirements']): void {
    this.resources.requirements = requirements;
    const state = this.state;
    if (state instanceof Executing) state.onNewResources('requirements-changed');
    else if (state instanceof WaitingForResources) state.onNewResources();
  }

  // ---- SlotPoolListener ----
  onSlotsAvailable(): void {
    const state = this.state;
    if (state instanceof WaitingForResources) state.onNewResources();
    else if (state instanceof Executing) state.onNewResources('taskmanager-joined');
  }

  onAllocationsLost(lost: readonly Allocation[], cause: TaskManagerLossCause, reason: string): void {
    this.lastLossCause = LOSS_CAUSES[cause];
    const state = this.state;
    if (state instanceof Executing) state.onAllocationsLost(lost, reason);
    else if ('deployment' in state) (state.deployment as GraphDeployment).onAllocationsLost(lost, reason);
  }

  onTaskManagerLeaving(_held: readonly Allocation[], deadlineMs: number): void {
    // Other states are moving off every slot already (or hold none); the leave is answered when they are released.
    const state = this.state;
    if (state instanceof Executing) state.onTaskManagerLeaving(deadlineMs);
  }

  // ---- state contexts ----
  runIfState(state: State, action: () => void, delayMs: number): void {
    this.stateTimers.runIfState(state, action, delayMs);
  }

  /** Delayed state actions not yet run (of any state): zero once everything a state scheduled has happened. */
  get pendingStateActions(): number {
    return this.stateTimers.pending;
  }

  get resourceWaitTimeoutMs(): number {
    return this.settings.resourceWaitTimeoutMs;
  }
  get resourceStabilizationTimeoutMs(): number {
    return this.settings.resourceStabilizationTimeoutMs;
  }
  get cooldownMs(): number {
    return this.settings.cooldownMs;
  }
  get executingStabilizationMs(): number {
    return this.settings.executingStabilizationMs;
  }
  get scalingIntervalMaxMs(): number | undefined {
    return this.settings.scalingIntervalMaxMs;
  }
  get freshCheckpointDelayMs(): number | undefined {
    return this.settings.freshCheckpointDelayMs;
  }
  get checkpointingEnabled(): boolean {
    return this.checkpointing.enabled;
  }
  refuseLeaves(reason: string): void {
    this.context.slotPool.refuseLeaves(this.context.jobId, reason);
  }

  get failoverStrategy(): FailoverStrategy {
    return this.settings.failoverStrategy;
  }
  restoreFor(graph: ExecutionGraph): RestoreAssignment | undefined {
    // The graph was built for the checkpoint's max parallelism already, so nothing is derived any more.
    return this.checkpointing.restoreInto(graph, () => false)?.tasks;
  }
  countRegionRestart(): void {
    this.timeline.regionRestarted();
  }

  hasDesiredResources(): boolean {
    return this.resources.hasDesiredResources();
  }
  hasSufficientResources(): boolean {
    return this.resources.hasSufficientResources();
  }
  judgeRescale(deployment: GraphDeployment): RescaleVerdict {
    const verdict = this.resources.judgeRescale(deployment.graph);
    if (verdict === 'too-small-increase') {
      // Said once per decision, so a user who added a TaskManager learns why the job did not grow.
      log.info(
        `Not rescaling job ${this.context.jobId}: the free slots would raise its total parallelism by less than jobmanager.adaptive-scheduler.min-parallelism-increase (${this.resources.minParallelismIncrease}).`,
      );
    }
    return verdict;
  }
  releaseSlots(deployment: GraphDeployment): void {
    this.context.slotPool.release(deployment.allocations);
  }
  reportReplay(records: number | undefined): void {
    this.timeline.reportReplay(records);
  }
  createCheckpointing(deployment: GraphDeployment, onGlobalFailure: (error: SerializedError) => void) {
    return this.checkpointing.createRun(deployment, onGlobalFailure);
  }

  handleFailure(execution: Execution | undefined, error: SerializedError): FailureHandling {
    recordFailure(this.context, execution, error);
    if (hasErrorCode(error, 'STATE_CORRUPT')) markCorrupt(this.checkpointing, this.context.jobId, error.message);
    if (isUnrecoverable(error)) {
      log.info(`Job ${this.context.jobId} cannot restart: ${error.message}`);
      return { restart: false };
    }
    const strategy = this.context.restartStrategy;
    strategy.notifyFailure(Date.now());
    if (strategy.canRestart()) return { restart: true, backoffMs: strategy.backoffTimeMs() };
    log.info(`Job ${this.context.jobId} cannot restart: ${strategy.describe()}`);
    return { restart: false };
  }

  createDeployment(previous: ExecutionGraph | undefined): DeploymentPlanResult {
    return createDeployment(this.context, this.resources, this.checkpointing, previous, {
      onAllRunning: () => {
        const s = this.state;
        if (s instanceof Executing || s instanceof RescalingOnCheckpoint) s.onAllRunning();
      },
      onAllFinished: () => {
        const s = this.state;
        if (s instanceof Executing) s.onAllFinished();
      },
      onFailure: (execution, error) => {
        const s = this.state;
        if (s instanceof Executing || s instanceof StopWithSavepoint || s instanceof RescalingOnCheckpoint) s.onFailure(execution, error);
      },
    });
  }

  // ---- transitions ----
  goToWaitingForResources(previous: ExecutionGraph | undefined, cause: RescaleCause): void {
    this.transitionTo(() => new WaitingForResources(this, previous, cause));
  }
  goToCreatingExecutionGraph(previous: ExecutionGraph | undefined, cause: RescaleCause, lastChance = false): void {
    this.transitionTo(() => new CreatingExecutionGraph(this, previous, cause, lastChance));
  }
  goToExecuting(deployment: GraphDeployment, cause: RescaleCause): void {
    const parallelism = Object.fromEntries(deployment.graph.vertices.map((v) => [v.id, v.parallelism]));
    // Back from a savepoint or a rescale that did not happen, the same run goes on.
    const sameRun = this.state instanceof StopWithSavepoint || this.state instanceof RescalingOnCheckpoint;
    if (!sameRun) this.timeline.runStarted(cause, parallelism, this.checkpointing.restoredCheckpointId, runAttemptsOf(deployment.graph));
    this.transitionTo(() => new Executing(this, deployment, () => this.takeLossCause()));
  }
  goToRescalingOnCheckpoint(deployment: GraphDeployment, cause: RescaleCause, reason: PlannedRescale, deadlineMs: number): void {
    this.transitionTo(() => new RescalingOnCheckpoint(this, deployment, cause, reason, deadlineMs));
  }
  goToRestarting(deployment: GraphDeployment, backoffMs: number, cause: RescaleCause, failure: SerializedError | undefined): void {
    this.timeline.runStopped(failure === undefined, backoffMs);
    this.transitionTo(() => new Restarting(this, deployment, backoffMs, cause));
  }
  goToCanceling(deployment: GraphDeployment): void {
    this.transitionTo(() => new Canceling(this, deployment));
  }
  goToFailing(deployment: GraphDeployment, error: SerializedError): void {
    this.transitionTo(() => new Failing(this, deployment, error));
  }
  goToStopWithSavepoint(
    deployment: GraphDeployment,
    request: SavepointStopRequest,
    resolve: (path: string) => void,
    reject: (error: Error) => void,
  ): void {
    this.transitionTo(() => new StopWithSavepoint(this, deployment, request, resolve, reject));
  }
  goToFinished(result: JobResult): void {
    if (this.state instanceof Finished) return;
    this.transitionTo(() => new Finished(result));
    this.context.slotPool.removeListener(this.context.jobId);
    this.context.slotPool.removeElasticJob(this.context.jobId);
    // Terminated once the checkpoint store has cleaned up, so an application cluster exits after it.
    shutDownStoreThen(this.checkpointing, this.context.jobId, result.status, () => this.resolveTerminated(result));
  }

  private takeLossCause(): RescaleCause {
    const cause = this.lastLossCause ?? 'failure';
    this.lastLossCause = undefined;
    return cause;
  }

  private transitionTo(create: () => State): void {
    if (this.transitioning) throw new Error(`Illegal state: a transition out of ${this.state.name} is already in progress`);
    if (this.state instanceof Finished) return;
    this.transitioning = true;
    try {
      const previous = this.state;
      previous.onLeave();
      const next = create();
      this.state = next;
      this.stateTimers.clear(previous);
      log.debug(`Transition from state ${previous.name} to ${next.name}.`);
      this.context.status.transition(next.jobStatus === 'SUSPENDED' ? this.context.status.status : next.jobStatus);
    } finally {
      this.transitioning = false;
    }
  }
}
