import type { ExecutionAttemptId, ResourceId } from '../../../core/ids.js';
import { describeError, serializeError, type SerializedError } from '../../../core/errors.js';
import { getLogger } from '../../../core/logging.js';
import type { TaskExecutionStateUpdate } from '../../../rpc/gateways/job-master-gateway.js';
import type { TaskRestoreDescriptor } from '../../../rpc/gateways/task-deployment-descriptor.js';
import type { Allocation } from '../../slotpool/slot-pool.js';
import type { Execution } from '../execution-graph/execution.js';
import type { ExecutionGraph } from '../execution-graph/execution-graph.js';
import { buildDeployment, type DeploymentSettings } from './deployment-builder.js';
import { assignSlots } from './slot-sharing.js';

const log = getLogger('jobmaster');

/** How long canceling waits for TaskManagers to confirm before treating attempts as gone. */
const CANCEL_TIMEOUT_MS = 10_000;

/** What a deployed run tells its scheduler. */
export interface DeploymentEvents {
  /** Every subtask reached RUNNING. */
  onAllRunning(): void;
  /** Every subtask FINISHED: the (bounded) job is done. */
  onAllFinished(): void;
  /** A subtask failed (or its TaskManager went away); the first failure of a run only. */
  onFailure(execution: Execution | undefined, error: SerializedError): void;
}

/** Per vertex id, per subtask index, what to restore (absent: start empty). */
export type RestoreAssignment = ReadonlyMap<string, ReadonlyArray<TaskRestoreDescriptor | undefined>>;

/**
 * An execution graph put to work: its slots assigned, every subtask deployed, state updates from
 * TaskManagers applied, and the run's outcome reported once. Canceling waits for confirmations.
 */
export class GraphDeployment {
  private failed = false;
  private allRunningReported = false;
  private finishedReported = false;
  private canceling = false;
  /** Attempts of regions restarted on their own: their failure is already being handled. */
  private readonly restarting = new Set<Execution>();

  constructor(
    readonly graph: ExecutionGraph,
    readonly allocations: readonly Allocation[],
    private readonly settings: DeploymentSettings,
    private readonly restore: RestoreAssignment | undefined,
    private readonly events: DeploymentEvents,
  ) {
    assignSlots(graph, allocations);
  }

  /** Sends every subtask to its TaskManager, sources last so consumers are listening first. */
  deploy(): void {
    for (const execution of sourcesLast(this.graph.executions())) this.deployOne(execution);
  }

  /** Applies a TaskManager's state report; returns false for attempts not in this run. */
  updateState(update: TaskExecutionStateUpdate): boolean {
    const execution = this.graph.execution(update.attemptId);
    if (execution === undefined) return false;
    if (typeof update.recordsSinceCheckpoint === 'number') execution.recordsSinceCheckpoint = update.recordsSinceCheckpoint;
    if (!execution.transitionTo(update.state, update.error)) return true;
    if (execution.state === 'FAILED') this.fail(execution, update.error ?? { name: 'Error', message: 'task failed', stack: 'task failed' });
    else this.checkProgress();
    return true;
  }

  /** Executions in lost slots fail: their TaskManager is gone. */
  onAllocationsLost(lost: readonly Allocation[], reason: string): void {
    const gone = new Set(lost);
    for (const execution of this.graph.executions()) {
      if (execution.allocation === undefined || !gone.has(execution.allocation) || execution.isTerminal) continue;
      const error = serializeError(
        new Error(`TaskManager ${execution.allocation.taskManager.resourceId} of ${execution.taskName} was lost: ${reason}`),
      );
      error.name = 'TaskManagerLostException';
      execution.transitionTo('FAILED', error);
      if (execution.state === 'FAILED') this.fail(execution, error);
    }
  }

  /** Cancels every subtask still alive and waits until each is terminal (or presumed gone). */
  async cancel(): Promise<void> {
    this.canceling = true;
    await this.cancelExecutions(this.graph.executions());
  }

