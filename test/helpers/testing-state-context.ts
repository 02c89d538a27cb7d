import assert from 'node:assert/strict';
import type { SerializedError } from '../../src/core/errors.js';
import type { CheckpointAcknowledgement, CheckpointDecline } from '../../src/rpc/gateways/checkpoint-messages.js';
import type { TaskExecutionStateUpdate } from '../../src/rpc/gateways/job-master-gateway.js';
import type { Allocation } from '../../src/jobmanager/slotpool/slot-pool.js';
import type { RunCheckpointing } from '../../src/jobmanager/scheduler/adaptive/run-checkpointing.js';
import type { State } from '../../src/jobmanager/scheduler/adaptive/state.js';
import type { CancelingContext } from '../../src/jobmanager/scheduler/adaptive/states/canceling.js';
import type { CreatedContext } from '../../src/jobmanager/scheduler/adaptive/states/created.js';
import type {
  CreatingExecutionGraphContext,
  DeploymentPlanResult,
} from '../../src/jobmanager/scheduler/adaptive/states/creating-execution-graph.js';
import type { ExecutingContext, FailureHandling, RescaleVerdict } from '../../src/jobmanager/scheduler/adaptive/states/executing.js';
import type { FailingContext } from '../../src/jobmanager/scheduler/adaptive/states/failing.js';
import type { RescalingOnCheckpointContext } from '../../src/jobmanager/scheduler/adaptive/states/rescaling-on-checkpoint.js';
import type { RestartingContext } from '../../src/jobmanager/scheduler/adaptive/states/restarting.js';
import type { StopWithSavepointContext } from '../../src/jobmanager/scheduler/adaptive/states/stop-with-savepoint.js';
import type { WaitingForResourcesContext } from '../../src/jobmanager/scheduler/adaptive/states/waiting-for-resources.js';
import type { PlannedRescale, RescaleCause, SavepointStopRequest } from '../../src/jobmanager/scheduler/adaptive/transitions.js';
import type { FailoverStrategy } from '../../src/jobmanager/scheduler/adaptive/region-failover.js';
import { GraphDeployment, type RestoreAssignment } from '../../src/jobmanager/scheduler/deployment/graph-deployment.js';
import type { Execution } from '../../src/jobmanager/scheduler/execution-graph/execution.js';
import type { ExecutionGraph } from '../../src/jobmanager/scheduler/execution-graph/execution-graph.js';
import type { JobResult } from '../../src/jobmanager/scheduler/scheduler-ng.js';

/** A promise the test settles by hand. */
export class Deferred<T> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;
  reject!: (error: Error) => void;
  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

/** Timers on a clock that moves only when the test says so; due actions run in time order. */
export class ManualScheduler {
  private time = 0;
  private seq = 0;
  private queue: Array<{ readonly at: number; readonly seq: number; readonly action: () => void }> = [];

  get now(): number {
    return this.time;
  }
  /** Delays of the actions not run yet, relative to now, in order. */
  get pendingDelays(): number[] {
    return this.queue.map((entry) => entry.at - this.time).sort((a, b) => a - b);
  }

  schedule(action: () => void, delayMs: number): void {
    this.queue.push({ at: this.time + Math.max(0, delayMs), seq: this.seq++, action });
  }

  /** Runs every action due now, including those they schedule with delay 0. */
  runDue(): void {
    this.advance(0);
  }

  /** Moves time forward by `ms`, running what falls due on the way (also actions scheduled meanwhile). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.queue.filter((entry) => entry.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.queue.splice(this.queue.indexOf(due), 1);
      this.time = due.at;
      due.action();
    }
    this.time = end;
  }
}

/** A RunCheckpointing that records what states ask of it; savepoints settle when the test says. */
export class TestingRunCheckpointing implements RunCheckpointing {
  starts = 0;
  readonly stops: string[] = [];
  readonly messages: Array<CheckpointAcknowledgement | CheckpointDecline> = [];
  readonly savepointRequests: Array<{
    readonly targetDirectory: string | undefined;
    readonly kind: 'SAVEPOINT' | 'SYNC_SAVEPOINT';
    readonly drain: boolean;
  }> = [];
  readonly savepoint = new Deferred<string>();
  /** Rescale checkpoints asked for; each gets `rescaleCheckpoint`'s outcome. */
  rescaleCheckpointRequests = 0;
  readonly rescaleCheckpoint = new Deferred<number>();

  /** `onGlobalFailure` is what the state passed: calling it is a checkpoint failing the job. */
  constructor(readonly onGlobalFailure: (error: SerializedError) => void) {}

