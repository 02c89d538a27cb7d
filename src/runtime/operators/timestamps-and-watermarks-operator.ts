/**
 * Assigns event timestamps and generates watermarks inside a stream (Flink's
 * TimestampsAndWatermarksOperator): upstream watermarks are swallowed except the final MAX.
 */
import { MAX_WATERMARK, type Cancellable } from '../task-contract.js';
import { WatermarkEmitter } from '../watermarks/watermark-emitter.js';
import type { WatermarkGenerator, WatermarkStrategy } from '../watermarks/watermark-strategy.js';
import { AbstractStreamOperator } from './abstract-stream-operator.js';

/** Applies a WatermarkStrategy: timestamps per record, watermarks per event and every auto-watermark interval. */
export class TimestampsAndWatermarksOperator extends AbstractStreamOperator {
  private generator!: WatermarkGenerator<unknown>;
  private assign!: (event: unknown, ts: number | undefined) => number | undefined;
  private emitter!: WatermarkEmitter;
  private periodic: Cancellable | undefined;

  constructor(private readonly strategy: WatermarkStrategy<unknown>) {
    super();
  }

  override open(): void {
    this.generator = this.strategy.createWatermarkGenerator();
    this.assign = this.strategy.createTimestampAssigner();
    this.emitter = new WatermarkEmitter((wm) => this.output.emitWatermark(wm));
    const interval = this.services.autoWatermarkIntervalMs;
    if (interval > 0 && this.strategy.emitsWatermarks) {
      this.periodic = this.services.processingTime.scheduleAtFixedRate(() => this.emitPeriodic(), interval, interval);
    }
  }

  private emitPeriodic(): void {
    if (this.emitter.current !== MAX_WATERMARK) this.generator.onPeriodicEmit(this.emitter);
  }

  processElement(value: unknown, timestamp: number | undefined): void {
    const ts = this.assign(value, timestamp);
    this.output.collect(value, ts);
    if (ts !== undefined) this.generator.onEvent(value, ts, this.emitter);
  }

  override processWatermark(watermark: number): void {
    if (watermark === MAX_WATERMARK) this.emitter.emitWatermark(MAX_WATERMARK);
  }

  override endInput(): void {
    this.emitPeriodic();
    this.emitter.emitWatermark(MAX_WATERMARK);
  }

  override close(): void | Promise<void> {
    this.periodic?.cancel();
    this.periodic = undefined;
    return super.close();
  }
}
