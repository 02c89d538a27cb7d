/**
 * A per-subtask token bucket: permits accrue continuously at the rate by the clock it is given and are
 * handed out in bursts, so a reader woken every millisecond or later (timers are no finer) still emits
 * every permit owed since its last emission. The bucket holds at most `maxBurstMs` worth of permits, so
 * a stalled or back-pressured reader catches up by that much at most and never runs ahead of the rate.
 */

/** Default size of the bucket: the permits of this many milliseconds (at least one). */
export const DEFAULT_MAX_BURST_MS = 100;

/** Hands out permits at a fixed average rate by the clock it is given. */
export class RateLimiter {
  private readonly permitsPerMs: number;
  private readonly capacity: number;
  /** Permits owed and not yet taken; fractional between whole permits. */
  private tokens = 1;
  /** When `tokens` was last brought up to date; undefined until the first call starts the clock. */
  private refilledAt: number | undefined;

  constructor(
    permitsPerSecond: number,
    private readonly now: () => number,
    maxBurstMs = DEFAULT_MAX_BURST_MS,
  ) {
    if (!(permitsPerSecond > 0) || !Number.isFinite(permitsPerSecond)) {
      throw new RangeError(`A rate must be a finite number > 0 records per second, got ${permitsPerSecond}`);
    }
    if (!(maxBurstMs > 0)) throw new RangeError(`A rate limiter's burst must be > 0 ms, got ${maxBurstMs}`);
    this.permitsPerMs = permitsPerSecond / 1000;
    this.capacity = Math.max(1, this.permitsPerMs * maxBurstMs);
  }

  /** Takes a permit if one is free now. */
  tryAcquire(): boolean {
    return this.acquireUpTo(1) === 1;
  }

  /** Takes as many whole permits as are free now, at most `wanted`, and returns how many it took. */
  acquireUpTo(wanted: number): number {
    this.refill();
    const taken = Math.max(0, Math.min(wanted, Math.floor(this.tokens)));
    this.tokens -= taken;
    return taken;
  }

  /** The time at which the next whole permit is free (now or earlier when one already is). */
  nextPermitTime(): number {
    this.refill();
    const at = this.refilledAt!;
    return this.tokens >= 1 ? at : at + (1 - this.tokens) / this.permitsPerMs;
  }

  private refill(): void {
    const now = this.now();
    // The first permit is free at once; the clock starts with it. A clock that steps back accrues nothing.
    if (this.refilledAt !== undefined && now > this.refilledAt) {
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.refilledAt) * this.permitsPerMs);
    }
    if (this.refilledAt === undefined || now > this.refilledAt) this.refilledAt = now;
  }
}
