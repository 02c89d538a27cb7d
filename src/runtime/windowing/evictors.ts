/** Evictors remove elements from a window before and/or after its function runs (Flink's Evictor). */
import { toMillis, type TimeSpan } from '../time/duration.js';
import type { Window } from './windows.js';

/** An element of a window with the timestamp it arrived with (undefined: none). */
export class TimestampedValue<T> {
  constructor(
    readonly value: T,
    readonly timestamp: number | undefined,
  ) {}
  hasTimestamp(): boolean {
    return this.timestamp !== undefined;
  }
  getValue(): T {
    return this.value;
  }
  getTimestamp(): number | undefined {
    return this.timestamp;
  }
}

/** What an evictor may ask while evicting. */
export interface EvictorContext {
  getCurrentProcessingTime(): number;
  getCurrentWatermark(): number;
}

/** Removes elements from `elements` in place (keeping the order of the rest). */
export abstract class Evictor<T = unknown, W extends Window = Window> {
  abstract evictBefore(elements: TimestampedValue<T>[], size: number, window: W, ctx: EvictorContext): void;
  abstract evictAfter(elements: TimestampedValue<T>[], size: number, window: W, ctx: EvictorContext): void;
  get simpleName(): string {
    return this.constructor.name;
  }
}

function removeWhere<T>(elements: TimestampedValue<T>[], drop: (e: TimestampedValue<T>, index: number) => boolean): void {
  let w = 0;
  for (let r = 0; r < elements.length; r++) {
    const e = elements[r]!;
    if (!drop(e, r)) elements[w++] = e;
  }
  elements.length = w;
}

/** Keeps the last `maxCount` elements. */
export class CountEvictor<T = unknown, W extends Window = Window> extends Evictor<T, W> {
  private constructor(
    private readonly maxCount: number,
    private readonly doEvictAfter: boolean,
  ) {
    super();
  }
  static of<T = unknown, W extends Window = Window>(maxCount: number, doEvictAfter = false): CountEvictor<T, W> {
    if (!Number.isInteger(maxCount) || maxCount < 0) throw new RangeError(`CountEvictor needs a count >= 0, got ${maxCount}`);
    return new CountEvictor<T, W>(maxCount, doEvictAfter);
  }
  evictBefore(elements: TimestampedValue<T>[], size: number, _window?: W, _ctx?: EvictorContext): void {
    if (!this.doEvictAfter) this.evict(elements, size);
  }
  evictAfter(elements: TimestampedValue<T>[], size: number, _window?: W, _ctx?: EvictorContext): void {
    if (this.doEvictAfter) this.evict(elements, size);
  }
  private evict(elements: TimestampedValue<T>[], size: number): void {
    if (size <= this.maxCount) return;
    elements.splice(0, Math.min(size - this.maxCount, elements.length));
  }
}

/**
 * Keeps elements within `windowSize` of the newest element: removes every element whose timestamp
 * is <= max timestamp − windowSize. Does nothing when the elements carry no timestamps.
 */
export class TimeEvictor<T = unknown, W extends Window = Window> extends Evictor<T, W> {
  private constructor(
    private readonly windowSize: number,
    private readonly doEvictAfter: boolean,
  ) {
    super();
  }
  static of<T = unknown, W extends Window = Window>(windowSize: TimeSpan, doEvictAfter = false): TimeEvictor<T, W> {
    return new TimeEvictor<T, W>(toMillis(windowSize), doEvictAfter);
  }
  evictBefore(elements: TimestampedValue<T>[], _size?: number, _window?: W, _ctx?: EvictorContext): void {
    if (!this.doEvictAfter) this.evict(elements);
  }
  evictAfter(elements: TimestampedValue<T>[], _size?: number, _window?: W, _ctx?: EvictorContext): void {
    if (this.doEvictAfter) this.evict(elements);
  }
  private evict(elements: TimestampedValue<T>[]): void {
    if (elements.length === 0 || !elements[0]!.hasTimestamp()) return;
    let max = Number.NEGATIVE_INFINITY;
    for (const e of elements) if (e.timestamp !== undefined && e.timestamp > max) max = e.timestamp;
    const cutoff = max - this.windowSize;
    removeWhere(elements, (e) => e.timestamp !== undefined && e.timestamp <= cutoff);
  }
}
