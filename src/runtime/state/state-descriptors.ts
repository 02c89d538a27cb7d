/** Named descriptions of keyed state, as a function asks the runtime context for its state. */
import { StateError } from '../runtime-errors.js';
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import type { AggregateFunction, ReduceFunction } from '../functions/function-types.js';

/** Which kind of state a descriptor asks for. */
export type StateKind = 'value' | 'list' | 'map' | 'reducing' | 'aggregating';

/** Common part of every state descriptor: a name unique within the operator. */
export abstract class StateDescriptor {
  abstract readonly kind: StateKind;
  constructor(readonly name: string) {
    if (typeof name !== 'string' || name === '') throw new StateError('A state descriptor needs a non-empty name');
  }
}

/** A single value per key (Flink's ValueStateDescriptor). */
export class ValueStateDescriptor<T> extends StateDescriptor {
  readonly kind = 'value' as const;
  constructor(
    name: string,
    readonly type?: TypeDescriptor,
    readonly defaultValue?: T,
  ) {
    super(name);
  }
}

/** A list of values per key. */
export class ListStateDescriptor<T> extends StateDescriptor {
  readonly kind = 'list' as const;
  declare readonly __element?: T;
  constructor(
    name: string,
    readonly elementType?: TypeDescriptor,
  ) {
    super(name);
  }
}

/** A map of user keys to values per key. */
export class MapStateDescriptor<K, V> extends StateDescriptor {
  readonly kind = 'map' as const;
  declare readonly __entry?: [K, V];
  constructor(
    name: string,
    readonly keyType?: TypeDescriptor,
    readonly valueType?: TypeDescriptor,
  ) {
    super(name);
  }
}

/** A value per key that every add() folds in with a reduce function. */
export class ReducingStateDescriptor<T> extends StateDescriptor {
  readonly kind = 'reducing' as const;
  constructor(
    name: string,
    readonly reduceFunction: ReduceFunction<T>,
    readonly type?: TypeDescriptor,
  ) {
    super(name);
  }
}

/** An accumulator per key that every add() updates with an aggregate function. */
export class AggregatingStateDescriptor<IN, ACC, OUT> extends StateDescriptor {
  readonly kind = 'aggregating' as const;
  constructor(
    name: string,
    readonly aggregateFunction: AggregateFunction<IN, ACC, OUT>,
    readonly accumulatorType?: TypeDescriptor,
  ) {
    super(name);
  }
}

/** Any of the descriptors above. */
// `any` because function-typed fields make descriptors of T invariant in T; the runtime only stores values.
export type AnyStateDescriptor =
  | ValueStateDescriptor<unknown>
  | ListStateDescriptor<unknown>
  | MapStateDescriptor<unknown, unknown>
  | ReducingStateDescriptor<any>
  | AggregatingStateDescriptor<any, any, any>;
