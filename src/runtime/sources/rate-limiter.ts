/** A smooth per-subtask rate limiter: one permit every 1/rate seconds, at most one extra to catch up after a late wake-up. */

/** Hands out permits at a fixed rate by the clock it is given. */
export class RateLimiter {
  private readonly intervalMs: number;
  private nextFree = Number.NEGATIVE_INFINITY;

  constructor(permitsPerSecond: number, private readonly now: () => number) {
    if (!(permitsPerSecond > 0)) throw new RangeError(`A rate must be > 0 records per second, got ${permitsPerSecond}`);
    this.intervalMs = 1000 / permitsPerSecond;
  }

  /** Takes a permit if one is free now. */
  tryAcquire(): boolean {
    const now = this.now();
    if (now < this.nextFree) return false;
    // Up to one permit of catch-up keeps the rate when timers fire late; the very first permit starts the clock.
    this.nextFree = this.nextFree === Number.NEGATIVE_INFINITY ? now + this.intervalMs : Math.max(this.nextFree, now - this.intervalMs) + this.intervalMs;
    return true;
  }

  /** The time at which the next permit is free. */
  nextPermitTime(): number {
    return this.nextFree;
  }
}
