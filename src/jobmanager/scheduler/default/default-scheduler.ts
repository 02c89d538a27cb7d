import type { ExecutionAttemptId, ResourceId } from '../../../core/ids.js';
import { hasErrorCode } from '../../../core/error-codes.js';
import { serializeError, type SerializedError } from '../../../core/errors.js';
import { cancelThen } from '../deployment/cancel-then.js';
import { markCorrupt, shutDownStoreThen } from '../checkpointing/checkpoint-housekeeping.js';
import { isUnrecoverable } from '../failure-classification.js';
import { getLogger } from '../../../core/logging.js';
import type { CheckpointAcknowledgement, CheckpointDecline } from '../../../rpc/gateways/checkpoint-messages.js';
import type { TaskExecutionStateUpdate } from '../../../rpc/gateways/job-master-gateway.js';
import type { Allocation, SlotPoolListener } from '../../slotpool/slot-pool.js';
import type { RunCheckpointing } from '../adaptive/run-checkpointing.js';
import type { JobCheckpointing } from '../checkpointing/job-checkpointing.js';
import { GraphDeployment } from '../deployment/graph-deployment.js';
import { requiredSlots } from '../deployment/slot-sharing.js';
import type { Execution } from '../execution-graph/execution.js';
import { ExecutionGraph, type VertexParallelism } from '../execution-graph/execution-graph.js';
import type { JobStatus } from '../../../rest/types/job-status.js';
import { configuredPlan } from '../parallelism-plan.js';
import { recordFailure, type SchedulerContext } from '../scheduler-context.js';
import type { JobResult, SchedulerNG } from '../scheduler-ng.js';

const log = getLogger('jobmaster');

/**
 * Flink's default streaming scheduler: the job runs at its configured parallelism, waits up to
 * `slot.request.timeout` for the slots that takes, and on a failure restarts everything as the
 * restart strategy allows, at the same parallelism.
 */
export class DefaultScheduler implements SchedulerNG, SlotPoolListener {
  readonly schedulerType = 'Default' as const;
  private readonly plan: VertexParallelism;
  private deployment: GraphDeployment | undefined;
  private run: RunCheckpointing | undefined;
  private slotTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private waitingForSlots = false;
  private restarts = 0;
  private result: JobResult | undefined;
  private readonly terminated: Promise<JobResult>;
  private resolveTerminated!: (result: JobResult) => void;

  constructor(
    private readonly context: SchedulerContext,
    private readonly checkpointing: JobCheckpointing,
  ) {
    this.plan = configuredPlan(context.graph, context.defaultParallelism);
    this.terminated = new Promise((resolve) => {
      this.resolveTerminated = resolve;
    });
  }

  startScheduling(): void {
    this.context.slotPool.addListener(this.context.jobId, this);
    this.context.status.transition('CREATED');
    this.requestSlots();
  }

  cancel(): void {
    if (this.result !== undefined) return;
    this.context.status.transition('CANCELLING');
    this.stopRunThen(() => this.finish({ status: 'CANCELED' }));
  }

  suspend(reason: string): void {
    if (this.result !== undefined) return;
    log.info(`Suspending job ${this.context.jobId}: ${reason}`);
    this.stopRunThen(() => this.finish({ status: 'SUSPENDED' }));
  }

  updateTaskExecutionState(update: TaskExecutionStateUpdate): boolean {
    return this.deployment?.updateState(update) ?? false;
  }

  acknowledgeCheckpoint(ack: CheckpointAcknowledgement): void {
    this.run?.acknowledge(ack);
  }

  declineCheckpoint(decline: CheckpointDecline): void {
    this.run?.decline(decline);
  }

  triggerSavepoint(targetDirectory: string | undefined): Promise<string> {
    if (this.run === undefined || this.context.status.status !== 'RUNNING')
      return Promise.reject(new Error('The Flink job is currently not executing.'));
    return this.run.triggerSavepoint(targetDirectory, 'SAVEPOINT');
  }

  async stopWithSavepoint(targetDirectory: string | undefined, drain = false): Promise<string> {
    const run = this.run;
    if (run === undefined || this.context.status.status !== 'RUNNING') throw new Error('The Flink job is currently not executing.');
    const path = await run.triggerSavepoint(targetDirectory, 'SYNC_SAVEPOINT', drain);
    await new Promise<void>((resolve) => this.stopRunThen(resolve));
    this.finish({ status: 'FINISHED' });
    return path;
  }

  attemptsOn(resourceId: ResourceId): ExecutionAttemptId[] {
    return this.deployment?.attemptsOn(resourceId) ?? [];
  }

  status(): JobStatus {
    return this.context.status.status;
  }

  currentGraph(): ExecutionGraph | undefined {
    return this.deployment?.graph;
  }

