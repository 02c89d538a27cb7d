import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { configureLogging, MemoryLogSink } from '../../../../src/core/logging.js';
import { RescaleTimeline } from '../../../../src/jobmanager/jobmaster/rescale-timeline.js';

/** A timeline on a clock the test moves by hand. */
function timelineAt(start: number): { timeline: RescaleTimeline; clock: { now: number } } {
  const clock = { now: start };
  return { timeline: new RescaleTimeline(() => clock.now), clock };
}

describe('RescaleTimeline downtime (the processing gap)', () => {
  let logs: MemoryLogSink;
  beforeEach(() => {
    logs = new MemoryLogSink();
    configureLogging(logs, 'INFO');
  });

  it('runs from the last record of the stopped run to the first record of the new one', () => {
    const { timeline, clock } = timelineAt(1_000);
    timeline.runStarted('initial-schedule', { v: 1 }, undefined, ['a1', 'a2']);
    assert.equal(timeline.changes[0]?.downtimeBasis, 'none');
    assert.equal(timeline.changes[0]?.downtimeMs, 0);

    clock.now = 5_000;
    timeline.runStopped(true);
    // The tasks go on processing until the cancel reaches them, after the scheduler's stop.
    timeline.reportTaskEnd('a1', 5_010, false);
    timeline.reportTaskEnd('a2', 5_030, false);
    clock.now = 5_040;
    timeline.runStarted('taskmanager-joined', { v: 2 }, 3, ['b1', 'b2']);
    const entry = timeline.changes[1];
    assert.equal(entry?.downtimeBasis, 'pending');
    assert.equal(entry?.downtimeMs, 10, 'until the first record, the gap up to the deployment');

    clock.now = 5_600;
    timeline.reportFirstActivity('b2', 5_330, 'record');
    timeline.reportFirstActivity('b1', 5_340, 'record');
    assert.equal(entry.downtimeBasis, 'records');
    assert.equal(entry.downtimeStart, 5_030, 'the latest last record over the stopped run');
    assert.equal(entry.downtimeMs, 300, 'to the earliest first record of the new run');
    assert.equal(entry.timestamp, 5_040);
    assert.ok(logs.lines.some((line) => /down for 300 ms \(records: last record at .*, first record at/.test(line)), logs.lines.join('\n'));
    assert.equal(timeline.numRescales, 1);
  });

  it('counts the failed task whose report stopped the run, and end reports that arrive after the new run started', () => {
    const { timeline, clock } = timelineAt(0);
    timeline.runStarted('initial-schedule', { v: 2 }, undefined, ['a1', 'a2']);
    // The failing task's final report is applied before the scheduler stops the run.
    timeline.reportTaskEnd('a1', 900, false);
    clock.now = 1_000;
    timeline.runStopped(false);
    clock.now = 1_100;
    timeline.runStarted('failure', { v: 2 }, undefined, ['b1', 'b2']);
    timeline.reportTaskEnd('a2', 950, false);
    timeline.reportFirstActivity('b1', 1_450, 'record');
    const entry = timeline.changes[1];
    assert.equal(entry?.downtimeStart, 950);
    assert.equal(entry?.downtimeMs, 500);
    assert.equal(timeline.numRescales, 0);
  });

  it('ignores reports of attempts outside the runs concerned', () => {
    const { timeline, clock } = timelineAt(0);
    timeline.runStarted('initial-schedule', { v: 1 }, undefined, ['a1']);
    clock.now = 1_000;
    timeline.runStopped(true);
    timeline.reportTaskEnd('a1', 1_005, false);
    timeline.reportTaskEnd('stray', 1_900, false);
    clock.now = 1_010;
    timeline.runStarted('taskmanager-joined', { v: 2 }, undefined, ['b1', 'b2']);
    // The stopped run's own first-record notice, arriving late, does not end the outage.
    timeline.reportFirstActivity('a1', 1_020, 'record');
    assert.equal(timeline.changes[1]?.downtimeBasis, 'pending');
    timeline.reportFirstActivity('b1', 1_205, 'record');
    assert.equal(timeline.changes[1]?.downtimeMs, 200);
    // Later notices do not move a settled figure.
    timeline.reportFirstActivity('b2', 1_100, 'record');
    timeline.reportTaskEnd('a1', 1_150, false);
    assert.equal(timeline.changes[1]?.downtimeMs, 200);
  });

  it('falls back to the scheduler stop and an idle source for an idle job, and says so', () => {
    const { timeline, clock } = timelineAt(0);
    timeline.runStarted('initial-schedule', { v: 1 }, undefined, ['a1', 'a2']);
    clock.now = 60_000;
    timeline.runStopped(true);
    // The source had records long ago and was idle at its end: the job was waiting, not down.
    timeline.reportTaskEnd('a1', 1_000, true);
    timeline.reportTaskEnd('a2', 1_001, false);
    clock.now = 60_020;
    timeline.runStarted('taskmanager-joined', { v: 2 }, undefined, ['b1']);
    timeline.reportFirstActivity('b1', 60_250, 'idle');
    const entry = timeline.changes[1];
    assert.equal(entry?.downtimeStart, 60_000);
    assert.equal(entry?.downtimeMs, 250);
    assert.equal(entry?.downtimeBasis, 'scheduler');
  });

  it('starts at the scheduler stop when no task of the stopped run reported a record', () => {
    const { timeline, clock } = timelineAt(0);
    timeline.runStarted('initial-schedule', { v: 1 }, undefined, ['a1']);
    clock.now = 2_000;
    timeline.runStopped(false);
    clock.now = 2_050;
    timeline.runStarted('taskmanager-lost-socket', { v: 1 }, undefined, ['b1']);
    timeline.reportFirstActivity('b1', 2_400, 'record');
    assert.equal(timeline.changes[1]?.downtimeMs, 400);
    assert.equal(timeline.changes[1]?.downtimeBasis, 'scheduler');
  });

  it('ends the entry of a run that stopped before any record at its stop, where the next outage begins', () => {
    const { timeline, clock } = timelineAt(0);
    timeline.runStarted('initial-schedule', { v: 1 }, undefined, ['a1']);
    clock.now = 1_000;
    timeline.runStopped(true);
    timeline.reportTaskEnd('a1', 1_010, false);
    clock.now = 1_020;
    timeline.runStarted('taskmanager-joined', { v: 2 }, undefined, ['b1', 'b2']);
    clock.now = 1_100;
    timeline.runStopped(true);
    clock.now = 1_130;
    timeline.runStarted('taskmanager-joined', { v: 3 }, undefined, ['c1']);
    timeline.reportFirstActivity('c1', 1_400, 'record');
    const [, second, third] = timeline.changes;
    assert.deepEqual([second?.downtimeStart, second?.downtimeMs, second?.downtimeBasis], [1_010, 90, 'scheduler']);
    assert.deepEqual([third?.downtimeStart, third?.downtimeMs], [1_100, 300]);
    assert.equal((second?.downtimeMs ?? 0) + (third?.downtimeMs ?? 0), 1_400 - 1_010, 'the two entries cover the whole gap once');
  });
});
