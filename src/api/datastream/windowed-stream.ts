/** WindowedStream: a keyed stream cut into windows, evaluated by reduce, aggregate, process, apply or a built-in aggregation. */
import { GENERIC_TYPE, type TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import { createAggregator, type AggregationType } from '../../runtime/aggregation/aggregators.js';
import type { FieldSpec } from '../../runtime/aggregation/field-accessor.js';
import { functionName, type AggregateFunction, type ReduceFunction } from '../../runtime/functions/function-types.js';
import { copyUserFunction } from '../../runtime/functions/user-function-copier.js';
import {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  ReducingStateDescriptor,
  type AnyStateDescriptor,
} from '../../runtime/state/state-descriptors.js';
import { toMillis, type TimeSpan } from '../../runtime/time/duration.js';
import type { Evictor } from '../../runtime/windowing/evictors.js';
import type { Trigger } from '../../runtime/windowing/trigger.js';
import type { WindowAssigner } from '../../runtime/windowing/window-assigners.js';
import {
  aggregatingIterableWindowFunction,
  iterableWindowFunction,
  reducingIterableWindowFunction,
  singleValueWindowFunction,
  windowFunctionAsProcess,
  type InternalWindowFunction,
  type ProcessWindowFunctionLike,
  type WindowFunction,
} from '../../runtime/windowing/window-functions.js';
import { WindowOperator } from '../../runtime/windowing/window-operator.js';
import type { Window } from '../../runtime/windowing/windows.js';
import { InvalidProgramError } from '../api-errors.js';
import type { KeyedStream, SingleOutputStreamOperator } from './data-stream.js';

type AnyProcessFn = ProcessWindowFunctionLike<unknown, unknown, unknown, Window>;
const CONTENTS = 'window-contents';

/** Builds, per subtask, the state holding a window's contents and the function evaluating it. */
type EvaluationFactory = (evicting: boolean, inputType: TypeDescriptor) => { contents: AnyStateDescriptor; fn: InternalWindowFunction };

/** Windows of a keyed stream. */
export class WindowedStream<T, K, W extends Window> {
  private customTrigger: Trigger<unknown, W> | undefined;
  private customEvictor: Evictor<unknown, W> | undefined;
  private lateness = 0;

  constructor(
    private readonly input: KeyedStream<T, K>,
    private readonly assigner: WindowAssigner<W>,
  ) {}

  trigger(trigger: Trigger<T, W> | Trigger<unknown, W>): this {
    this.customTrigger = trigger;
    return this;
  }

  evictor(evictor: Evictor<T, W> | Evictor<unknown, W>): this {
    this.customEvictor = evictor;
    return this;
  }

  /** How long after a window's end late elements still update it (event time only). */
  allowedLateness(lateness: TimeSpan): this {
    const ms = toMillis(lateness);
    if (ms < 0) throw new InvalidProgramError(`The allowed lateness must be >= 0, got ${ms}`);
    if (ms > 0 && !this.assigner.isEventTime()) throw new InvalidProgramError('Allowed lateness applies to event-time windows only');
    this.lateness = ms;
    return this;
  }

  /** Incremental reduce; the optional window function sees the one reduced value per window. */
  reduce<R = T>(
    reduceFn: ReduceFunction<T>,
    windowFn?: ProcessWindowFunctionLike<T, R, K, W>,
    outputType?: TypeDescriptor,
  ): SingleOutputStreamOperator<R> {
    const names = [
      functionName(reduceFn, 'ReduceFunction'),
      windowFn === undefined ? 'PassThroughWindowFunction' : functionName(windowFn, 'ProcessWindowFunction'),
    ];
    return this.build<R>(names, outputType ?? (windowFn === undefined ? this.input.getType() : GENERIC_TYPE), (evicting, inputType) => {
      const r = copyUserFunction<ReduceFunction<unknown>>(reduceFn as ReduceFunction<unknown>);
      const w = copyUserFunction<AnyProcessFn | undefined>(windowFn);
      const fns = [r, w].filter((f) => f !== undefined);
      if (evicting) return { contents: evictingContents(inputType), fn: reducingIterableWindowFunction(r, w, fns) };
      return { contents: new ReducingStateDescriptor(CONTENTS, r, inputType), fn: singleValueWindowFunction(w, fns) };
    });
  }

  /** Incremental aggregation with an accumulator; the optional window function sees the one result per window. */
  aggregate<ACC, V, R = V>(
    aggFn: AggregateFunction<T, ACC, V>,
    windowFn?: ProcessWindowFunctionLike<V, R, K, W>,
    outputType: TypeDescriptor = GENERIC_TYPE,
  ): SingleOutputStreamOperator<R> {
    const names = [
      functionName(aggFn, 'AggregateFunction'),
      windowFn === undefined ? 'PassThroughWindowFunction' : functionName(windowFn, 'ProcessWindowFunction'),
    ];
    return this.build<R>(names, outputType, (evicting, inputType) => {
      const a = copyUserFunction<AggregateFunction<unknown, unknown, unknown>>(aggFn);
      const w = copyUserFunction<AnyProcessFn | undefined>(windowFn);
      const fns = [a, w].filter((f) => f !== undefined);
      if (evicting) return { contents: evictingContents(inputType), fn: aggregatingIterableWindowFunction(a, w, fns) };
      return { contents: new AggregatingStateDescriptor(CONTENTS, a), fn: singleValueWindowFunction(w, fns) };
    });
  }

  /** Evaluates all elements of a window at once. */
  process<R>(fn: ProcessWindowFunctionLike<T, R, K, W>, outputType: TypeDescriptor = GENERIC_TYPE): SingleOutputStreamOperator<R> {
    return this.build<R>([functionName(fn, 'ProcessWindowFunction')], outputType, (evicting, inputType) => {
      const w = copyUserFunction(fn) as AnyProcessFn;
      return {
        contents: evicting ? evictingContents(inputType) : new ListStateDescriptor(CONTENTS, inputType),
        fn: iterableWindowFunction(w, [w]),
      };
    });
  }

  /** Evaluates all elements of a window with a WindowFunction (key, window, elements, out). */
  apply<R>(fn: WindowFunction<T, R, K, W>, outputType: TypeDescriptor = GENERIC_TYPE): SingleOutputStreamOperator<R> {
    return this.build<R>([functionName(fn, 'WindowFunction')], outputType, (evicting, inputType) => {
      const original = copyUserFunction(fn);
      const w = windowFunctionAsProcess(original);
      return {
        contents: evicting ? evictingContents(inputType) : new ListStateDescriptor(CONTENTS, inputType),
        fn: iterableWindowFunction(w, [original]),
      };
    });
  }

  private aggregation(type: AggregationType, field: FieldSpec, first = true): SingleOutputStreamOperator<T> {
    const aggregator = createAggregator(type, field, this.input.getType(), first);
    return this.reduceNamed({ reduce: (a: T, b: T): T => aggregator.reduce(a, b) as T }, aggregator.name);
  }

  private reduceNamed(fn: { reduce(a: T, b: T): T }, name: string): SingleOutputStreamOperator<T> {
    return this.build<T>([name, 'PassThroughWindowFunction'], this.input.getType(), (evicting, inputType) => {
      if (evicting) return { contents: evictingContents(inputType), fn: reducingIterableWindowFunction(fn, undefined, []) };
      return { contents: new ReducingStateDescriptor(CONTENTS, fn, inputType), fn: singleValueWindowFunction(undefined, []) };
    });
  }

  sum(field: FieldSpec): SingleOutputStreamOperator<T> {
    return this.aggregation('SUM', field);
  }
  min(field: FieldSpec): SingleOutputStreamOperator<T> {
    return this.aggregation('MIN', field);
  }
  max(field: FieldSpec): SingleOutputStreamOperator<T> {
    return this.aggregation('MAX', field);
  }
  minBy(field: FieldSpec, first = true): SingleOutputStreamOperator<T> {
    return this.aggregation('MIN_BY', field, first);
  }
  maxBy(field: FieldSpec, first = true): SingleOutputStreamOperator<T> {
    return this.aggregation('MAX_BY', field, first);
  }

  private build<R>(functionNames: readonly string[], outputType: TypeDescriptor, make: EvaluationFactory): SingleOutputStreamOperator<R> {
    const assigner = this.assigner as unknown as WindowAssigner;
    const trigger = (this.customTrigger ?? this.assigner.getDefaultTrigger()) as unknown as Trigger<unknown, Window>;
    const evictor = this.customEvictor;
    const lateness = this.lateness;
    const inputType = this.input.getType();
    const evictorPart = evictor === undefined ? '' : `${evictor.simpleName}, `;
    const name = `Window(${String(assigner)}, ${trigger.simpleName}, ${evictorPart}${functionNames.join(', ')})`;
    return this.input.addKeyedOperator<R>('window', name, outputType, () => {
      const { contents, fn } = make(evictor !== undefined, inputType);
      return new WindowOperator({
        assigner,
        trigger,
        evictor,
        allowedLatenessMs: lateness,
        contentsDescriptor: contents,
        windowFunction: fn,
      });
    });
  }
}

/** Contents of an evicting window: every element with its timestamp, as [value, timestamp]. */
function evictingContents(inputType: TypeDescriptor): AnyStateDescriptor {
  return new ListStateDescriptor(CONTENTS, { kind: 'TUPLE', fields: [inputType, GENERIC_TYPE] });
}
