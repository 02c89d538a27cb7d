/** Triggers decide when a window is evaluated and when it is purged (Flink's Trigger). */
import type { AnyStateDescriptor } from '../state/state-descriptors.js';
import type { Window } from './windows.js';

/** What a trigger asks the window operator to do. */
export type TriggerResult = 'CONTINUE' | 'FIRE' | 'PURGE' | 'FIRE_AND_PURGE';

/** True when the result evaluates the window. */
export function isFire(result: TriggerResult): boolean {
  return result === 'FIRE' || result === 'FIRE_AND_PURGE';
}

/** True when the result clears the window's contents. */
export function isPurge(result: TriggerResult): boolean {
  return result === 'PURGE' || result === 'FIRE_AND_PURGE';
}

/** What a trigger may use: time, timers and state, all scoped to the current key and window. */
export interface TriggerContext {
  getCurrentProcessingTime(): number;
  getCurrentWatermark(): number;
  registerProcessingTimeTimer(time: number): void;
  registerEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
  /** State of the current key and window; returns the state handle for the descriptor's kind. */
  getPartitionedState<S>(descriptor: AnyStateDescriptor): S;
}

/** Decides, per element and per timer, whether a window fires. */
export abstract class Trigger<T = unknown, W extends Window = Window> {
  abstract onElement(element: T, timestamp: number | undefined, window: W, ctx: TriggerContext): TriggerResult;
  abstract onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult;
  abstract onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult;
  /** Removes the trigger's timers and state for a window that is being discarded. */
  clear(_window: W, _ctx: TriggerContext): void {}
  /** The trigger's class-like name, used in operator names as Flink prints them. */
  get simpleName(): string {
    return this.constructor.name;
  }
}