  get stopped(): boolean {
    return this.stops.length > 0;
  }
  start(): void {
    this.starts++;
  }
  stop(reason: string): void {
    this.stops.push(reason);
  }
  readonly pauses: string[] = [];
  finalizing = false;
  lastCompletedDurationMs: number | undefined = undefined;
  pause(reason: string): void {
    this.pauses.push(reason);
  }
  acknowledge(ack: CheckpointAcknowledgement): void {
    this.messages.push(ack);
  }
  decline(decline: CheckpointDecline): void {
    this.messages.push(decline);
  }
  triggerRescaleCheckpoint(): Promise<number> {
    this.rescaleCheckpointRequests++;
    return this.rescaleCheckpoint.promise;
  }
  triggerSavepoint(targetDirectory: string | undefined, kind: 'SAVEPOINT' | 'SYNC_SAVEPOINT', drain = false): Promise<string> {
    this.savepointRequests.push({ targetDirectory, kind, drain });
    return this.savepoint.promise;
  }
}

const NO_EVENTS = { onAllRunning: () => {}, onAllFinished: () => {}, onFailure: () => {} };
/** Deployment settings of testing runs: what they say does not matter to the scheduler's states. */
export const TESTING_DEPLOYMENT_SETTINGS = {
  jobName: 'test',
  checkpointing: { enabled: false, mode: 'EXACTLY_ONCE', checkpointDirectory: undefined },
  bufferTimeoutMs: 100,
  autoWatermarkIntervalMs: 200,
} as const;

/**
 * A GraphDeployment over a real graph and slots that talks to no TaskManager: it counts deploys,
 * records state reports and lost slots, and its cancellation completes when the test says.
 */
export class TestingGraphDeployment extends GraphDeployment {
  deployCalls = 0;
  cancelCalls = 0;
  readonly updates: TaskExecutionStateUpdate[] = [];
  readonly lostAllocations: Array<{ readonly lost: readonly Allocation[]; readonly reason: string }> = [];
  readonly canceled = new Deferred<void>();

  constructor(graph: ExecutionGraph, allocations: readonly Allocation[]) {
    super(graph, allocations, TESTING_DEPLOYMENT_SETTINGS, undefined, NO_EVENTS);
  }

  override deploy(): void {
    this.deployCalls++;
  }
  override cancel(): Promise<void> {
    this.cancelCalls++;
    return this.canceled.promise;
  }
  override updateState(update: TaskExecutionStateUpdate): boolean {
    this.updates.push(update);
    return true;
  }
  override onAllocationsLost(lost: readonly Allocation[], reason: string): void {
    this.lostAllocations.push({ lost, reason });
  }

  /** Moves every execution to `state`, as if the TaskManagers had reported it. */
  setAll(state: Execution['state']): void {
    for (const execution of this.graph.executions()) execution.transitionTo(state);
  }
}

/** A transition a state asked for, with everything it passed. */
export type Transition =
  | { readonly to: 'WaitingForResources'; readonly previous: ExecutionGraph | undefined; readonly cause: RescaleCause }
  | {
      readonly to: 'CreatingExecutionGraph';
      readonly previous: ExecutionGraph | undefined;
      readonly cause: RescaleCause;
      readonly lastChance: boolean;
    }
  | { readonly to: 'Executing'; readonly deployment: GraphDeployment; readonly cause: RescaleCause }
  | {
      readonly to: 'Restarting';
      readonly deployment: GraphDeployment;
      readonly backoffMs: number;
      readonly cause: RescaleCause;
      readonly failure: SerializedError | undefined;
    }
  | {
      readonly to: 'RescalingOnCheckpoint';
      readonly deployment: GraphDeployment;
      readonly cause: RescaleCause;
      readonly reason: PlannedRescale;
      readonly deadlineMs: number;
    }
  | { readonly to: 'Canceling'; readonly deployment: GraphDeployment }
  | { readonly to: 'Failing'; readonly deployment: GraphDeployment; readonly error: SerializedError }
  | {
      readonly to: 'StopWithSavepoint';
      readonly deployment: GraphDeployment;
      readonly request: SavepointStopRequest;
      readonly resolve: (path: string) => void;
      readonly reject: (error: Error) => void;
    }
  | { readonly to: 'Finished'; readonly result: JobResult };

/** The name of a state a transition leads to. */
export type TransitionTarget = Transition['to'];

/** The transition of one target, narrowed. */
export type TransitionTo<K extends TransitionTarget> = Extract<Transition, { readonly to: K }>;

/**
 * Flink's StateValidator: a test declares the one transition it expects (and what to check about
 * it); any other transition, a second one, or none at `close()` fails the test.
 */
class StateValidator {
  private expected: { readonly to: TransitionTarget; readonly check: (transition: Transition) => void } | undefined;
  readonly happened: Transition[] = [];
  readonly violations: string[] = [];

