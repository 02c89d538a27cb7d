/** How a stream gets event timestamps and watermarks (Flink's WatermarkStrategy). */
import { toMillis, type TimeSpan } from '../time/duration.js';

/** Where a watermark generator emits watermarks. */
export interface WatermarkOutput {
  emitWatermark(watermark: number): void;
}

/** Produces watermarks from events and periodically. */
export interface WatermarkGenerator<T> {
  onEvent(event: T, timestamp: number, output: WatermarkOutput): void;
  onPeriodicEmit(output: WatermarkOutput): void;
}

/** Extracts an event's timestamp; `recordTimestamp` is what the record already carries (undefined: none). */
export type TimestampAssigner<T> =
  | ((event: T, recordTimestamp: number | undefined) => number | undefined)
  | { extractTimestamp(event: T, recordTimestamp: number | undefined): number | undefined };

/** Watermark = highest timestamp seen − bound − 1, Flink's BoundedOutOfOrdernessWatermarks. */
export class BoundedOutOfOrdernessWatermarks<T> implements WatermarkGenerator<T> {
  private maxTimestamp = Number.NEGATIVE_INFINITY;
  constructor(private readonly outOfOrdernessMs: number) {
    if (outOfOrdernessMs < 0) throw new RangeError(`The out-of-orderness bound must be >= 0, got ${outOfOrdernessMs}`);
  }
  onEvent(_event: T, timestamp: number): void {
    if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp;
  }
  onPeriodicEmit(output: WatermarkOutput): void {
    // Before the first event Flink emits Long.MIN_VALUE, which never advances anything; emitting nothing is the same.
    if (this.maxTimestamp !== Number.NEGATIVE_INFINITY) output.emitWatermark(this.maxTimestamp - this.outOfOrdernessMs - 1);
  }
}

/** Emits no watermarks at all. */
export class NoWatermarksGenerator<T> implements WatermarkGenerator<T> {
  onEvent(): void {}
  onPeriodicEmit(): void {}
}

/** A recipe for timestamp assignment and watermark generation, instantiated per subtask (and per split in sources). */
export class WatermarkStrategy<T> {
  private constructor(
    private readonly generatorFactory: () => WatermarkGenerator<T>,
    readonly emitsWatermarks: boolean,
    private readonly assigner: TimestampAssigner<T> | undefined,
    readonly idleTimeoutMs: number | undefined,
    readonly description: string,
  ) {}

  /** Timestamps never decrease: watermark = max timestamp − 1. */
  static forMonotonousTimestamps<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(() => new BoundedOutOfOrdernessWatermarks<T>(0), true, undefined, undefined, 'monotonous');
  }

  /** Events are at most `maxOutOfOrderness` late: watermark = max timestamp − bound − 1. */
  static forBoundedOutOfOrderness<T>(maxOutOfOrderness: TimeSpan): WatermarkStrategy<T> {
    const ms = toMillis(maxOutOfOrderness);
    return new WatermarkStrategy<T>(() => new BoundedOutOfOrdernessWatermarks<T>(ms), true, undefined, undefined, `bounded(${ms})`);
  }

  /** No watermarks; event time does not advance (processing-time pipelines). */
  static noWatermarks<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(() => new NoWatermarksGenerator<T>(), false, undefined, undefined, 'none');
  }

  /** A custom generator. */
  static forGenerator<T>(factory: () => WatermarkGenerator<T>): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(factory, true, undefined, undefined, 'custom');
  }

  withTimestampAssigner(assigner: TimestampAssigner<T>): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(this.generatorFactory, this.emitsWatermarks, assigner, this.idleTimeoutMs, this.description);
  }

  /**
   * Accepted for compatibility; idleness is not propagated yet (the task contract has no watermark
   * status), so an idle input still holds back downstream watermarks.
   */
  withIdleness(timeout: TimeSpan): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(this.generatorFactory, this.emitsWatermarks, this.assigner, toMillis(timeout), this.description);
  }

  createWatermarkGenerator(): WatermarkGenerator<T> {
    return this.generatorFactory();
  }

  /** The timestamp function: the assigner's, or the record's own timestamp when none was given. */
  createTimestampAssigner(): (event: T, recordTimestamp: number | undefined) => number | undefined {
    const a = this.assigner;
    if (a === undefined) return (_e, ts) => ts;
    if (typeof a === 'function') return a;
    return (e, ts) => a.extractTimestamp(e, ts);
  }
}
