import type { ExecutionAttemptId, JobId } from '../../core/ids.js';
import { detach } from '../../core/detach.js';
import { describeError, serializeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import { workerStack } from '../../daemon/thread-dump.js';
import type { CheckpointTrigger } from '../../rpc/gateways/checkpoint-messages.js';
import { isTerminalExecutionState, type JobMasterGateway, type TaskExecutionStateUpdate } from '../../rpc/gateways/job-master-gateway.js';
import type { TaskDeploymentDescriptor } from '../../rpc/gateways/task-deployment-descriptor.js';
import type { TaskMetricsReport } from '../../rpc/gateways/task-metrics-report.js';
import type { FrameLink } from '../network/frame-link.js';
import type { DataConnectionService } from '../network/partition-request-server.js';
import { SlotTable } from '../slot-table.js';
import { declineForUnknownAttempt, type TaskRunner } from '../task-runner.js';
import { taskNameOf } from '../task/task-environment.js';
import { CancellationWatchdog } from './cancellation-watchdog.js';
import type { FromSlot } from './slot-messages.js';
import { relayJobMasterCall } from './job-master-relay.js';
import { SlotLinks } from './slot-links.js';
import { SlotRelay } from './slot-relay.js';
import { threadFailure, type SlotThread } from './slot-thread.js';
import type { SlotThreadHostSettings } from './slot-thread-host-settings.js';
import { METRICS_INTERVAL_MS, SlotThreadPool } from './slot-thread-pool.js';
import { SnapshotProbe } from './snapshot-probe.js';

const log = getLogger('taskexecutor');

/** One attempt deployed to a slot thread, until it reports a final state. */
interface DeployedAttempt {
  readonly tdd: TaskDeploymentDescriptor;
  readonly thread: SlotThread;
  readonly ended: Promise<void>;
  end(): void;
  watchdog: CancellationWatchdog | undefined;
}

/**
 * Runs each slot's tasks on its own worker thread, as Flink runs each task on its own thread: user
 * code that computes for a long time, or never returns, cannot hold up this thread's RPC,
 * heartbeats, data endpoint and metrics, and a TaskManager with N slots uses N cores. A thread serves
 * one job; a cancel that the task ignores ends with its thread (task.cancellation.timeout), and a
 * thread that crashes or runs out of heap fails only its own tasks.
 */
export class SlotThreadHost implements TaskRunner {
  readonly slots: SlotTable;
  private readonly threads: SlotThreadPool;
  private readonly attempts = new Map<ExecutionAttemptId, DeployedAttempt>();
  private readonly links = new SlotLinks();
  private readonly probes = new Map<string, SnapshotProbe>();
  private jobMaster: JobMasterGateway | undefined;

  constructor(private readonly settings: SlotThreadHostSettings) {
    this.slots = new SlotTable(settings.numberOfSlots);
    this.threads = new SlotThreadPool(settings, {
      onMessage: (from, message) => this.onMessage(from, message),
      onServing: (thread) => this.links.threadStarted(thread),
      onEnded: (thread, reason, error) => this.threadEnded(thread, reason, error),
    });
  }

  setJobMaster(jobMaster: JobMasterGateway | undefined): void {
    this.jobMaster = jobMaster;
  }

  /** Also starts the slots' threads ahead of their first tasks: their data connections need the secret. */
  setSecret(secret: Buffer): void {
    for (const thread of this.threads.all()) thread.post({ type: 'secret', secret: new Uint8Array(secret) });
    this.threads.prestart();
  }

  submit(tdd: TaskDeploymentDescriptor): void {
    if (this.jobMaster === undefined) throw new Error('not connected to a JobManager');
    if (this.attempts.has(tdd.attemptId)) throw new Error(`attempt ${tdd.attemptId} is already deployed here`);
    const problem = this.slots.occupy(tdd.slotIndex, tdd.jobId, tdd.allocationId);
    if (problem !== undefined) throw new Error(`Cannot deploy ${taskNameOf(tdd)}: ${problem}.`);
    log.info(`Received task ${taskNameOf(tdd)} (${tdd.attemptId}), deploying into slot ${tdd.slotIndex}.`);
    const thread = this.threadFor(tdd.slotIndex, tdd.jobId);
    let end!: () => void;
    const ended = new Promise<void>((resolve) => {
      end = resolve;
    });
    this.attempts.set(tdd.attemptId, { tdd, thread, ended, end, watchdog: undefined });
    thread.attempts.add(tdd.attemptId);
    thread.post({ type: 'submit', tdd });
    this.links.attemptDeployed(tdd.attemptId, tdd.slotIndex);
  }

  cancel(attemptId: ExecutionAttemptId): Promise<void> {
    const attempt = this.attempts.get(attemptId);
    if (attempt === undefined) return Promise.resolve();
    if (attempt.watchdog === undefined) {
      const ask = (): void => attempt.thread.post({ type: 'cancel', attemptId });
      attempt.watchdog = new CancellationWatchdog(
        taskNameOf(attempt.tdd),
        this.settings.cancellation,
        ask,
        () => {
          // One thread goes, once: the watchdogs of the other tasks on it have nothing left to wait for.
          for (const id of attempt.thread.attempts) this.attempts.get(id)?.watchdog?.stop();
          this.threads.retireInBackground(
            attempt.thread,
            `a task ignored its cancel for ${this.settings.cancellation.timeoutMs} ms`,
            false,
            false,
          );
        },
        () => workerStack(attempt.thread.threadId),
      );
      ask();
    }
    return attempt.ended;
  }

  async releaseJob(jobId: JobId): Promise<void> {
    const ofJob = [...this.attempts.keys()].filter((id) => this.attempts.get(id)!.tdd.jobId === jobId);
    await Promise.all(ofJob.map((id) => this.cancel(id)));
    this.slots.freeJob(jobId);
    await this.threads.release(jobId);
  }

  cancelOrphans(expected: readonly ExecutionAttemptId[]): void {
    const keep = new Set(expected);
    for (const [attemptId, attempt] of this.attempts) {
      if (keep.has(attemptId) || attempt.watchdog !== undefined) continue;
      log.info(`Canceling ${taskNameOf(attempt.tdd)}: the JobManager does not expect it here any more.`);
      detach(this.cancel(attemptId), (error) => log.warn(`Canceling ${attemptId} failed: ${describeError(error)}`));
    }
  }

  async cancelAll(reason: string): Promise<void> {
    if (this.attempts.size > 0) log.info(`Canceling ${this.attempts.size} task(s): ${reason}`);
    await Promise.all([...this.attempts.keys()].map((id) => this.cancel(id)));
    this.slots.freeAll();
  }

  triggerCheckpoint(trigger: CheckpointTrigger): void {
    const attempt = this.attempts.get(trigger.attemptId);
    if (attempt !== undefined) attempt.thread.post({ type: 'trigger-checkpoint', trigger });
    else declineForUnknownAttempt(this.jobMaster, trigger);
  }

  notifyCheckpointComplete(attemptId: ExecutionAttemptId, checkpointId: number): void {
    this.attempts.get(attemptId)?.thread.post({ type: 'checkpoint-complete', attemptId, checkpointId });
  }

  notifyCheckpointAborted(attemptId: ExecutionAttemptId, checkpointId: number): void {
    this.attempts.get(attemptId)?.thread.post({ type: 'checkpoint-aborted', attemptId, checkpointId });
  }

  reportMetrics(report: TaskMetricsReport): void {
    this.jobMaster?.reportTaskMetrics(report).catch((error: unknown) => {
      log.debug(`Could not report the task metrics of job ${report.jobId}: ${describeError(error)}`);
    });
  }

  get runningAttempts(): ExecutionAttemptId[] {
    return [...this.attempts.keys()];
  }

  serveConnection(link: FrameLink): DataConnectionService {
    return new SlotRelay(link, {
      locate: (attemptId, timeoutMs) => this.links.locate(attemptId, this.attempts.get(attemptId)?.tdd.slotIndex, timeoutMs),
      linkTo: (slot) => {
        const thread = this.threads.get(slot);
        return thread === undefined || thread.isRetired ? undefined : SlotLinks.open(thread);
      },
    });
  }

  async close(reason: string): Promise<void> {
    await this.cancelAll(reason);
    await this.threads.close(reason);
  }

  /** The thread of `slot` for `jobId` (a slot's thread serves one job). */
  private threadFor(slot: number, jobId: JobId): SlotThread {
    const current = this.threads.get(slot);
    // The JobManager deploys into a slot whose thread still holds a task it canceled only once it
    // stopped waiting for that cancel: the task is stuck, and waiting longer for it helps nobody.
    const stuck = current !== undefined && [...current.attempts].some((id) => this.attempts.get(id)?.watchdog !== undefined);
    return this.threads.threadFor(slot, jobId, stuck);
  }

  private onMessage(thread: SlotThread, message: FromSlot): void {
    switch (message.type) {
      case 'call':
        if (message.method === 'updateTaskExecutionState') this.onStateUpdate(message.args[0] as TaskExecutionStateUpdate);
        relayJobMasterCall(this.jobMaster, thread, message.call, message.method, message.args);
        break;
      case 'open-link':
        if (thread.jobId !== undefined) this.links.connect(thread.jobId, message.slot, message.port, this.threads.get(message.slot));
        break;
      case 'canceled':
        this.attemptEnded(message.attemptId);
        break;
      case 'task-added': {
        const probe = new SnapshotProbe(message.identity, METRICS_INTERVAL_MS);
        this.probes.set(message.identity.attemptId, probe);
        this.settings.metrics?.addTask(probe);
        break;
      }
      case 'task-removed':
        this.removeProbe(message.attemptId);
        break;
      case 'metrics':
        for (const counters of message.tasks) this.probes.get(counters.attemptId)?.update(message.at, counters);
        break;
    }
  }

  /** A final state frees the attempt's place; the JobMaster hears of it after the slot is free. */
  private onStateUpdate(update: TaskExecutionStateUpdate): void {
    if (isTerminalExecutionState(update.state)) this.attemptEnded(update.attemptId);
  }

  private attemptEnded(attemptId: ExecutionAttemptId): void {
    const attempt = this.attempts.get(attemptId);
    if (attempt === undefined) return;
    this.attempts.delete(attemptId);
    attempt.thread.attempts.delete(attemptId);
    attempt.watchdog?.stop();
    this.freeSlotIfUnused(attempt.tdd);
    attempt.end();
  }

  private freeSlotIfUnused(tdd: TaskDeploymentDescriptor): void {
    for (const other of this.attempts.values())
      if (other.tdd.slotIndex === tdd.slotIndex && other.tdd.allocationId === tdd.allocationId) return;
    this.slots.free(tdd.slotIndex, tdd.allocationId);
    if (this.slots.report()[tdd.slotIndex]?.jobId === undefined) this.threads.slotFreed(tdd.slotIndex);
  }

  /** Whatever ended a thread, the attempts still on it end now, and the JobMaster hears why. */
  private threadEnded(thread: SlotThread, reason: string, error: Error | undefined): void {
    if (error !== undefined || !thread.isRetired)
      log.error(
        `The thread of slot ${thread.slotIndex} (${thread.jobId === undefined ? 'no job yet' : `job ${thread.jobId}`}) ended unexpectedly: ${reason}`,
        error,
      );
    for (const attemptId of [...thread.attempts]) {
      const attempt = this.attempts.get(attemptId);
      if (attempt === undefined) continue;
      const canceled = attempt.watchdog !== undefined;
      const update: TaskExecutionStateUpdate = canceled
        ? { jobId: attempt.tdd.jobId, attemptId, state: 'CANCELED' }
        : {
            jobId: attempt.tdd.jobId,
            attemptId,
            state: 'FAILED',
            error: serializeError(threadFailure(thread.slotIndex, reason, error, this.settings.heapPerSlotMb)),
          };
      log.info(`${taskNameOf(attempt.tdd)} (${attemptId}) switched to ${update.state}: its slot thread ended (${reason}).`);
      this.removeProbe(attemptId);
      this.onStateUpdate(update);
      this.jobMaster?.updateTaskExecutionState(update).catch((failure: unknown) => {
        log.debug(`Could not report ${update.state} of ${attemptId}: ${describeError(failure)}`);
      });
    }
  }

  private removeProbe(attemptId: ExecutionAttemptId): void {
    if (!this.probes.delete(attemptId)) return;
    this.settings.metrics?.removeTask(attemptId);
  }
}
