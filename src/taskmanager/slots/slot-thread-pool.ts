import type { JobId } from '../../core/ids.js';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { detach } from '../../core/detach.js';
import { describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import type { FromSlot } from './slot-messages.js';
import { SlotThread } from './slot-thread.js';
import type { SlotThreadHostSettings } from './slot-thread-host-settings.js';

const log = getLogger('taskexecutor');

/** How often slot threads send their tasks' counters to the TaskManager's metrics. */
export const METRICS_INTERVAL_MS = 250;
/** A thread whose slot stays free this long is ended, with the job code it holds. */
const IDLE_THREAD_MS = 60_000;

/** What the pool tells the host about its threads. */
export interface SlotThreadPoolEvents {
  onMessage(thread: SlotThread, message: FromSlot): void;
  /** A thread now serves its slot for its job (links waiting for it can be handed over). */
  onServing(thread: SlotThread): void;
  /** A thread ended, on purpose (retired) or not; its attempts end with it. */
  onEnded(thread: SlotThread, reason: string, error: Error | undefined): void;
}

/**
 * The slot threads of a TaskManager, one per slot at most. A thread starts ahead of its slot's first
 * task, so a deployment does not wait for a worker to boot and load the runtime (hundreds of
 * milliseconds on a busy machine, all of it in a scale-up's downtime); the first task binds it to
 * its job. A thread serves one job, since its code stays loaded: when the slot moves to another job,
 * the job is released, or the slot stays free, the thread ends and a fresh one takes its place.
 */
export class SlotThreadPool {
  private readonly threads = new Map<number, SlotThread>();
  private readonly idleTimers = new Map<number, NodeJS.Timeout>();
  private started = 0;
  private closed = false;

  constructor(
    private readonly settings: SlotThreadHostSettings,
    private readonly events: SlotThreadPoolEvents,
  ) {}

  /** Starts a thread for every slot that has none. */
  prestart(): void {
    if (this.closed) return;
    for (let slot = 0; slot < this.settings.numberOfSlots; slot++) if (!this.threads.has(slot)) this.start(slot, undefined);
  }

  get(slot: number): SlotThread | undefined {
    return this.threads.get(slot);
  }

  all(): SlotThread[] {
    return [...this.threads.values()];
  }

  /**
   * The thread of `slot` for `jobId`: the one there when it serves that job or none yet, else a new
   * one. `stuck`: the one there still holds a task it was told to cancel, so it is replaced.
   */
  threadFor(slot: number, jobId: JobId, stuck: boolean): SlotThread {
    clearTimeout(this.idleTimers.get(slot));
    this.idleTimers.delete(slot);
    const current = this.threads.get(slot);
    if (current !== undefined && !current.isRetired && !stuck && (current.jobId === jobId || current.jobId === undefined)) {
      if (current.jobId === undefined) {
        current.bind(jobId);
        log.info(`The thread of slot ${slot} now serves job ${jobId}.`);
        this.events.onServing(current);
      }
      return current;
    }
    if (current !== undefined)
      this.retireInBackground(
        current,
        stuck ? `a task canceled on it has not stopped` : `slot ${slot} now serves job ${jobId}`,
        false,
        !stuck,
      );
    return this.start(slot, jobId);
  }

  /** The slot is free: its thread ends if it stays free for a while, and a fresh one takes its place. */
  slotFreed(slot: number): void {
    const thread = this.threads.get(slot);
    if (thread === undefined || thread.jobId === undefined || this.idleTimers.has(slot)) return;
    const timer = setTimeout(() => {
      this.idleTimers.delete(slot);
      if (thread.attempts.size === 0) this.retireInBackground(thread, `slot ${slot} stayed free`, true, true);
    }, IDLE_THREAD_MS);
    timer.unref();
    this.idleTimers.set(slot, timer);
  }

  /** Ends the threads of `jobId`; fresh threads take their slots. */
  async release(jobId: JobId): Promise<void> {
    await Promise.all(
      this.all()
        .filter((t) => t.jobId === jobId)
        .map((t) => this.retire(t, `job ${jobId} was released`, true, true)),
    );
  }

  /** Ends a thread without waiting for it; `drainOutput` as SlotThread.retire (false for a thread stuck in user code). */
  retireInBackground(thread: SlotThread, reason: string, replace: boolean, drainOutput: boolean): void {
    detach(this.retire(thread, reason, replace, drainOutput), (error) =>
      log.warn(`Ending the thread of slot ${thread.slotIndex} failed: ${describeError(error)}`),
    );
  }

  /** A thread ended without being asked to: its slot gets a new thread at its next task. */
  forget(thread: SlotThread): void {
    if (this.threads.get(thread.slotIndex) === thread) this.threads.delete(thread.slotIndex);
  }

  /** Ends every thread; none starts any more. */
  async close(reason: string): Promise<void> {
    this.closed = true;
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    await Promise.all(this.all().map((thread) => this.retire(thread, reason, false, true)));
  }

  /** Ends a thread on purpose; `replace`: a fresh thread is started for its slot if it has none. */
  private async retire(thread: SlotThread, reason: string, replace: boolean, drainOutput: boolean): Promise<void> {
    if (thread.isRetired) return thread.exited;
    this.forget(thread);
    log.info(
      `Ending the thread of slot ${thread.slotIndex} (${thread.jobId === undefined ? 'no job yet' : `job ${thread.jobId}`}): ${reason}.`,
    );
    await thread.retire(drainOutput);
    this.events.onEnded(thread, reason, undefined);
    rmSync(thread.data.workDir, { recursive: true, force: true });
    if (replace && !this.closed && !this.threads.has(thread.slotIndex)) this.start(thread.slotIndex, undefined);
  }

  private start(slot: number, jobId: JobId | undefined): SlotThread {
    const heap = this.settings.heapPerSlotMb;
    const thread = new SlotThread(
      {
        resourceId: this.settings.resourceId,
        slotIndex: slot,
        numberOfSlots: this.settings.numberOfSlots,
        // Its own directory: a thread being retired removes its files while its successor starts.
        workDir: join(this.settings.workDir, `slot-${slot}-${++this.started}`),
        secret: new Uint8Array(this.settings.secret()),
        tls: this.settings.tls,
        maxDataFrameBytes: this.settings.maxDataFrameBytes,
        logLevel: this.settings.logLevel,
        metricsIntervalMs: METRICS_INTERVAL_MS,
        localStateDir: this.settings.localStateDir,
      },
      jobId,
      heap === undefined ? undefined : { maxOldGenerationSizeMb: heap },
      {
        onMessage: (from, message) => this.events.onMessage(from, message),
        onUnexpectedExit: (from, reason, error) => {
          this.forget(from);
          this.events.onEnded(from, reason, error);
        },
      },
    );
    this.threads.set(slot, thread);
    const limit = heap === undefined ? '' : `heap limit ${heap} MB`;
    if (jobId === undefined) log.info(`Started a thread for slot ${slot} ahead of its first task${limit === '' ? '' : ` (${limit})`}.`);
    else log.info(`Started a thread for slot ${slot} (job ${jobId}${limit === '' ? '' : `, ${limit}`}).`);
    if (jobId !== undefined) this.events.onServing(thread);
    return thread;
  }
}
