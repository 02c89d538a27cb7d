/** The built-in triggers: event time, processing time, count, delta, purging, never. */
import { asCallable2, type DeltaFunction } from '../functions/function-types.js';
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import type { ReducingState, ValueState } from '../state/state-types.js';
import { ReducingStateDescriptor, ValueStateDescriptor } from '../state/state-descriptors.js';
import { Trigger, type TriggerContext, type TriggerResult } from './trigger.js';
import type { TimeWindow, Window } from './windows.js';

/** Fires once the watermark passes the window's end (and on every late element within allowed lateness). */
export class EventTimeTrigger extends Trigger<unknown, TimeWindow> {
  private constructor() {
    super();
  }
  static create(): EventTimeTrigger {
    return new EventTimeTrigger();
  }
  onElement(_e: unknown, _ts: number | undefined, window: TimeWindow, ctx: TriggerContext): TriggerResult {
    if (window.maxTimestamp() <= ctx.getCurrentWatermark()) return 'FIRE';
    ctx.registerEventTimeTimer(window.maxTimestamp());
    return 'CONTINUE';
  }
  onEventTime(time: number, window: TimeWindow, _ctx: TriggerContext): TriggerResult {
    return time === window.maxTimestamp() ? 'FIRE' : 'CONTINUE';
  }
  onProcessingTime(_time: number, _window: Window, _ctx: TriggerContext): TriggerResult {
    return 'CONTINUE';
  }
  override clear(window: TimeWindow, ctx: TriggerContext): void {
    ctx.deleteEventTimeTimer(window.maxTimestamp());
  }
  override toString(): string {
    return 'EventTimeTrigger()';
  }
}

/** Fires when the wall clock passes the window's end. */
export class ProcessingTimeTrigger extends Trigger<unknown, TimeWindow> {
  private constructor() {
    super();
  }
  static create(): ProcessingTimeTrigger {
    return new ProcessingTimeTrigger();
  }
  onElement(_e: unknown, _ts: number | undefined, window: TimeWindow, ctx: TriggerContext): TriggerResult {
    ctx.registerProcessingTimeTimer(window.maxTimestamp());
    return 'CONTINUE';
  }
  onEventTime(_time: number, _window: Window, _ctx: TriggerContext): TriggerResult {
    return 'CONTINUE';
  }
  onProcessingTime(_time: number, _window: TimeWindow, _ctx: TriggerContext): TriggerResult {
    return 'FIRE';
  }
  override clear(window: TimeWindow, ctx: TriggerContext): void {
    ctx.deleteProcessingTimeTimer(window.maxTimestamp());
  }
  override toString(): string {
    return 'ProcessingTimeTrigger()';
  }
}

const COUNT_STATE = new ReducingStateDescriptor<number>('count', (a: number, b: number) => a + b, { kind: 'LONG' });

/** Fires every `maxCount` elements of a window, then starts counting again. */
export class CountTrigger<W extends Window = Window> extends Trigger<unknown, W> {
  private constructor(private readonly maxCount: number) {
    super();
  }
  static of<W extends Window = Window>(maxCount: number): CountTrigger<W> {
    if (!Number.isInteger(maxCount) || maxCount <= 0) throw new RangeError(`CountTrigger needs a count > 0, got ${maxCount}`);
    return new CountTrigger<W>(maxCount);
  }
  onElement(_e: unknown, _ts: number | undefined, _w: W, ctx: TriggerContext): TriggerResult {
    const count = ctx.getPartitionedState<ReducingState<number>>(COUNT_STATE);
    count.add(1);
    if (count.get()! >= this.maxCount) {
      count.clear();
      return 'FIRE';
    }
    return 'CONTINUE';
  }
  onEventTime(_time: number, _window: Window, _ctx: TriggerContext): TriggerResult {
    return 'CONTINUE';
  }
  onProcessingTime(_time: number, _window: Window, _ctx: TriggerContext): TriggerResult {
    return 'CONTINUE';
  }
  override clear(_w: W, ctx: TriggerContext): void {
    ctx.getPartitionedState<ReducingState<number>>(COUNT_STATE).clear();
  }
  override toString(): string {
    return `CountTrigger(${this.maxCount})`;
  }
}

