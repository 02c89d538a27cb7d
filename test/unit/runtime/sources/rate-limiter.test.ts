import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataGeneratorSource } from '../../../../src/runtime/sources/data-generator-source.js';
import { RateLimiter } from '../../../../src/runtime/sources/rate-limiter.js';
import type { Source } from '../../../../src/runtime/sources/source.js';
import { SourceOperator } from '../../../../src/runtime/sources/source-operator.js';
import { WatermarkStrategy } from '../../../../src/runtime/watermarks/watermark-strategy.js';
import { singleOperatorChain, TestingProcessingTimeService, testServices } from '../testing.js';

/** Deterministic wake-up gaps of 1–7 ms, as a busy event loop gives them. */
function jitteredGaps(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return 1 + (x % 7);
  };
}

/**
 * Polls a limiter at every gap for `windowMs` of virtual time, taking up to `budget` permits a poll;
 * checks after each poll that the total never ran ahead of the rate, and returns the total.
 */
function drive(rate: number, windowMs: number, nextGap: () => number, budget = 2048): { taken: number; largestBurst: number } {
  let now = 0;
  const limiter = new RateLimiter(rate, () => now);
  let taken = 0;
  let largestBurst = 0;
  while (now <= windowMs) {
    const burst = limiter.acquireUpTo(budget);
    taken += burst;
    largestBurst = Math.max(largestBurst, burst);
    assert.ok(taken <= 1 + (rate * now) / 1000, `${taken} permits by ${now} ms exceed ${rate}/s`);
    now += nextGap();
  }
  return { taken, largestBurst };
}

describe('RateLimiter', () => {
  it('delivers rate × time at a low rate polled every millisecond', () => {
    const { taken } = drive(1_200, 10_000, () => 1);
    assert.ok(Math.abs(taken - 12_000) <= 1, `took ${taken}, expected 12,000 ± 1`);
  });

  it('delivers rate × time at a high rate even when woken only every 1–7 ms', () => {
    const { taken, largestBurst } = drive(50_000, 2_000, jitteredGaps(42));
    assert.ok(Math.abs(taken - 100_000) <= largestBurst, `took ${taken}, expected 100,000 ± ${largestBurst}`);
    assert.ok(largestBurst >= 50, 'a late wake-up is paid in one burst, not one record');
  });

  it('catches up after a stall by one bucket at most, then keeps the rate', () => {
    let now = 0;
    const limiter = new RateLimiter(1_000, () => now, 100);
    assert.equal(limiter.acquireUpTo(10_000), 1);
    now = 5_000;
    assert.equal(limiter.acquireUpTo(10_000), 100, 'five idle seconds buy only 100 ms of permits');
    now = 5_010;
    assert.equal(limiter.acquireUpTo(10_000), 10);
  });

  it('says when the next whole permit is free', () => {
    let now = 1_000;
    const limiter = new RateLimiter(1_200, () => now);
    assert.equal(limiter.nextPermitTime(), 1_000);
    assert.equal(limiter.acquireUpTo(5), 1);
    assert.ok(Math.abs(limiter.nextPermitTime() - (1_000 + 1_000 / 1_200)) < 1e-9);
    now = 1_002;
    assert.equal(limiter.acquireUpTo(5), 2, '2 ms at 1.2 permits/ms owe 2.4 permits');
    assert.ok(limiter.nextPermitTime() > now);
  });

  it('refuses a rate that is not a positive finite number, naming it', () => {
    for (const rate of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => new RateLimiter(rate, () => 0), /A rate must be a finite number > 0 records per second, got/);
    }
  });
});

describe('DataGeneratorSource rate limit', () => {
  it('emits 50,000 records/s over a virtual second when woken by its timers', async () => {
    const pts = new TestingProcessingTimeService(0);
    const services = testServices({ subtaskIndex: 0, parallelism: 1, maxParallelism: 128, processingTime: pts });
    const source = new DataGeneratorSource((i: number) => i, Number.MAX_SAFE_INTEGER, 50_000, { kind: 'LONG' }) as Source<unknown, unknown>;
    const h = singleOperatorChain(() => new SourceOperator(source, WatermarkStrategy.noWatermarks()), {
      services,
      operatorId: 'b'.repeat(32),
    });
    await h.chain.initializeState(undefined);
    await h.chain.open();
    const gap = jitteredGaps(7);
    while (pts.time <= 1_000) {
      while (h.chain.source!.emitNext(2048) === 'MORE_AVAILABLE') {
        /* a burst larger than one step */
      }
      pts.advanceTo(pts.time + gap());
    }
    const emitted = h.output.values().length;
    assert.ok(emitted >= 49_650 && emitted <= 50_001, `emitted ${emitted} in one virtual second at 50,000/s`);
  });
});
