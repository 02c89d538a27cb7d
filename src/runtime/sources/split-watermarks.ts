/**
 * Per-split timestamps and watermarks of a source (Flink's per-split watermark generation): each
 * split has its own generator; the source's watermark is the minimum over the splits in play.
 */
import type { Output } from '../operators/stream-operator.js';
import { MIN_WATERMARK, type Cancellable, type TaskServices } from '../task-contract.js';
import { WatermarkEmitter } from '../watermarks/watermark-emitter.js';
import type { WatermarkGenerator, WatermarkOutput, WatermarkStrategy } from '../watermarks/watermark-strategy.js';
import type { ReaderOutput, SplitOutput } from './source.js';

class SplitChannel implements SplitOutput<unknown>, WatermarkOutput {
  watermark = MIN_WATERMARK;
  constructor(
    private readonly owner: SplitWatermarks,
    readonly generator: WatermarkGenerator<unknown>,
    private readonly assign: (event: unknown, ts: number | undefined) => number | undefined,
    private readonly output: Output,
  ) {}

  collect(value: unknown, timestamp?: number): void {
    const ts = this.assign(value, timestamp);
    this.output.collect(value, ts);
    if (ts !== undefined) this.generator.onEvent(value, ts, this);
  }

  emitWatermark(watermark: number): void {
    if (watermark > this.watermark) {
      this.watermark = watermark;
      this.owner.onSplitWatermark();
    }
  }
}

/** The ReaderOutput of a source operator, combining split watermarks. */
export class SplitWatermarks implements ReaderOutput<unknown> {
  private readonly channels = new Map<string, SplitChannel>();
  private readonly emitter: WatermarkEmitter;
  private periodic: Cancellable | undefined;
  private readonly assign: (event: unknown, ts: number | undefined) => number | undefined;

  constructor(
    private readonly strategy: WatermarkStrategy<unknown>,
    private readonly output: Output,
    private readonly services: TaskServices,
  ) {
    this.emitter = new WatermarkEmitter((wm) => output.emitWatermark(wm));
    this.assign = strategy.createTimestampAssigner();
  }

  forSplit(splitId: string): SplitOutput<unknown> {
    let channel = this.channels.get(splitId);
    if (channel === undefined) {
      channel = new SplitChannel(this, this.strategy.createWatermarkGenerator(), this.assign, this.output);
      this.channels.set(splitId, channel);
    }
    return channel;
  }

  splitFinished(splitId: string): void {
    if (this.channels.delete(splitId)) this.onSplitWatermark();
  }

  /** Recomputes the minimum over the splits in play and emits it when it advanced. */
  onSplitWatermark(): void {
    if (this.channels.size === 0) return;
    let min = Number.POSITIVE_INFINITY;
    for (const c of this.channels.values()) if (c.watermark < min) min = c.watermark;
    this.emitter.emitWatermark(min);
  }

  start(): void {
    const interval = this.services.autoWatermarkIntervalMs;
    if (interval > 0 && this.strategy.emitsWatermarks) {
      this.periodic = this.services.processingTime.scheduleAtFixedRate(() => this.emitPeriodic(), interval, interval);
    }
  }

  private emitPeriodic(): void {
    for (const c of this.channels.values()) c.generator.onPeriodicEmit(c);
  }

  stop(): void {
    this.periodic?.cancel();
    this.periodic = undefined;
  }
}
