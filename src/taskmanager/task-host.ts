import type { ExecutionAttemptId, JobId, ResourceId } from '../core/ids.js';
import { detach } from '../core/detach.js';
import { describeError, serializeError } from '../core/errors.js';
import { getLogger } from '../core/logging.js';
import type { JobMasterGateway, TaskExecutionStateUpdate } from '../rpc/gateways/job-master-gateway.js';
import type { TaskDeploymentDescriptor } from '../rpc/gateways/task-deployment-descriptor.js';
import { JobProgramLoader } from './job/job-program-loader.js';
import type { DataClient } from './network/data-client.js';
import type { PartitionManager } from './network/partition-manager.js';
import { SlotTable } from './slot-table.js';
import type { CheckpointTrigger } from '../rpc/gateways/checkpoint-messages.js';
import { Task } from './task/task.js';
import { taskNameOf, type TaskEnvironment } from './task/task-environment.js';
import { LocalStateStore } from './checkpoint/local-state-store.js';
import { resolveRestore } from './checkpoint/restore-resolver.js';
import { CheckpointBarrier } from './network/stream-elements.js';
import type { TaskMetricProbe } from '../metrics/task-metrics.js';
import type { TaskMetricsReport } from '../rpc/gateways/task-metrics-report.js';
import { taskMetricProbe } from './task/task-metric-probe.js';
import type { FrameLink } from './network/frame-link.js';
import { PartitionRequestServer, type DataConnectionService } from './network/partition-request-server.js';
import { declineForUnknownAttempt, type TaskRunner } from './task-runner.js';

const log = getLogger('taskexecutor');

/** What the host needs from the TaskManager around it. */
export interface TaskHostContext {
  readonly resourceId: ResourceId;
  readonly partitions: PartitionManager;
  readonly dataClient: DataClient;
  readonly workDir: string;
  readonly numberOfSlots: number;
  /** Where running tasks' metrics are registered (the TaskManager's metric registry and reports). */
  readonly metrics?: TaskMetricsSink;
  /** taskmanager.network.max-frame-size, for the data connections this host serves. */
  readonly maxDataFrameBytes?: number;
  /** Set when this host runs one slot's thread (see slots/slot-worker.ts). */
  readonly slotIndex?: number;
  /** Root of this TaskManager's local state copies (task-local recovery); undefined when it is off. */
  readonly localStateDir?: string | undefined;
}

/** Takes tasks into and out of the TaskManager's metrics. */
export interface TaskMetricsSink {
  addTask(probe: TaskMetricProbe): void;
  removeTask(attemptId: ExecutionAttemptId): void;
}

/**
 * Runs subtasks on the event loop it lives on (the TaskManager's, or one slot thread's): keeps its
 * slot table, loads each job's code once, starts and cancels tasks, and reports their state changes
 * to the JobMaster.
 */
export class TaskHost implements TaskRunner {
  readonly slots: SlotTable;
  readonly tasks = new Map<ExecutionAttemptId, Task>();
  /**
   * Deployments whose job code is still loading: they hold their slot but are not Tasks yet. A cancel
   * in that window removes the entry, so the task never starts and the slot is free at once (the
   * JobManager deploys the next run into it as soon as the cancel returns).
   */
  private readonly loading = new Map<ExecutionAttemptId, TaskDeploymentDescriptor>();
  private readonly loader: JobProgramLoader;
  private jobMaster: JobMasterGateway | undefined;

  private readonly localState: LocalStateStore | undefined;

  constructor(private readonly context: TaskHostContext) {
    this.localState = context.localStateDir === undefined ? undefined : new LocalStateStore(context.localStateDir);
    this.slots = new SlotTable(context.numberOfSlots);
    this.loader = new JobProgramLoader(context.workDir);
  }

  /** The JobMaster of the current JobManager connection (undefined while disconnected). */
  setJobMaster(jobMaster: JobMasterGateway | undefined): void {
    this.jobMaster = jobMaster;
  }

