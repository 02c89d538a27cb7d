import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trialOutcome } from '../../../bench/autoscaler-trial-outcome.js';
import type { AutoscalerTrial } from '../../../bench/autoscaler-trial.js';

/** A trial sampled every second from t = 0 (the load's start): phases of 10 s, 20 s and 20 s. */
function trial(points: ReadonlyArray<[number, number, number, number]>): AutoscalerTrial {
  return {
    loadStartMs: 1_000_000,
    phases: [
      { rate: 100, seconds: 10 },
      { rate: 400, seconds: 20 },
      { rate: 100, seconds: 20 },
    ],
    events: [],
    vertexNames: {},
    driverLog: '',
    samples: points.map(([s, source, counter, backlog]) => ({
      timeMs: 1_000_000 + s * 1000,
      parallelism: { source, counter },
      backlog,
    })),
  };
}

describe('judging a real-process autoscaler trial from its samples', () => {
  it('counts rescales after each step, the time to the last one, slot-seconds and backlog', () => {
    const points: Array<[number, number, number, number]> = [];
    for (let s = 0; s <= 50; s++) {
      // Up to 2 at 14 s and to 3 at 18 s after the step at 10 s; down to 1 at 40 s after the step at 30 s.
      const p = s < 14 ? 1 : s < 18 ? 2 : s < 40 ? 3 : 1;
      const backlog = s >= 10 && s < 18 ? 100 : 0;
      points.push([s, 1, p, backlog]);
    }
    const outcome = trialOutcome(trial(points));
    assert.deepEqual(outcome.decisionsPerStep, [2, 1]);
    assert.deepEqual(outcome.convergeSPerStep, [8, 10]);
    assert.equal(outcome.reversals, 0);
    assert.equal(outcome.peakBacklog, 100);
    assert.equal(outcome.backlogRecordSeconds, 800);
    // 14 s at 1 slot, 4 s at 2, 22 s at 3, 10 s at 1 (the largest vertex parallelism).
    assert.equal(outcome.slotSeconds, 14 + 8 + 66 + 10);
  });

  it('counts a vertex turning back within one phase as a reversal, but not following a step', () => {
    const points: Array<[number, number, number, number]> = [];
    for (let s = 0; s <= 50; s++) {
      // Within the high phase the counter goes 1 → 3 → 2 (a reversal); the step down's 2 → 1 is not.
      const p = s < 12 ? 1 : s < 20 ? 3 : s < 35 ? 2 : 1;
      points.push([s, 1, p, 0]);
    }
    assert.equal(trialOutcome(trial(points)).reversals, 1);
  });
});
