/** Rolling reduce on a keyed stream: emits the running reduction of each key at every record (Flink's StreamGroupedReduceOperator). */
import { asCallable2, type ReduceFunction } from '../functions/function-types.js';
import type { HeapValueState } from '../state/heap-states.js';
import { ValueStateDescriptor } from '../state/state-descriptors.js';
import { AbstractUdfOperator } from './abstract-udf-operator.js';

/** Keeps one value per key and folds each record into it. */
export class StreamGroupedReduceOperator extends AbstractUdfOperator<ReduceFunction<unknown>> {
  private readonly reduce: (a: unknown, b: unknown) => unknown;
  private values!: HeapValueState<unknown>;

  constructor(userFunction: ReduceFunction<unknown>) {
    super(userFunction);
    this.reduce = asCallable2(userFunction, 'reduce');
  }

  protected override openOperator(): void {
    const descriptor = new ValueStateDescriptor<unknown>('_op_state', this.setupInfo.inputType);
    this.values = this.keyedBackend!.getPartitionedState(descriptor) as HeapValueState<unknown>;
  }

  processElement(value: unknown, timestamp: number | undefined): void {
    const current = this.values.value();
    const next = current === undefined ? value : this.reduce(current, value);
    this.values.update(next);
    this.output.collect(next, timestamp);
  }
}
