/** Runs a SinkFunction on every record (Flink's StreamSink). */
import { asCallable2, type SinkContext, type SinkFunction } from '../functions/function-types.js';
import { AbstractUdfOperator } from './abstract-udf-operator.js';

/** The end of a pipeline: hands each record to the user's sink function. */
export class SinkOperator extends AbstractUdfOperator<SinkFunction<unknown>> {
  private readonly invoke: (value: unknown, context: SinkContext) => void;
  private currentTimestamp: number | undefined;
  private readonly context: SinkContext = {
    timestamp: () => this.currentTimestamp,
    currentWatermark: () => this.currentWatermark,
    currentProcessingTime: () => this.services.processingTime.now(),
  };

  constructor(userFunction: SinkFunction<unknown>) {
    super(userFunction);
    this.invoke = asCallable2(userFunction as (v: unknown, c: SinkContext) => void, 'invoke');
  }

  processElement(value: unknown, timestamp: number | undefined): void {
    this.currentTimestamp = timestamp;
    this.invoke(value, this.context);
  }

  override processWatermark(watermark: number): void {
    this.currentWatermark = watermark;
  }
}
