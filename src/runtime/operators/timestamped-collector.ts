/** A Collector that stamps what it collects with the timestamp of the record being processed. */
import type { Collector } from '../functions/function-types.js';
import type { Output } from './stream-operator.js';

/** Reused for every record of an operator, so collecting allocates nothing. */
export class TimestampedCollector<T> implements Collector<T> {
  timestamp: number | undefined = undefined;
  constructor(private readonly output: Output) {}
  collect(value: T): void {
    this.output.collect(value, this.timestamp);
  }
}
