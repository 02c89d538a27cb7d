import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Configuration } from '../../../../src/config/configuration.js';
import { gracefulStopWindowMs } from '../../../../src/config/options/taskmanager-options.js';
import { adaptiveSettings, freshCheckpointDelay } from '../../../../src/jobmanager/jobmaster/scheduler-factory.js';

const config = (values: Record<string, string> = {}): Configuration => Configuration.empty().withOverrides(values);

describe('rescale on a fresh checkpoint: how long it may wait', () => {
  it("defaults to Flink's (max-checkpoint-failures + 1) × interval, 3 intervals", () => {
    assert.equal(freshCheckpointDelay(config(), 10_000), 30_000);
    assert.equal(adaptiveSettings(config({ 'scheduler-mode': 'reactive' }), 2_000).freshCheckpointDelayMs, 6_000);
  });

  it('takes rescale-trigger.max-delay when it is set', () => {
    assert.equal(freshCheckpointDelay(config({ 'jobmanager.adaptive-scheduler.rescale-trigger.max-delay': '4 s' }), 10_000), 4_000);
  });

  it('rescales at once (undefined) without checkpointing, or with fresh checkpoints turned off (Flink 1.x)', () => {
    assert.equal(freshCheckpointDelay(config(), undefined), undefined);
    const off = config({ 'jobmanager.adaptive-scheduler.rescale-trigger.fresh-checkpoint.enabled': 'false' });
    assert.equal(freshCheckpointDelay(off, 10_000), undefined);
  });
});

describe('graceful stop window', () => {
  it('is the timeout plus time for the answer, and nothing when the graceful stop is off', () => {
    assert.equal(gracefulStopWindowMs(5_000), 7_000);
    assert.equal(gracefulStopWindowMs(0), 0);
  });
});