  expect<K extends TransitionTarget>(to: K, check: (transition: TransitionTo<K>) => void): void {
    assert.equal(this.expected, undefined, 'a test expects exactly one transition');
    this.expected = { to, check: check as (transition: Transition) => void };
  }

  /** Records a transition; throws (and remembers) when it was not the one expected. */
  validate(transition: Transition): void {
    this.happened.push(transition);
    const problem =
      this.happened.length > 1
        ? `a second transition, to ${transition.to}, after the one to ${this.happened[0]!.to}`
        : this.expected === undefined
          ? `an unexpected transition to ${describe(transition)}`
          : this.expected.to !== transition.to
            ? `a transition to ${describe(transition)} where one to ${this.expected.to} was expected`
            : undefined;
    if (problem !== undefined) {
      this.violations.push(problem);
      throw new assert.AssertionError({ message: problem });
    }
    try {
      this.expected!.check(transition);
    } catch (error) {
      // A failed check inside a promise continuation would otherwise go unnoticed.
      this.violations.push(`the transition to ${transition.to} failed its check: ${String(error)}`);
      throw error;
    }
  }

  close(): void {
    assert.deepEqual(this.violations, [], 'every transition must be the one expected');
    if (this.expected !== undefined) {
      assert.equal(this.happened.length, 1, `expected a transition to ${this.expected.to}, but none happened`);
    }
  }
}

function describe(transition: Transition): string {
  return transition.to === 'Finished' ? `Finished (${transition.result.status})` : transition.to;
}

/**
 * Implements every state's context for unit tests: answers are plain fields the test sets,
 * timers run on a manual scheduler the test advances, and transitions go through a
 * StateValidator. Like the scheduler, it calls `onLeave` of the entered state on a transition,
 * and drops timers of a state once it has been left.
 */
export class TestingStateContext
  implements
    CreatedContext,
    WaitingForResourcesContext,
    CreatingExecutionGraphContext,
    ExecutingContext,
    RestartingContext,
    RescalingOnCheckpointContext,
    CancelingContext,
    FailingContext,
    StopWithSavepointContext
{
  readonly scheduler = new ManualScheduler();
  private readonly validator = new StateValidator();
  private current: State | undefined;

  resourceWaitTimeoutMs = -1;
  resourceStabilizationTimeoutMs = 0;
  cooldownMs = 0;
  executingStabilizationMs = 0;
  scalingIntervalMaxMs: number | undefined = undefined;
  checkpointingEnabled = false;
  freshCheckpointDelayMs: number | undefined = undefined;
  /** Why the state refused the leaves of TaskManagers, in order. */
  readonly refusedLeaves: string[] = [];

  failoverStrategy: FailoverStrategy = 'full';
  /** What restoreFor answers; a function to throw or to see the graph. */
  restore: RestoreAssignment | undefined | ((graph: ExecutionGraph) => RestoreAssignment | undefined) = undefined;
  regionRestarts = 0;

  desiredResources = false;
  sufficientResources = false;
  rescaleVerdict: RescaleVerdict = 'unchanged';
  failureHandling: FailureHandling = { restart: false };
  deploymentResult: DeploymentPlanResult | undefined;

  judgeRescaleCalls = 0;
  readonly handledFailures: Array<{ readonly execution: Execution | undefined; readonly error: SerializedError }> = [];
  readonly createDeploymentCalls: Array<ExecutionGraph | undefined> = [];
  readonly releasedSlots: GraphDeployment[] = [];
  readonly replayReports: Array<number | undefined> = [];
  readonly checkpointings: TestingRunCheckpointing[] = [];

  /** Makes `state` the current one: its timers run until a transition leaves it. */
  enter<S extends State>(state: S): S {
    this.current = state;
    return state;
  }

  /** Declares the one transition the test expects; `check` asserts on what the state passed. */
  expect<K extends TransitionTarget>(to: K, check: (transition: TransitionTo<K>) => void = () => {}): void {
    this.validator.expect(to, check);
  }

  /** The transition that happened, if any. */
  get transition(): Transition | undefined {
    return this.validator.happened[0];
  }

  /** The checkpointing the state created last. */
  get checkpointing(): TestingRunCheckpointing {
    const last = this.checkpointings.at(-1);
    assert.ok(last !== undefined, 'the state created no checkpointing');
    return last;
  }

  /** Fails unless exactly the expected transition happened (or none, when none was expected). */
  close(): void {
    this.validator.close();
  }

  /** Runs what is due now, lets promise continuations run, and repeats until nothing is due. */
  async settle(): Promise<void> {
    for (let round = 0; round < 5; round++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.scheduler.runDue();
    }
  }

  runIfState(state: State, action: () => void, delayMs: number): void {
    this.scheduler.schedule(() => {
      if (this.validator.happened.length === 0 && (this.current === undefined || this.current === state)) action();
    }, delayMs);
  }

  restoreFor(graph: ExecutionGraph): RestoreAssignment | undefined {
    return typeof this.restore === 'function' ? this.restore(graph) : this.restore;
  }
  countRegionRestart(): void {
    this.regionRestarts++;
  }

  hasDesiredResources(): boolean {
    return this.desiredResources;
  }
  hasSufficientResources(): boolean {
    return this.sufficientResources;
  }
  judgeRescale(_deployment: GraphDeployment): RescaleVerdict {
    this.judgeRescaleCalls++;
    return this.rescaleVerdict;
  }
  releaseSlots(deployment: GraphDeployment): void {
    this.releasedSlots.push(deployment);
  }
  reportReplay(records: number | undefined): void {
    this.replayReports.push(records);
  }
  refuseLeaves(reason: string): void {
    this.refusedLeaves.push(reason);
  }

  handleFailure(execution: Execution | undefined, error: SerializedError): FailureHandling {
    this.handledFailures.push({ execution, error });
    return this.failureHandling;
  }

  createDeployment(previous: ExecutionGraph | undefined): DeploymentPlanResult {
    this.createDeploymentCalls.push(previous);
    assert.ok(this.deploymentResult !== undefined, 'the test did not say what createDeployment returns');
    return this.deploymentResult;
  }

  createCheckpointing(_deployment: GraphDeployment, onGlobalFailure: (error: SerializedError) => void): RunCheckpointing {
    const checkpointing = new TestingRunCheckpointing(onGlobalFailure);
    this.checkpointings.push(checkpointing);
    return checkpointing;
  }

  goToWaitingForResources(previous: ExecutionGraph | undefined, cause: RescaleCause): void {
    this.record({ to: 'WaitingForResources', previous, cause });
  }
  goToCreatingExecutionGraph(previous: ExecutionGraph | undefined, cause: RescaleCause, lastChance = false): void {
    this.record({ to: 'CreatingExecutionGraph', previous, cause, lastChance });
  }
  goToExecuting(deployment: GraphDeployment, cause: RescaleCause): void {
    this.record({ to: 'Executing', deployment, cause });
  }
  goToRestarting(deployment: GraphDeployment, backoffMs: number, cause: RescaleCause, failure: SerializedError | undefined): void {
    this.record({ to: 'Restarting', deployment, backoffMs, cause, failure });
  }
  goToRescalingOnCheckpoint(deployment: GraphDeployment, cause: RescaleCause, reason: PlannedRescale, deadlineMs: number): void {
    this.record({ to: 'RescalingOnCheckpoint', deployment, cause, reason, deadlineMs });
  }
  goToCanceling(deployment: GraphDeployment): void {
    this.record({ to: 'Canceling', deployment });
  }
  goToFailing(deployment: GraphDeployment, error: SerializedError): void {
    this.record({ to: 'Failing', deployment, error });
  }
  goToStopWithSavepoint(
    deployment: GraphDeployment,
    request: SavepointStopRequest,
    resolve: (path: string) => void,
    reject: (error: Error) => void,
  ): void {
    this.record({ to: 'StopWithSavepoint', deployment, request, resolve, reject });
  }
  goToFinished(result: JobResult): void {
    this.record({ to: 'Finished', result });
  }

  private record(transition: Transition): void {
    const leaving = this.validator.happened.length === 0 ? this.current : undefined;
    this.validator.validate(transition);
    leaving?.onLeave();
  }
}

/** Builds a context, runs `body` with it, then checks the transition it declared happened. */
export async function withTestingContext(body: (context: TestingStateContext) => void | Promise<void>): Promise<void> {
  const context = new TestingStateContext();
  await body(context);
  context.close();
}