  /** Accepts a deployment and starts it in the background; its progress arrives as state reports. */
  submit(tdd: TaskDeploymentDescriptor): void {
    const jobMaster = this.jobMaster;
    if (jobMaster === undefined) throw new Error('not connected to a JobManager');
    if (this.tasks.has(tdd.attemptId) || this.loading.has(tdd.attemptId))
      throw new Error(`attempt ${tdd.attemptId} is already deployed here`);
    if (this.context.slotIndex === undefined) {
      const problem = this.slots.occupy(tdd.slotIndex, tdd.jobId, tdd.allocationId);
      if (problem !== undefined) throw new Error(`Cannot deploy ${taskNameOf(tdd)}: ${problem}.`);
      log.info(`Received task ${taskNameOf(tdd)} (${tdd.attemptId}), deploying into slot ${tdd.slotIndex}.`);
    } else {
      // On a slot thread, the TaskManager's main thread owns the slot table: it checked and logged the deployment.
      this.slots.assign(tdd.slotIndex, tdd.jobId, tdd.allocationId);
    }
    this.loading.set(tdd.attemptId, tdd);
    this.loader.load(tdd.jobId, tdd.fingerprint, jobMaster).then(
      (program) => {
        if (!this.loading.delete(tdd.attemptId)) return; // canceled while its code loaded
        const task = new Task(tdd, program, this.environment());
        this.tasks.set(tdd.attemptId, task);
        this.context.metrics?.addTask(taskMetricProbe(task));
        const ended = task.whenTerminated().then(() => {
          this.tasks.delete(tdd.attemptId);
          this.context.metrics?.removeTask(tdd.attemptId);
          this.freeSlotIfUnused(tdd);
        });
        detach(ended, (error) => log.error(`Could not release the slot of ${task.name}: ${describeError(error)}`, error));
        task.start();
      },
      (error: unknown) => {
        if (!this.loading.delete(tdd.attemptId)) return; // canceled meanwhile: nobody waits for its failure
        log.error(`Could not load the program of job ${tdd.jobId} for ${taskNameOf(tdd)}: ${describeError(error)}`, error);
        this.freeSlotIfUnused(tdd);
        this.report({ jobId: tdd.jobId, attemptId: tdd.attemptId, state: 'FAILED', error: serializeError(error) });
      },
    );
  }

  async cancel(attemptId: ExecutionAttemptId): Promise<void> {
    if (this.dropLoading(attemptId)) return;
    const task = this.tasks.get(attemptId);
    if (task === undefined) return;
    await task.cancel();
  }

  /** Ends every task of `jobId`, frees its slots and drops its code. */
  async releaseJob(jobId: JobId): Promise<void> {
    for (const tdd of [...this.loading.values()]) if (tdd.jobId === jobId) this.dropLoading(tdd.attemptId);
    await Promise.all([...this.tasks.values()].filter((t) => t.tdd.jobId === jobId).map((t) => t.cancel()));
    this.slots.freeJob(jobId);
    this.loader.release(jobId);
  }

  /** Cancels tasks the JobManager no longer expects here (it restarted, or moved on). */
  cancelOrphans(expected: readonly ExecutionAttemptId[]): void {
    const keep = new Set(expected);
    for (const attemptId of [...this.loading.keys()]) if (!keep.has(attemptId)) this.dropLoading(attemptId);
    for (const task of this.tasks.values()) {
      if (!keep.has(task.attemptId)) {
        log.info(`Canceling ${task.name}: the JobManager does not expect it here any more.`);
        task.cancel().catch((error: unknown) => log.warn(`Canceling ${task.name} failed: ${describeError(error)}`));
      }
    }
  }

  /** The JobManager is gone: every task belongs to a deployment it will redo. */
  async cancelAll(reason: string): Promise<void> {
    this.loading.clear();
    if (this.tasks.size > 0) log.info(`Canceling ${this.tasks.size} task(s): ${reason}`);
    await Promise.all([...this.tasks.values()].map((task) => task.cancel()));
    this.slots.freeAll();
  }