  whenTerminated(): Promise<JobResult> {
    return this.terminated;
  }

  onSlotsAvailable(): void {
    if (this.waitingForSlots) this.requestSlots();
  }

  onAllocationsLost(lost: readonly Allocation[], _cause: string, reason: string): void {
    this.deployment?.onAllocationsLost(lost, reason);
  }

  private requestSlots(): void {
    if (this.result !== undefined) return;
    const graph = new ExecutionGraph(this.context.jobId, this.context.graph, this.plan, this.restarts);
    const needed = requiredSlots(graph);
    const allocations = this.context.slotPool.allocate(this.context.jobId, needed);
    if (allocations === undefined) {
      if (!this.waitingForSlots) {
        this.waitingForSlots = true;
        log.info(
          `Job ${this.context.jobId} needs ${needed} slot(s), ${this.context.slotPool.freeSlots} free; waiting up to ${this.context.slotRequestTimeoutMs} ms.`,
        );
        this.slotTimer = setTimeout(() => this.slotRequestTimedOut(needed), this.context.slotRequestTimeoutMs);
      }
      return;
    }
    this.waitingForSlots = false;
    clearTimeout(this.slotTimer);
    this.deploy(graph, allocations);
  }

  private deploy(graph: ExecutionGraph, allocations: Allocation[]): void {
    let restore;
    try {
      restore = this.checkpointing.restoreInto(graph, () => false);
    } catch (error) {
      this.context.slotPool.release(allocations);
      this.context.status.transition('FAILING');
      this.finish({ status: 'FAILED', error: serializeError(error) });
      return;
    }
    const deployment = new GraphDeployment(graph, allocations, this.context.deployment, restore?.tasks, {
      onAllRunning: () => this.run?.start(),
      onAllFinished: () => this.stopRunThen(() => this.finish({ status: 'FINISHED' })),
      onFailure: (execution, error) => this.onFailure(execution, error),
    });
    this.deployment = deployment;
    this.run = this.checkpointing.createRun(deployment, (error) => this.onFailure(undefined, error));
    this.context.status.transition('RUNNING');
    deployment.deploy();
  }

  private slotRequestTimedOut(needed: number): void {
    if (!this.waitingForSlots || this.result !== undefined) return;
    const error = serializeError(
      new Error(
        `Could not acquire the minimum required resources: the job needs ${needed} slot(s) but only ${this.context.slotPool.freeSlots} became available within slot.request.timeout (${this.context.slotRequestTimeoutMs} ms).`,
      ),
    );
    error.name = 'NoResourceAvailableException';
    this.context.exceptions.add(error);
    this.context.status.transition('FAILING');
    this.finish({ status: 'FAILED', error });
  }

  private onFailure(execution: Execution | undefined, error: SerializedError): void {
    if (this.result !== undefined) return;
    recordFailure(this.context, execution, error);
    if (hasErrorCode(error, 'STATE_CORRUPT')) markCorrupt(this.checkpointing, this.context.jobId, error.message);
    const strategy = this.context.restartStrategy;
    if (!isUnrecoverable(error)) strategy.notifyFailure(Date.now());
    if (isUnrecoverable(error) || !strategy.canRestart()) {
      log.info(`Job ${this.context.jobId} failed and cannot restart: ${isUnrecoverable(error) ? error.message : strategy.describe()}`);
      this.context.status.transition('FAILING');
      this.stopRunThen(() => this.finish({ status: 'FAILED', error }));
      return;
    }
    this.context.status.transition('RESTARTING');
    this.restarts++;
    this.stopRunThen(() => {
      this.restartTimer = setTimeout(() => {
        if (this.result === undefined) this.requestSlots();
      }, strategy.backoffTimeMs());
    });
  }

  /** Stops the run's checkpointing and tasks and releases its slots, then goes on with `next`. */
  private stopRunThen(next: () => void): void {
    this.run?.stop('the run ended');
    this.run = undefined;
    const deployment = this.deployment;
    this.deployment = undefined;
    if (deployment === undefined) {
      queueMicrotask(next);
      return;
    }
    cancelThen(deployment, () => {
      this.context.slotPool.release(deployment.allocations);
      next();
    });
  }

  private finish(result: JobResult): void {
    if (this.result !== undefined) return;
    this.result = result;
    clearTimeout(this.slotTimer);
    clearTimeout(this.restartTimer);
    this.context.slotPool.removeListener(this.context.jobId);
    if (result.status !== 'SUSPENDED') this.context.status.transition(result.status);
    // Terminated once the checkpoint store has cleaned up, so an application cluster exits after it.
    shutDownStoreThen(this.checkpointing, this.context.jobId, result.status, () => this.resolveTerminated(result));
  }
}
