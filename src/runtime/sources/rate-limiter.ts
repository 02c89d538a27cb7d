/**
 * A per-subtask token bucket: permits accrue continuously at the rate, and a caller that wakes up
 * late finds every permit it is owed. The old limiter handed out one permit per interval with at
 * most one of catch-up, so a source asked for 50,000 records/s, woken by millisecond timers,
 * delivered about 1,750.
 */

/** How much unused rate the bucket keeps: a source that was held back catches up by at most this much time's worth. */
export const RATE_LIMITER_BURST_MS = 100;

/** Hands out permits at a fixed rate by the clock it is given. */
export class RateLimiter {
  private readonly permitsPerMs: number;
  private readonly capacity: number;
  private tokens = 0;
  private last: number | undefined;

  constructor(permitsPerSecond: number, private readonly now: () => number) {
    if (!(permitsPerSecond > 0) || !Number.isFinite(permitsPerSecond)) {
      throw new RangeError(`A rate must be a finite number > 0 of records per second, got ${permitsPerSecond}`);
    }
    this.permitsPerMs = permitsPerSecond / 1000;
    this.capacity = Math.max(1, this.permitsPerMs * RATE_LIMITER_BURST_MS);
  }

  /** Takes a permit if one is free now. */
  tryAcquire(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** The time at which the next permit is free (now, when one is). */
  nextPermitTime(): number {
    this.refill();
    const last = this.last ?? this.now();
    return this.tokens >= 1 ? last : last + (1 - this.tokens) / this.permitsPerMs;
  }

  private refill(): void {
    const now = this.now();
    if (this.last === undefined) {
      // The first permit is free at once; the clock starts here.
      this.last = now;
      this.tokens = 1;
      return;
    }
    if (now <= this.last) return;
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.permitsPerMs);
    this.last = now;
  }
}
