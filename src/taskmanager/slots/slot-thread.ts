import type { ExecutionAttemptId, JobId } from '../../core/ids.js';
import { Worker, type ResourceLimits, type TransferListItem } from 'node:worker_threads';
import { TsFlinkError } from '../../core/errors.js';
import type { FromSlot, SlotThreadData, ToSlot } from './slot-messages.js';

/** How long a thread ended on purpose may take to hand over what its tasks printed before it is ended anyway. */
const OUTPUT_DRAIN_MS = 2_000;

/** What a slot thread tells the host that started it. */
export interface SlotThreadEvents {
  onMessage(thread: SlotThread, message: FromSlot): void;
  /** The thread ended without being asked to: an uncaught error, its heap limit, or a crash. */
  onUnexpectedExit(thread: SlotThread, reason: string, error: Error | undefined): void;
}

/**
 * The TaskManager's handle on one slot's worker thread: which job it serves, which attempts run on
 * it, and its end, asked for (retire) or not (a crash, which the events report).
 */
export class SlotThread {
  /** The job it serves; undefined for a thread started ahead of its slot's first task. */
  private job: JobId | undefined;
  /** Attempts deployed to this thread that have not reported a final state. */
  readonly attempts = new Set<ExecutionAttemptId>();
  private readonly worker: Worker;
  private retiring: Promise<void> | undefined;
  /** Called when the thread answers 'drain-output' (or ends while asked). */
  private drained: (() => void) | undefined;
  private error: Error | undefined;
  /** Settles when the thread has ended, however it ended. */
  readonly exited: Promise<void>;

  constructor(
    readonly data: SlotThreadData,
    jobId: JobId | undefined,
    resourceLimits: ResourceLimits | undefined,
    events: SlotThreadEvents,
  ) {
    this.job = jobId;
    this.worker = new Worker(new URL('./slot-worker.js', import.meta.url), {
      workerData: data,
      ...(resourceLimits === undefined ? {} : { resourceLimits }),
      // Task output goes to the TaskManager's .out file, as print() does in Flink.
      stdout: false,
      stderr: false,
    });
    this.worker.on('message', (message: FromSlot) => {
      if (message.type === 'output-drained') this.drained?.();
      else events.onMessage(this, message);
    });
    this.worker.on('error', (error) => {
      this.error = error;
    });
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        this.drained?.();
        if (this.retiring === undefined) {
          const reason = this.error === undefined ? `its thread exited with code ${code}` : this.error.message;
          events.onUnexpectedExit(this, reason, this.error);
        }
        resolve();
      });
    });
  }

  /** The worker's thread id, as thread dumps name it. */
  get threadId(): number {
    return this.worker.threadId;
  }

  get slotIndex(): number {
    return this.data.slotIndex;
  }

  get jobId(): JobId | undefined {
    return this.job;
  }

  /** A thread started ahead serves `jobId` from now on (a thread holds the code of one job only). */
  bind(jobId: JobId): void {
    if (this.job !== undefined && this.job !== jobId) throw new Error(`the thread of slot ${this.slotIndex} serves job ${this.job}`);
    this.job = jobId;
  }

  /** Ended, or being ended on request. */
  get isRetired(): boolean {
    return this.retiring !== undefined;
  }

  post(message: ToSlot, transfer: readonly TransferListItem[] = []): void {
    if (this.retiring === undefined) this.worker.postMessage(message, transfer);
  }

  /**
   * Ends the thread wherever it is, a loop in user code included; settles once it is gone. With
   * `drainOutput`, what its tasks printed reaches the TaskManager's stdout first (for at most
   * OUTPUT_DRAIN_MS): a thread stuck in user code cannot answer, so its callers pass false.
   */
  retire(drainOutput = false): Promise<void> {
    this.retiring ??= (drainOutput ? this.drainOutput() : Promise.resolve()).then(() => this.worker.terminate()).then(() => undefined);
    return this.retiring;
  }

  private drainOutput(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.drained?.(), OUTPUT_DRAIN_MS);
      this.drained = () => {
        clearTimeout(timer);
        this.drained = undefined;
        resolve();
      };
      this.worker.postMessage({ type: 'drain-output' } satisfies ToSlot);
    });
  }
}

/** Why the tasks of a thread that ended on its own failed: out of its heap, or any other end. */
export function threadFailure(slotIndex: number, reason: string, error: Error | undefined, heapLimitMb: number | undefined): Error {
  if ((error as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new TsFlinkError(
      'TASK_OUT_OF_MEMORY',
      `The thread of slot ${slotIndex} ran out of heap memory${heapLimitMb === undefined ? '' : ` (its limit is ${heapLimitMb} MB: taskmanager.memory.task.heap.size / taskmanager.numberOfTaskSlots)`}: ${reason}`,
    );
  }
  return new TsFlinkError('TASK_THREAD_ENDED', `The thread of slot ${slotIndex} ended: ${reason}`);
}
