/** The one-record-at-a-time operators: map, flatMap and filter (Flink's StreamMap, StreamFlatMap, StreamFilter). */
import {
  asCallable1,
  asCallable2,
  type Collector,
  type FilterFunction,
  type FlatMapFunction,
  type MapFunction,
} from '../functions/function-types.js';
import { AbstractUdfOperator } from './abstract-udf-operator.js';
import { TimestampedCollector } from './timestamped-collector.js';

/** Applies a MapFunction to every record, keeping its timestamp. */
export class StreamMapOperator extends AbstractUdfOperator<MapFunction<unknown, unknown>> {
  private readonly fn: (value: unknown) => unknown;
  constructor(userFunction: MapFunction<unknown, unknown>) {
    super(userFunction);
    this.fn = asCallable1(userFunction, 'map');
  }
  processElement(value: unknown, timestamp: number | undefined): void {
    this.output.collect(this.fn(value), timestamp);
  }
}

/** Applies a FlatMapFunction; everything it collects keeps the input record's timestamp. */
export class StreamFlatMapOperator extends AbstractUdfOperator<FlatMapFunction<unknown, unknown>> {
  private readonly fn: (value: unknown, out: Collector<unknown>) => void;
  private collector!: TimestampedCollector<unknown>;
  constructor(userFunction: FlatMapFunction<unknown, unknown>) {
    super(userFunction);
    this.fn = asCallable2(userFunction, 'flatMap');
  }
  protected override openOperator(): void {
    this.collector = new TimestampedCollector(this.output);
  }
  processElement(value: unknown, timestamp: number | undefined): void {
    this.collector.timestamp = timestamp;
    this.fn(value, this.collector);
  }
}

/** Forwards the records a FilterFunction accepts. */
export class StreamFilterOperator extends AbstractUdfOperator<FilterFunction<unknown>> {
  private readonly fn: (value: unknown) => boolean;
  constructor(userFunction: FilterFunction<unknown>) {
    super(userFunction);
    this.fn = asCallable1(userFunction, 'filter');
  }
  processElement(value: unknown, timestamp: number | undefined): void {
    if (this.fn(value)) this.output.collect(value, timestamp);
  }
}
