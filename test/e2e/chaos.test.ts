import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chaosRate, runChaos } from '../../bench/chaos/chaos-run.js';

describe('chaos (short run; `npm run chaos` runs the long one)', () => {
  it('commits exactly the fault-free output through 30 random TaskManager starts, stops, kills and freezes', async () => {
    const records = 2_000_000;
    const events = 30;
    const report = await runChaos({ events, seed: 20261124, records, keys: 10_000, rate: chaosRate(records, events) });
    assert.equal(report.eventsSurvived, events, `only ${report.eventsSurvived} events happened before the job finished`);
    assert.deepEqual(report.missing.slice(0, 10), [], `${report.missing.length} committed line(s) missing`);
    assert.deepEqual(report.unexpected.slice(0, 10), [], `${report.unexpected.length} unexpected or duplicated line(s)`);
    assert.ok(report.restarts > 0);
  });

  it('with two JobManagers under ZooKeeper HA, commits exactly the fault-free output through 15 random JobManager and TaskManager events', async () => {
    const records = 500_000;
    const events = 15;
    const report = await runChaos({ events, seed: 20261204, records, keys: 10_000, rate: chaosRate(records, events, 2), jobManagers: 2 });
    assert.equal(report.eventsSurvived, events, `only ${report.eventsSurvived} events happened before the job finished`);
    assert.deepEqual(report.missing.slice(0, 10), [], `${report.missing.length} committed line(s) missing`);
    assert.deepEqual(report.unexpected.slice(0, 10), [], `${report.unexpected.length} unexpected or duplicated line(s)`);
    const { 'jm-kill': kills, 'jm-stop': stops, 'jm-freeze-short': short, 'jm-freeze-long': long } = report.events;
    assert.ok(kills + stops + short + long > 0, 'JobManager faults were injected');
    assert.ok(report.jobManagerFaultsOnLeader > 0, 'a fault hit the leader');
  });
});
