/** Reads sequence splits, either one after another or interleaved record by record, optionally rate limited. */
import type { SourceStatus } from '../task-contract.js';
import { AvailabilitySignal, AVAILABLE } from './availability.js';
import type { RateLimiter } from './rate-limiter.js';
import { remainingInSplits, type SequenceSplit } from './sequence-splits.js';
import type { ReaderOutput, SourceReader, SourceReaderContext, SplitOutput } from './source.js';

/** How a reader walks its splits. */
export interface SequenceReaderOptions<T> {
  /** Interleaved: one record of each split in turn, all splits in the watermark from the start. */
  readonly interleaved: boolean;
  readonly map: (index: number) => T;
  readonly rateLimiter: RateLimiter | undefined;
  /** Unbounded readers without splits stay idle instead of ending. */
  readonly unbounded: boolean;
  readonly ctx: SourceReaderContext;
}

/** The reader of NumberSequenceSource and DataGeneratorSource. */
export class SequenceSplitReader<T> implements SourceReader<T, SequenceSplit> {
  private splits: SequenceSplit[] = [];
  private outputs: SplitOutput<T>[] = [];
  private registered = false;
  private cursor = 0;
  private readonly signal = new AvailabilitySignal();
  private waiting = false;

  constructor(private readonly options: SequenceReaderOptions<T>) {}

  start(): void {}

  addSplits(splits: readonly SequenceSplit[]): void {
    for (const s of splits) this.splits.push({ id: s.id, next: s.next, end: s.end });
    this.splits.sort((a, b) => a.id - b.id);
    this.registered = false;
  }

  pollNext(output: ReaderOutput<T>, budget: number): SourceStatus {
    this.register(output);
    if (this.splits.length === 0) return this.options.unbounded ? 'NOTHING_AVAILABLE' : 'END_OF_INPUT';
    const limiter = this.options.rateLimiter;
    // Take every permit owed since the last poll at once (up to the budget): a burst per wake-up, not one record.
    const allowed = limiter === undefined ? budget : limiter.acquireUpTo(this.remainingOrBudget(budget));
    for (let emitted = 0; emitted < allowed; emitted++) {
      if (this.splits.length === 0) break;
      this.emitOne(output);
    }
    if (this.splits.length === 0) return this.options.unbounded ? 'NOTHING_AVAILABLE' : 'END_OF_INPUT';
    return allowed < budget && limiter !== undefined ? 'NOTHING_AVAILABLE' : 'MORE_AVAILABLE';
  }

  /** Records left in the splits, capped at `budget` (so a bounded reader takes no permits it cannot use). */
  private remainingOrBudget(budget: number): number {
    let left = 0;
    for (const s of this.splits) {
      left += Math.max(0, s.end - s.next + 1);
      if (left >= budget) return budget;
    }
    return left;
  }

  private register(output: ReaderOutput<T>): void {
    if (this.registered) return;
    this.registered = true;
    const ids = this.options.interleaved ? this.splits.map((s) => s.id) : this.splits.slice(0, 1).map((s) => s.id);
    this.outputs = this.splits.map((s) => (ids.includes(s.id) ? output.forSplit(String(s.id)) : undefined)) as SplitOutput<T>[];
  }

  private emitOne(output: ReaderOutput<T>): void {
    if (this.cursor >= this.splits.length) this.cursor = 0;
    const i = this.options.interleaved ? this.cursor : 0;
    const split = this.splits[i]!;
    let out = this.outputs[i];
    if (out === undefined) {
      out = output.forSplit(String(split.id));
      this.outputs[i] = out;
    }
    const index = split.next++;
    out.collect(this.options.map(index));
    if (split.next > split.end) {
      this.splits.splice(i, 1);
      this.outputs.splice(i, 1);
      output.splitFinished(String(split.id));
    } else {
      this.cursor = i + 1;
    }
  }

  isAvailable(): Promise<void> {
    const limiter = this.options.rateLimiter;
    if (this.splits.length === 0) return this.signal.wait();
    if (limiter === undefined) return AVAILABLE;
    if (!this.waiting) {
      this.waiting = true;
      this.options.ctx.services.processingTime.registerTimer(limiter.nextPermitTime(), () => {
        this.waiting = false;
        this.signal.notify();
      });
    }
    return this.signal.wait();
  }

  snapshotState(): SequenceSplit[] {
    return this.splits.map((s) => ({ id: s.id, next: s.next, end: s.end }));
  }

  pendingRecords(): number | undefined {
    return this.options.unbounded ? undefined : remainingInSplits(this.splits);
  }

  close(): void {
    this.signal.notify();
  }
}