  triggerCheckpoint(trigger: CheckpointTrigger): void {
    const task = this.tasks.get(trigger.attemptId);
    const barrier = new CheckpointBarrier(trigger.checkpointId, trigger.timestamp, trigger.kind, trigger.haltSources === true);
    if (task !== undefined) task.triggerCheckpoint(barrier, trigger.drain === true, trigger.haltSources === true);
    else declineForUnknownAttempt(this.jobMaster, trigger);
  }

  notifyCheckpointComplete(attemptId: ExecutionAttemptId, checkpointId: number): void {
    this.tasks.get(attemptId)?.notifyCheckpointComplete(checkpointId);
  }

  notifyCheckpointAborted(attemptId: ExecutionAttemptId, checkpointId: number): void {
    this.tasks.get(attemptId)?.notifyCheckpointAborted(checkpointId);
  }

  /** Sends a job's task metrics to the current JobMaster; dropped while disconnected, failures only logged. */
  reportMetrics(report: TaskMetricsReport): void {
    this.jobMaster?.reportTaskMetrics(report).catch((error: unknown) => {
      log.debug(`Could not report the task metrics of job ${report.jobId}: ${describeError(error)}`);
    });
  }

  /** Every attempt deployed here, started or still loading its code. */
  get runningAttempts(): ExecutionAttemptId[] {
    return [...this.loading.keys(), ...this.tasks.keys()];
  }

  serveConnection(link: FrameLink): DataConnectionService {
    return new PartitionRequestServer(link, this.context.partitions, this.context.maxDataFrameBytes);
  }

  setSecret(): void {
    // Nothing to pass on: the data client's opener reads the TaskExecutor's current secret when it connects.
  }

  async close(reason: string): Promise<void> {
    await this.cancelAll(reason);
    this.context.dataClient.closeAll();
  }

  /** Cancels a deployment still loading its code; false when `attemptId` is not one. */
  private dropLoading(attemptId: ExecutionAttemptId): boolean {
    const tdd = this.loading.get(attemptId);
    if (tdd === undefined) return false;
    this.loading.delete(attemptId);
    log.info(`Canceled ${taskNameOf(tdd)} (${attemptId}) before it started.`);
    this.freeSlotIfUnused(tdd);
    return true;
  }

  /** Frees the slot of `tdd` once no task or loading deployment of its allocation is left in it. */
  private freeSlotIfUnused(tdd: TaskDeploymentDescriptor): void {
    const sameSlot = (other: TaskDeploymentDescriptor): boolean =>
      other.slotIndex === tdd.slotIndex && other.allocationId === tdd.allocationId;
    if ([...this.tasks.values()].some((t) => sameSlot(t.tdd)) || [...this.loading.values()].some(sameSlot)) return;
    this.slots.free(tdd.slotIndex, tdd.allocationId);
  }

  private environment(): TaskEnvironment {
    return {
      resourceId: this.context.resourceId,
      partitions: this.context.partitions,
      dataClient: this.context.dataClient,
      ...(this.context.slotIndex === undefined ? {} : { slotIndex: this.context.slotIndex }),
      stdout: (line) => {
        process.stdout.write(`${line}\n`);
      },
      reportState: (update) => this.report(update),
      reportFirstActivity: (activity) => this.jobMaster?.reportFirstActivity(activity),
      resolveRestore: (tdd, streamed) => resolveRestore(tdd, this.localState, streamed),
      localState: this.localState,
      checkpointResponder: {
        acknowledge: (ack) => this.jobMaster?.acknowledgeCheckpoint(ack),
        decline: (decline) => this.jobMaster?.declineCheckpoint(decline),
      },
    };
  }

  private report(update: TaskExecutionStateUpdate): void {
    const jobMaster = this.jobMaster;
    if (jobMaster === undefined) return; // the new JobManager reconciles through heartbeats
    jobMaster.updateTaskExecutionState(update).catch((error: unknown) => {
      log.debug(`Could not report ${update.state} of ${update.attemptId}: ${describeError(error)}`);
    });
  }
}
