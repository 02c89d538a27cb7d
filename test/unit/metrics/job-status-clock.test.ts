import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobStatusClock, NO_LONGER_RUNNING } from '../../../src/metrics/job-status-clock.js';

/** A clock driven by hand: `at(t, status)` records a transition at t and moves time there. */
function clockAt(start: number): { clock: JobStatusClock; at(time: number, status?: string): void } {
  let now = start;
  const clock = new JobStatusClock('INITIALIZING', start, () => now);
  return {
    clock,
    at(time, status) {
      now = time;
      if (status !== undefined) clock.onTransition(status, time);
    },
  };
}

describe('JobStatusClock', () => {
  it('counts uptime from the last switch to RUNNING and nothing before the first run', () => {
    const { clock, at } = clockAt(1000);
    at(1100, 'CREATED');
    assert.deepEqual([clock.uptime(), clock.downtime(), clock.restartingTime()], [0, 0, 0]);
    at(1500, 'RUNNING');
    at(4500);
    assert.deepEqual([clock.uptime(), clock.downtime(), clock.restartingTime()], [3000, 0, 0]);
  });

  it('measures an Adaptive Scheduler rescale (RUNNING → RESTARTING → CREATED → RUNNING) without resetting', () => {
    const { clock, at } = clockAt(0);
    at(100, 'CREATED');
    at(200, 'RUNNING');
    at(10_000, 'RESTARTING');
    at(10_300);
    assert.deepEqual([clock.uptime(), clock.downtime(), clock.restartingTime()], [0, 300, 300]);
    at(10_400, 'CREATED');
    at(10_700);
    assert.deepEqual([clock.downtime(), clock.restartingTime()], [700, 700], 'the outage spans RESTARTING and CREATED');
    at(10_900, 'RUNNING');
    at(12_900);
    assert.deepEqual([clock.uptime(), clock.downtime(), clock.restartingTime()], [2000, 0, 900], 'restartingTime keeps the last restart');
  });

  it('counts an outage that starts before the first run from the first failure', () => {
    const { clock, at } = clockAt(0);
    at(100, 'CREATED');
    at(200, 'RESTARTING');
    at(700);
    assert.equal(clock.downtime(), 500);
  });

  it('answers -1 for uptime and downtime once the job ended, and the restart that ended in it', () => {
    const { clock, at } = clockAt(0);
    at(10, 'RUNNING');
    at(100, 'RESTARTING');
    at(400, 'FAILED');
    at(5000);
    assert.deepEqual([clock.uptime(), clock.downtime(), clock.restartingTime()], [NO_LONGER_RUNNING, NO_LONGER_RUNNING, 300]);
  });
});
