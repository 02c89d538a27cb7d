/** Window assigners: which windows an element belongs to (global, tumbling, sliding; event or processing time). */
import { checkArgument } from '../../core/preconditions.js';
import { MissingTimestampError } from '../runtime-errors.js';
import { toMillis, type TimeSpan } from '../time/duration.js';
import type { Trigger } from './trigger.js';
import { EventTimeTrigger, NeverTrigger, ProcessingTimeTrigger } from './triggers.js';
import { GlobalWindow, TimeWindow, type Window } from './windows.js';

/** What an assigner may ask while assigning. */
export interface WindowAssignerContext {
  getCurrentProcessingTime(): number;
}

/** Assigns elements to windows and names the trigger used when none is set. */
export abstract class WindowAssigner<W extends Window = Window> {
  abstract assignWindows(element: unknown, timestamp: number | undefined, ctx: WindowAssignerContext): readonly W[];
  abstract getDefaultTrigger(): Trigger<unknown, W>;
  /** True when windows end by event time (lateness and cleanup follow the watermark). */
  abstract isEventTime(): boolean;
}

const GLOBAL: readonly GlobalWindow[] = Object.freeze([GlobalWindow.INSTANCE]);

/** Puts every element of a key into the one global window; fires only with a custom trigger. */
export class GlobalWindows extends WindowAssigner<GlobalWindow> {
  private constructor() {
    super();
  }
  static create(): GlobalWindows {
    return new GlobalWindows();
  }
  assignWindows(_element: unknown, _timestamp: number | undefined, _ctx: WindowAssignerContext): readonly GlobalWindow[] {
    return GLOBAL;
  }
  getDefaultTrigger(): Trigger<unknown, GlobalWindow> {
    return new NeverTrigger();
  }
  isEventTime(): boolean {
    return false;
  }
  override toString(): string {
    return 'GlobalWindows()';
  }
}

function eventTimestamp(timestamp: number | undefined): number {
  if (timestamp === undefined) {
    throw new MissingTimestampError(
      'Record has no timestamp: an event-time window needs one. Is the stream meant for processing time, or is assignTimestampsAndWatermarks(...) missing?',
    );
  }
  return timestamp;
}

/** Fixed-size, non-overlapping windows by event time. */
export class TumblingEventTimeWindows extends WindowAssigner<TimeWindow> {
  private constructor(
    private readonly size: number,
    private readonly offset: number,
  ) {
    super();
    checkArgument(size > 0 && Math.abs(offset) < size, 'TumblingEventTimeWindows parameters must satisfy abs(offset) < size and size > 0');
  }
  static of(size: TimeSpan, offset: TimeSpan = 0): TumblingEventTimeWindows {
    return new TumblingEventTimeWindows(toMillis(size), toMillis(offset));
  }
  assignWindows(_e: unknown, timestamp: number | undefined, _ctx: WindowAssignerContext): readonly TimeWindow[] {
    const start = TimeWindow.getWindowStartWithOffset(eventTimestamp(timestamp), this.offset, this.size);
    return [new TimeWindow(start, start + this.size)];
  }
  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return EventTimeTrigger.create();
  }
  isEventTime(): boolean {
    return true;
  }
  override toString(): string {
    return `TumblingEventTimeWindows(${this.size})`;
  }
}

function slidingWindows(timestamp: number, size: number, slide: number, offset: number): TimeWindow[] {
  const windows: TimeWindow[] = [];
  const lastStart = TimeWindow.getWindowStartWithOffset(timestamp, offset, slide);
  for (let start = lastStart; start > timestamp - size; start -= slide) windows.push(new TimeWindow(start, start + size));
  return windows;
}

/** Overlapping windows of `size` every `slide`, by event time. */
export class SlidingEventTimeWindows extends WindowAssigner<TimeWindow> {
  private constructor(
    private readonly size: number,
    private readonly slide: number,
    private readonly offset: number,
  ) {
    super();
    checkArgument(
      size > 0 && slide > 0 && Math.abs(offset) < slide,
      'SlidingEventTimeWindows parameters must satisfy abs(offset) < slide and size > 0',
    );
  }
  static of(size: TimeSpan, slide: TimeSpan, offset: TimeSpan = 0): SlidingEventTimeWindows {
    return new SlidingEventTimeWindows(toMillis(size), toMillis(slide), toMillis(offset));
  }
  assignWindows(_e: unknown, timestamp: number | undefined, _ctx: WindowAssignerContext): readonly TimeWindow[] {
    return slidingWindows(eventTimestamp(timestamp), this.size, this.slide, this.offset);
  }
  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return EventTimeTrigger.create();
  }
  isEventTime(): boolean {
    return true;
  }
  override toString(): string {
    return `SlidingEventTimeWindows(${this.size}, ${this.slide})`;
  }
}

/** Fixed-size, non-overlapping windows by the wall clock of the operator. */
export class TumblingProcessingTimeWindows extends WindowAssigner<TimeWindow> {
  private constructor(
    private readonly size: number,
    private readonly offset: number,
  ) {
    super();
    checkArgument(
      size > 0 && Math.abs(offset) < size,
      'TumblingProcessingTimeWindows parameters must satisfy abs(offset) < size and size > 0',
    );
  }
  static of(size: TimeSpan, offset: TimeSpan = 0): TumblingProcessingTimeWindows {
    return new TumblingProcessingTimeWindows(toMillis(size), toMillis(offset));
  }
  assignWindows(_e: unknown, _ts: number | undefined, ctx: WindowAssignerContext): readonly TimeWindow[] {
    const start = TimeWindow.getWindowStartWithOffset(ctx.getCurrentProcessingTime(), this.offset, this.size);
    return [new TimeWindow(start, start + this.size)];
  }
  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return ProcessingTimeTrigger.create();
  }
  isEventTime(): boolean {
    return false;
  }
  override toString(): string {
    return `TumblingProcessingTimeWindows(${this.size})`;
  }
}

/** Overlapping windows of `size` every `slide`, by the wall clock. */
export class SlidingProcessingTimeWindows extends WindowAssigner<TimeWindow> {
  private constructor(
    private readonly size: number,
    private readonly slide: number,
    private readonly offset: number,
  ) {
    super();
    checkArgument(
      size > 0 && slide > 0 && Math.abs(offset) < slide,
      'SlidingProcessingTimeWindows parameters must satisfy abs(offset) < slide and size > 0',
    );
  }
  static of(size: TimeSpan, slide: TimeSpan, offset: TimeSpan = 0): SlidingProcessingTimeWindows {
    return new SlidingProcessingTimeWindows(toMillis(size), toMillis(slide), toMillis(offset));
  }
  assignWindows(_e: unknown, _ts: number | undefined, ctx: WindowAssignerContext): readonly TimeWindow[] {
    return slidingWindows(ctx.getCurrentProcessingTime(), this.size, this.slide, this.offset);
  }
  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return ProcessingTimeTrigger.create();
  }
  isEventTime(): boolean {
    return false;
  }
  override toString(): string {
    return `SlidingProcessingTimeWindows(${this.size}, ${this.slide})`;
  }
}
