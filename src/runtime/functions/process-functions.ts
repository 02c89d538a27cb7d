/** ProcessFunction and KeyedProcessFunction: low-level functions with timestamps, timers and (keyed) state. */
import type { Collector, RichFunctionHooks } from './function-types.js';
import { AbstractRichFunction } from './rich-functions.js';

/** Which clock a timer belongs to. */
export type TimeDomain = 'EVENT_TIME' | 'PROCESSING_TIME';

/** Time and timers as a process function sees them; timers need a keyed stream. */
export interface TimerService {
  currentProcessingTime(): number;
  currentWatermark(): number;
  registerProcessingTimeTimer(time: number): void;
  registerEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
}

/** The context of one processElement call. */
export interface ProcessContext {
  /** The record's timestamp; undefined when it has none. */
  timestamp(): number | undefined;
  timerService(): TimerService;
}

/** The context of one processElement call on a keyed stream. */
export interface KeyedProcessContext<K> extends ProcessContext {
  getCurrentKey(): K;
}

/** The context of one onTimer call: the timer's time is the timestamp. */
export interface OnTimerContext<K> extends KeyedProcessContext<K> {
  timeDomain(): TimeDomain;
}

/** A process function on a non-keyed stream. */
export abstract class ProcessFunction<I, O> extends AbstractRichFunction {
  abstract processElement(value: I, ctx: ProcessContext, out: Collector<O>): void;
}

/** A process function on a keyed stream: keyed state and timers per key. */
export abstract class KeyedProcessFunction<K, I, O> extends AbstractRichFunction {
  abstract processElement(value: I, ctx: KeyedProcessContext<K>, out: Collector<O>): void;
  onTimer(_timestamp: number, _ctx: OnTimerContext<K>, _out: Collector<O>): void {}
}

/** Anything shaped like a ProcessFunction (a plain object works as well as a subclass). */
export type ProcessFunctionLike<I, O> = { processElement(value: I, ctx: ProcessContext, out: Collector<O>): void } & RichFunctionHooks;

/** Anything shaped like a KeyedProcessFunction. */
export type KeyedProcessFunctionLike<K, I, O> = {
  processElement(value: I, ctx: KeyedProcessContext<K>, out: Collector<O>): void;
  onTimer?(timestamp: number, ctx: OnTimerContext<K>, out: Collector<O>): void;
} & RichFunctionHooks;
