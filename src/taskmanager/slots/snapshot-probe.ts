import type { TaskIdentity, TaskMetricProbe } from '../../metrics/task-metrics.js';
import { MIN_WATERMARK } from '../../runtime/task-contract.js';
import type { TaskCounterSnapshot } from './slot-messages.js';

/**
 * A task on a slot thread as the TaskManager's metrics read it: the counters its thread last sent.
 * A thread that stops sending is held up by user code, so the time since its last report (beyond
 * the usual gap) counts as busy: a task stuck in a function shows as busy, as in Flink.
 */
export class SnapshotProbe implements TaskMetricProbe {
  private counters: TaskCounterSnapshot | undefined;
  private at = 0;

  constructor(
    readonly identity: TaskIdentity,
    /** How often the thread reports; a gap longer than twice this is time the thread was busy. */
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  update(at: number, counters: TaskCounterSnapshot): void {
    this.counters = counters;
    this.at = at;
  }

  numRecordsIn(): number {
    return this.counters?.numRecordsIn ?? 0;
  }

  numRecordsOut(): number {
    return this.counters?.numRecordsOut ?? 0;
  }

  numBytesIn(): number {
    return this.counters?.numBytesIn ?? 0;
  }

  numBytesOut(): number {
    return this.counters?.numBytesOut ?? 0;
  }

  busyMs(): number {
    return (this.counters?.busyMs ?? 0) + this.stalledMs();
  }

  idleMs(): number {
    return this.counters?.idleMs ?? 0;
  }

  backPressuredMs(): number {
    return this.counters?.backPressuredMs ?? 0;
  }

  isBackPressured(): boolean {
    return this.stalledMs() === 0 && (this.counters?.isBackPressured ?? false);
  }

  currentInputWatermark(): number {
    return this.counters?.currentInputWatermark ?? MIN_WATERMARK;
  }

  currentOutputWatermark(): number {
    return this.counters?.currentOutputWatermark ?? MIN_WATERMARK;
  }

  pendingRecords(): number | undefined {
    return this.counters?.pendingRecords;
  }

  restoredBytesLocal(): number {
    return this.counters?.restoredBytesLocal ?? 0;
  }

  restoredBytesFromStorage(): number {
    return this.counters?.restoredBytesFromStorage ?? 0;
  }

  /** How long the thread has been silent beyond its reporting gap. */
  private stalledMs(): number {
    if (this.counters === undefined) return 0;
    return Math.max(0, this.now() - this.at - 2 * this.intervalMs);
  }
}
