/**
 * The shapes of user functions: each may be a plain function or an object with the named method
 * (plus optional `open`/`close`), mirroring Flink's functional interfaces and rich functions.
 */
import { InvalidFunctionError } from '../runtime-errors.js';
import type { RuntimeContext } from './runtime-context.js';

/** Receives the records a function produces. */
export interface Collector<T> {
  collect(value: T): void;
}

/** Optional lifecycle hooks of a rich function object. */
export interface RichFunctionHooks {
  open?(context: RuntimeContext): void | Promise<void>;
  close?(): void | Promise<void>;
  setRuntimeContext?(context: RuntimeContext): void;
}

/** One record in, one record out. */
export type MapFunction<I, O> = ((value: I) => O) | ({ map(value: I): O } & RichFunctionHooks);
/** One record in, any number out. */
export type FlatMapFunction<I, O> =
  ((value: I, out: Collector<O>) => void) | ({ flatMap(value: I, out: Collector<O>): void } & RichFunctionHooks);
/** Keeps the records for which it returns true. */
export type FilterFunction<T> = ((value: T) => boolean) | ({ filter(value: T): boolean } & RichFunctionHooks);
/** Combines two values of the same type into one. */
export type ReduceFunction<T> = ((value1: T, value2: T) => T) | ({ reduce(value1: T, value2: T): T } & RichFunctionHooks);
/** Extracts the key of a record; must be deterministic. */
export type KeySelector<T, K> = ((value: T) => K) | { getKey(value: T): K };

/** Incremental aggregation with an accumulator (Flink's AggregateFunction). */
export interface AggregateFunction<IN, ACC, OUT> {
  createAccumulator(): ACC;
  add(value: IN, accumulator: ACC): ACC;
  getResult(accumulator: ACC): OUT;
  merge(a: ACC, b: ACC): ACC;
}

/** Computes how far apart two data points are, for DeltaTrigger. */
export type DeltaFunction<T> = ((oldDataPoint: T, newDataPoint: T) => number) | { getDelta(oldDataPoint: T, newDataPoint: T): number };

/** Writes each record somewhere (Flink's SinkFunction). */
export type SinkFunction<T> =
  ((value: T, context: SinkContext) => void) | ({ invoke(value: T, context: SinkContext): void } & RichFunctionHooks);

/** What a SinkFunction knows about the record it writes. */
export interface SinkContext {
  timestamp(): number | undefined;
  currentWatermark(): number;
  currentProcessingTime(): number;
}

/** Converts a function-or-object into a plain callable once, so per-record calls stay cheap. */
export function asCallable1<A, R>(fn: ((a: A) => R) | object, method: string): (a: A) => R {
  if (typeof fn === 'function') return fn as (a: A) => R;
  const m = (fn as Record<string, unknown>)[method];
  if (typeof m !== 'function')
    throw new InvalidFunctionError(`The function object has no ${method}() method: pass a function or an object with ${method}()`);
  return (m as (a: A) => R).bind(fn);
}

/** As asCallable1, for two-argument functions. */
export function asCallable2<A, B, R>(fn: ((a: A, b: B) => R) | object, method: string): (a: A, b: B) => R {
  if (typeof fn === 'function') return fn as (a: A, b: B) => R;
  const m = (fn as Record<string, unknown>)[method];
  if (typeof m !== 'function')
    throw new InvalidFunctionError(`The function object has no ${method}() method: pass a function or an object with ${method}()`);
  return (m as (a: A, b: B) => R).bind(fn);
}

/** A readable name for a user function, used in operator names as Flink uses class names. */
export function functionName(fn: unknown, fallback: string): string {
  if (typeof fn === 'function') return fn.name !== '' && !fn.name.startsWith('bound ') ? fn.name : fallback;
  if (typeof fn === 'object' && fn !== null) {
    const ctor = (fn as { constructor?: { name?: unknown } }).constructor;
    const name = ctor?.name;
    if (typeof name === 'string' && name !== '' && name !== 'Object') return name;
  }
  return fallback;
}
