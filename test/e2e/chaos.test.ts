import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runChaos } from '../../bench/chaos/chaos-run.js';

describe('chaos (short run; `npm run chaos` runs the long one)', () => {
  it('commits exactly the fault-free output through 30 random TaskManager starts, stops, kills and freezes', async () => {
    const records = 2_000_000;
    const events = 30;
    const report = await runChaos({ events, seed: 20261124, records, keys: 10_000, rate: Math.floor(records / (events * 0.6 * 3 * 1.3)) });
    assert.equal(report.eventsSurvived, events, `only ${report.eventsSurvived} events happened before the job finished`);
    assert.deepEqual(report.missing.slice(0, 10), [], `${report.missing.length} committed line(s) missing`);
    assert.deepEqual(report.unexpected.slice(0, 10), [], `${report.unexpected.length} unexpected or duplicated line(s)`);
    assert.ok(report.restarts > 0);
  });
});