  /**
   * Takes over the failure of a region that is restarted on its own: later reports of its attempts
   * are part of that failure, a failure elsewhere counts again, and "all running" is reported anew
   * once the region's new attempts run.
   */
  beginRegionRestart(region: readonly Execution[]): void {
    for (const execution of region) this.restarting.add(execution);
    this.failed = false;
    this.allRunningReported = false;
  }

  /** Cancels `executions` (those still alive) and waits until each is terminal (or presumed gone). */
  async cancelExecutions(executions: readonly Execution[]): Promise<void> {
    const alive = executions.filter((e) => !e.isTerminal);
    await Promise.all(
      alive.map(async (execution) => {
        if (execution.state !== 'CREATED') execution.transitionTo('CANCELING');
        const taskManager = execution.allocation?.taskManager;
        if (taskManager !== undefined && !taskManager.connection.isClosed) {
          await withTimeout(taskManager.gateway.cancelTask(execution.attemptId), CANCEL_TIMEOUT_MS).catch((error: unknown) => {
            log.warn(`Canceling ${execution.taskName} did not complete cleanly: ${describeError(error)}`);
          });
        }
        execution.transitionTo('CANCELED');
      }),
    );
  }

  /** Deploys new attempts of a restarted region into their slots, consumers first, with `restore` for each. */
  deployExecutions(executions: readonly Execution[], restore: RestoreAssignment | undefined): void {
    for (const execution of sourcesLast(executions)) this.deployOne(execution, restore?.get(execution.vertex.id)?.[execution.subtaskIndex]);
  }

  /** Attempts placed on `resourceId`, for heartbeat reconciliation. */
  attemptsOn(resourceId: ResourceId): ExecutionAttemptId[] {
    return this.graph
      .executions()
      .filter((e) => !e.isTerminal && e.allocation?.taskManager.resourceId === resourceId)
      .map((e) => e.attemptId);
  }

  /** Records the sources of this run emitted after the last completed checkpoint, as far as they reported it. */
  get recordsSinceCheckpoint(): number | undefined {
    const reports = this.graph
      .executions()
      .map((e) => e.recordsSinceCheckpoint)
      .filter((n): n is number => n !== undefined);
    return reports.length === 0 ? undefined : reports.reduce((a, b) => a + b, 0);
  }

  get isFailed(): boolean {
    return this.failed;
  }

  private deployOne(execution: Execution, restore = this.restore?.get(execution.vertex.id)?.[execution.subtaskIndex]): void {
    const descriptor = buildDeployment(this.graph, execution, this.settings, restore);
    execution.transitionTo('DEPLOYING');
    execution.allocation!.taskManager.gateway.submitTask(descriptor).catch((error: unknown) => {
      if (execution.isTerminal || this.canceling) return;
      const serialized = serializeError(error);
      execution.transitionTo('FAILED', serialized);
      this.fail(execution, serialized);
    });
  }

  private fail(execution: Execution | undefined, error: SerializedError): void {
    if (this.failed || this.canceling || (execution !== undefined && this.restarting.has(execution))) return;
    this.failed = true;
    log.info(
      `${execution?.taskName ?? 'The job'} (${execution?.attemptId ?? '-'}) switched to FAILED with failure cause: ${error.name}: ${error.message}`,
    );
    this.events.onFailure(execution, error);
  }

  private checkProgress(): void {
    if (this.failed || this.canceling) return;
    if (!this.allRunningReported && this.graph.allInState('RUNNING', 'FINISHED')) {
      this.allRunningReported = true;
      const parallelism = this.graph.vertices.map((v) => `${v.jobVertex.name}: ${v.parallelism}`).join(', ');
      log.info(`All ${this.graph.executions().length} subtasks of job ${this.graph.jobId} are running (${parallelism}).`);
      this.events.onAllRunning();
    }
    if (!this.finishedReported && this.graph.allInState('FINISHED')) {
      this.finishedReported = true;
      this.events.onAllFinished();
    }
  }
}

/** Sources go last so their consumers are listening when the first records leave. */
function sourcesLast(executions: readonly Execution[]): Execution[] {
  return [...executions.filter((e) => !e.vertex.jobVertex.isSource), ...executions.filter((e) => e.vertex.jobVertex.isSource)];
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
