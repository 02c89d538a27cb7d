/** Functions evaluated on a window's contents: ProcessWindowFunction, WindowFunction (apply), and the internal adapters. */
import {
  asCallable2,
  type AggregateFunction,
  type Collector,
  type ReduceFunction,
  type RichFunctionHooks,
} from '../functions/function-types.js';
import { AbstractRichFunction } from '../functions/rich-functions.js';
import type { RuntimeContext } from '../functions/runtime-context.js';
import type { Window } from './windows.js';

/** Keyed state scoped to one window (windowState) or to the key across windows (globalState). */
export type KeyedStateStore = Pick<
  RuntimeContext,
  'getState' | 'getListState' | 'getMapState' | 'getReducingState' | 'getAggregatingState'
>;

/** What a ProcessWindowFunction knows about the window it evaluates. */
export interface ProcessWindowContext<W extends Window = Window> {
  window(): W;
  currentProcessingTime(): number;
  currentWatermark(): number;
  windowState(): KeyedStateStore;
  globalState(): KeyedStateStore;
}

/** Evaluates all elements of a window at once, with access to the window and state. */
export abstract class ProcessWindowFunction<IN, OUT, KEY = unknown, W extends Window = Window> extends AbstractRichFunction {
  abstract process(key: KEY, context: ProcessWindowContext<W>, elements: readonly IN[], out: Collector<OUT>): void;
  /** Called when the window is purged for good; clean per-window state here. */
  clear(_context: ProcessWindowContext<W>): void {}
}

/** Anything shaped like a ProcessWindowFunction. */
export type ProcessWindowFunctionLike<IN, OUT, KEY = unknown, W extends Window = Window> = {
  process(key: KEY, context: ProcessWindowContext<W>, elements: readonly IN[], out: Collector<OUT>): void;
  clear?(context: ProcessWindowContext<W>): void;
} & RichFunctionHooks;

/** The older window function form used by `apply`. */
export type WindowFunction<IN, OUT, KEY = unknown, W extends Window = Window> =
  | ((key: KEY, window: W, input: readonly IN[], out: Collector<OUT>) => void)
  | ({ apply(key: KEY, window: W, input: readonly IN[], out: Collector<OUT>): void } & RichFunctionHooks);

/** How the window operator evaluates a window: `input` is the single state value or the element list. */
export interface InternalWindowFunction {
  /** The user function objects inside, opened and closed with the operator. */
  readonly userFunctions: readonly unknown[];
  process(key: unknown, context: ProcessWindowContext, input: unknown, out: Collector<unknown>): void;
  clear(context: ProcessWindowContext): void;
}

type AnyProcessFn = ProcessWindowFunctionLike<unknown, unknown, unknown, Window>;

/** Adapts a WindowFunction to the ProcessWindowFunction shape. */
export function windowFunctionAsProcess(fn: WindowFunction<unknown, unknown, unknown, Window>): AnyProcessFn {
  const apply = typeof fn === 'function' ? fn : fn.apply.bind(fn);
  return { process: (key, ctx, input, out) => apply(key, ctx.window(), input, out) };
}

function clearOf(fn: AnyProcessFn | undefined): (ctx: ProcessWindowContext) => void {
  return fn?.clear === undefined ? () => {} : (ctx) => fn.clear!(ctx);
}

/** For reduce/aggregate state: one value per window, handed on as a one-element list (or emitted as is). */
export function singleValueWindowFunction(fn: AnyProcessFn | undefined, userFunctions: readonly unknown[]): InternalWindowFunction {
  const single: unknown[] = [undefined];
  return {
    userFunctions,
    process: (key, ctx, input, out) => {
      if (fn === undefined) {
        out.collect(input);
        return;
      }
      single[0] = input;
      fn.process(key, ctx, single, out);
    },
    clear: clearOf(fn),
  };
}

/** For list state: the function sees all elements. */
export function iterableWindowFunction(fn: AnyProcessFn, userFunctions: readonly unknown[]): InternalWindowFunction {
  return { userFunctions, process: (key, ctx, input, out) => fn.process(key, ctx, input as unknown[], out), clear: clearOf(fn) };
}

/** For evicting windows with reduce: reduces the remaining elements in order, then hands on the result. */
export function reducingIterableWindowFunction(
  reduceFn: ReduceFunction<unknown>,
  fn: AnyProcessFn | undefined,
  userFunctions: readonly unknown[],
): InternalWindowFunction {
  const reduce = asCallable2(reduceFn, 'reduce');
  const inner = singleValueWindowFunction(fn, userFunctions);
  return {
    userFunctions,
    process: (key, ctx, input, out) => {
      const elements = input as unknown[];
      if (elements.length === 0) return;
      let acc = elements[0];
      for (let i = 1; i < elements.length; i++) acc = reduce(acc, elements[i]);
      inner.process(key, ctx, acc, out);
    },
    clear: inner.clear,
  };
}

/** For evicting windows with aggregate: folds the remaining elements into a fresh accumulator. */
export function aggregatingIterableWindowFunction(
  aggFn: AggregateFunction<unknown, unknown, unknown>,
  fn: AnyProcessFn | undefined,
  userFunctions: readonly unknown[],
): InternalWindowFunction {
  const inner = singleValueWindowFunction(fn, userFunctions);
  return {
    userFunctions,
    process: (key, ctx, input, out) => {
      let acc = aggFn.createAccumulator();
      for (const e of input as unknown[]) acc = aggFn.add(e, acc);
      inner.process(key, ctx, aggFn.getResult(acc), out);
    },
    clear: inner.clear,
  };
}
