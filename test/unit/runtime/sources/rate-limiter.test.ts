import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RATE_LIMITER_BURST_MS, RateLimiter } from '../../../../src/runtime/sources/rate-limiter.js';

/**
 * Drives a limiter as a source does: take every permit that is free, then sleep until the next
 * one, waking `lateMs(n)` late (timers never fire early). Returns (time, count) after each wake.
 */
function drive(rate: number, durationMs: number, lateMs: (wake: number) => number): Array<{ t: number; emitted: number }> {
  let t = 0;
  const limiter = new RateLimiter(rate, () => t);
  const samples: Array<{ t: number; emitted: number }> = [];
  let emitted = 0;
  for (let wake = 0; t <= durationMs; wake++) {
    while (limiter.tryAcquire()) emitted++;
    samples.push({ t, emitted });
    t = Math.max(t + 0.001, limiter.nextPermitTime()) + lateMs(wake);
  }
  return samples;
}

describe('RateLimiter', () => {
  for (const rate of [1_200, 50_000, 1_000_000]) {
    it(`delivers ${rate} permits/s when woken 1–4 ms late by millisecond timers`, () => {
      const samples = drive(rate, 10_000, (wake) => 1 + (wake % 4));
      const last = samples.at(-1)!;
      const expected = (rate * last.t) / 1000;
      assert.ok(Math.abs(last.emitted - expected) <= rate / 1000 * 5 + 1, `${last.emitted} permits in ${last.t} ms, expected ${expected}`);
      for (const { t, emitted } of samples) {
        assert.ok(emitted <= (rate * t) / 1000 + 1, `never ahead of the rate: ${emitted} by ${t} ms`);
      }
    });
  }

  it('delivers a low rate exactly when woken on time', () => {
    const samples = drive(10, 60_000, () => 0);
    assert.equal(samples.at(-1)!.emitted, 601);
  });

  it('catches up at most the burst after a stall, then keeps the rate', () => {
    let t = 0;
    const limiter = new RateLimiter(1_000, () => t);
    assert.equal(limiter.tryAcquire(), true, 'the first permit is free at once');
    assert.equal(limiter.tryAcquire(), false);
    t = 5_000; // held back by backpressure for 5 s
    let burst = 0;
    while (limiter.tryAcquire()) burst++;
    assert.equal(burst, RATE_LIMITER_BURST_MS, 'only the burst is owed, not 5 s of permits');
    assert.equal(limiter.nextPermitTime(), 5_001);
  });

  it('refuses a rate that is not a positive finite number', () => {
    for (const rate of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => new RateLimiter(rate, () => 0), /finite number > 0/);
  });
});