/**
 * Fires when the delta between the element it last fired on and the current one exceeds the
 * threshold (strictly); the first element is only remembered. FIRE, not purge: contents stay.
 */
export class DeltaTrigger<T, W extends Window = Window> extends Trigger<T, W> {
  private readonly delta: (oldPoint: T, newPoint: T) => number;
  private readonly stateDesc: ValueStateDescriptor<T>;

  private constructor(
    private readonly threshold: number,
    deltaFunction: DeltaFunction<T>,
    type: TypeDescriptor | undefined,
  ) {
    super();
    this.delta = asCallable2(deltaFunction, 'getDelta');
    this.stateDesc = new ValueStateDescriptor<T>('last-element', type);
  }
  static of<T, W extends Window = Window>(threshold: number, deltaFunction: DeltaFunction<T>, type?: TypeDescriptor): DeltaTrigger<T, W> {
    return new DeltaTrigger<T, W>(threshold, deltaFunction, type);
  }
  onElement(element: T, _ts: number | undefined, _w: W, ctx: TriggerContext): TriggerResult {
    const last = ctx.getPartitionedState<ValueState<T>>(this.stateDesc);
    const previous = last.value();
    if (previous === undefined) {
      last.update(element);
      return 'CONTINUE';
    }
    if (this.delta(previous, element) > this.threshold) {
      last.update(element);
      return 'FIRE';
    }
    return 'CONTINUE';
  }
  onEventTime(_time: number, _window: Window, _ctx: TriggerContext): TriggerResult {
    return 'CONTINUE';
  }
  onProcessingTime(_time: number, _window: Window, _ctx: TriggerContext): TriggerResult {
    return 'CONTINUE';
  }
  override clear(_w: W, ctx: TriggerContext): void {
    ctx.getPartitionedState<ValueState<T>>(this.stateDesc).clear();
  }
  override toString(): string {
    return `DeltaTrigger(${this.threshold})`;
  }
}

/** Turns every FIRE of the wrapped trigger into FIRE_AND_PURGE. */
export class PurgingTrigger<T, W extends Window = Window> extends Trigger<T, W> {
  private constructor(readonly nested: Trigger<T, W>) {
    super();
  }
  static of<T, W extends Window>(nested: Trigger<T, W>): PurgingTrigger<T, W> {
    return new PurgingTrigger(nested);
  }
  private static purging(r: TriggerResult): TriggerResult {
    return r === 'FIRE' ? 'FIRE_AND_PURGE' : r;
  }
  onElement(element: T, ts: number | undefined, window: W, ctx: TriggerContext): TriggerResult {
    return PurgingTrigger.purging(this.nested.onElement(element, ts, window, ctx));
  }
  onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
    return PurgingTrigger.purging(this.nested.onEventTime(time, window, ctx));
  }
  onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
    return PurgingTrigger.purging(this.nested.onProcessingTime(time, window, ctx));
  }
  override clear(window: W, ctx: TriggerContext): void {
    this.nested.clear(window, ctx);
  }
  override toString(): string {
    return `PurgingTrigger(${String(this.nested)})`;
  }
}

/** Never fires: the default of GlobalWindows. */
export class NeverTrigger extends Trigger {
  onElement(_element: unknown, _timestamp: number | undefined, _window: Window, _ctx: TriggerContext): TriggerResult {
    return 'CONTINUE';
  }
  onEventTime(_time: number, _window: Window, _ctx: TriggerContext): TriggerResult {
    return 'CONTINUE';
  }
  onProcessingTime(_time: number, _window: Window, _ctx: TriggerContext): TriggerResult {
    return 'CONTINUE';
  }
}
