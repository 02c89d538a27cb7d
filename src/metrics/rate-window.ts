/**
 * How far back per-second rates look. Flink's MeterView averages over 60 s, which hides a rescale
 * or a burst from an autoscaler for a minute; tsflink uses 5 s of counter samples, taken once a
 * second, so a rate reflects a change within a few seconds yet does not jump with every batch.
 */
export const RATE_WINDOW_MS = 5_000;

/** Samples kept: a window's worth at one a second, plus the reference sample before it. */
const CAPACITY = 16;

/**
 * The per-second rate of a cumulative counter over the last `windowMs`, from samples recorded by
 * a periodic tick (never per record). Before two samples exist the rate is 0.
 */
export class RateWindow {
  private readonly times = new Float64Array(CAPACITY);
  private readonly values = new Float64Array(CAPACITY);
  private first = 0;
  private count = 0;

  constructor(private readonly windowMs = RATE_WINDOW_MS) {}

  /** Records the counter's value at `now` (ms, monotonic); older samples beyond the window are dropped. */
  record(now: number, value: number): void {
    if (this.count === CAPACITY) this.dropOldest();
    const slot = (this.first + this.count) % CAPACITY;
    this.times[slot] = now;
    this.values[slot] = value;
    this.count++;
    // Keep one sample at or before the window's start as the reference point.
    while (this.count > 2 && this.timeAt(1) <= now - this.windowMs) this.dropOldest();
  }

  /** Increase per second between the oldest and the newest sample in the window. */
  rate(): number {
    if (this.count < 2) return 0;
    const elapsed = this.timeAt(this.count - 1) - this.timeAt(0);
    if (elapsed <= 0) return 0;
    return ((this.valueAt(this.count - 1) - this.valueAt(0)) * 1000) / elapsed;
  }

  private timeAt(index: number): number {
    return this.times[(this.first + index) % CAPACITY]!;
  }

  private valueAt(index: number): number {
    return this.values[(this.first + index) % CAPACITY]!;
  }

  private dropOldest(): void {
    this.first = (this.first + 1) % CAPACITY;
    this.count--;
  }
}
