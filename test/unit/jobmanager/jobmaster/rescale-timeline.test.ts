import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { configureLogging, MemoryLogSink } from '../../../../src/core/logging.js';
import { RescaleTimeline, type RunAttempts } from '../../../../src/jobmanager/jobmaster/rescale-timeline.js';
import { IDLE_BEFORE_STOP_MS } from '../../../../src/jobmanager/jobmaster/processing-gap.js';
import { SINK_WAIT_MS } from '../../../../src/jobmanager/jobmaster/run-resumption.js';
import { asAttemptId } from '../../../helpers/ids.js';

/** A timeline on a clock the test moves by hand, with timers the test fires by hand. */
function timelineAt(start: number): {
  timeline: RescaleTimeline;
  clock: { now: number };
  timers: Array<{ action: () => void; ms: number; canceled: boolean }>;
} {
  const clock = { now: start };
  const timers: Array<{ action: () => void; ms: number; canceled: boolean }> = [];
  const schedule = (action: () => void, ms: number): (() => void) => {
    const timer = { action, ms, canceled: false };
    timers.push(timer);
    return () => {
      timer.canceled = true;
    };
  };
  return { timeline: new RescaleTimeline(() => clock.now, schedule), clock, timers };
}

/** A run of one vertex: every attempt is a sink. */
function run(...ids: string[]): RunAttempts {
  return { all: ids, outputs: ids };
}

describe('RescaleTimeline downtime (the processing gap)', () => {
  let logs: MemoryLogSink;
  beforeEach(() => {
    logs = new MemoryLogSink();
    configureLogging(logs, 'INFO');
  });

  it('runs from the last sink record of the stopped run to the moment every sink of the new run has processed one', () => {
    const { timeline, clock, timers } = timelineAt(1_000);
    timeline.runStarted('initial-schedule', { v: 1 }, undefined, { all: ['a-src', 'a1', 'a2'], outputs: ['a1', 'a2'] });
    assert.equal(timeline.changes[0]?.downtimeBasis, 'none');
    assert.equal(timeline.changes[0]?.downtimeMs, 0);

    clock.now = 5_000;
    timeline.runStopped(true);
    // The tasks go on processing until the cancel reaches them, after the scheduler's stop.
    timeline.reportTaskEnd(asAttemptId('a1'), 5_010, false);
    timeline.reportTaskEnd(asAttemptId('a2'), 5_030, false);
    clock.now = 5_040;
    timeline.runStarted('taskmanager-joined', { v: 2 }, 3, { all: ['b-src', 'b1', 'b2'], outputs: ['b1', 'b2'] });
    const entry = timeline.changes[1];
    assert.equal(entry?.downtimeBasis, 'pending');
    assert.equal(entry?.downtimeMs, 10, 'until the first record, the gap up to the deployment');

    clock.now = 5_600;
    timeline.reportFirstActivity(asAttemptId('b-src'), 5_050, 'record');
    timeline.reportFirstActivity(asAttemptId('b2'), 5_080, 'record');
    assert.equal(entry.downtimeBasis, 'pending', 'one sink draining what it holds is not the output flowing');
    assert.equal(entry.downtimeMs, 50, 'the figure so far');
    assert.ok(!logs.lines.some((line) => /down for/.test(line)));
    timeline.reportFirstActivity(asAttemptId('b1'), 5_330, 'record');
    assert.equal(entry.downtimeBasis, 'records');
    assert.equal(entry.downtimeStart, 5_030, 'the latest last record over the stopped run');
    assert.equal(entry.downtimeMs, 300, 'to the last sink of the new run to process a record');
    assert.equal(entry.timestamp, 5_040);
    assert.ok(
      timers.every((timer) => timer.canceled),
      'no wait for silent sinks is left',
    );
    assert.ok(
      logs.lines.some((line) => /down for 300 ms \(records: last record at .*, first record of all 2 sinks at/.test(line)),
      logs.lines.join('\n'),
    );
    assert.equal(timeline.numRescales, 1);
  });

  it('counts the failed task whose report stopped the run, and end reports that arrive after the new run started', () => {
    const { timeline, clock } = timelineAt(0);
    timeline.runStarted('initial-schedule', { v: 2 }, undefined, run('a1', 'a2'));
    // The failing task's final report is applied before the scheduler stops the run.
    timeline.reportTaskEnd(asAttemptId('a1'), 900, false);
    clock.now = 1_000;
    timeline.runStopped(false);
    clock.now = 1_100;
    timeline.runStarted('failure', { v: 2 }, undefined, run('b1'));
    timeline.reportTaskEnd(asAttemptId('a2'), 950, false);
    timeline.reportFirstActivity(asAttemptId('b1'), 1_450, 'record');
    const entry = timeline.changes[1];
    assert.equal(entry?.downtimeStart, 950);
    assert.equal(entry?.downtimeMs, 500);
    assert.equal(timeline.numRescales, 0);
  });

  it('ignores reports of attempts outside the runs concerned', () => {
    const { timeline, clock } = timelineAt(0);
    timeline.runStarted('initial-schedule', { v: 1 }, undefined, run('a1'));
    clock.now = 1_000;
    timeline.runStopped(true);
    timeline.reportTaskEnd(asAttemptId('a1'), 1_005, false);
    timeline.reportTaskEnd(asAttemptId('stray'), 1_900, false);
    clock.now = 1_010;
    timeline.runStarted('taskmanager-joined', { v: 2 }, undefined, run('b1', 'b2'));
    // The stopped run's own first-record notice, arriving late, does not end the outage.
    timeline.reportFirstActivity(asAttemptId('a1'), 1_020, 'record');
    assert.equal(timeline.changes[1]?.downtimeBasis, 'pending');
    timeline.reportFirstActivity(asAttemptId('b1'), 1_105, 'record');
    timeline.reportFirstActivity(asAttemptId('b1'), 1_300, 'record');
    timeline.reportFirstActivity(asAttemptId('b2'), 1_205, 'record');
    assert.equal(timeline.changes[1]?.downtimeMs, 200);
    // Later notices do not move a settled figure.
    timeline.reportFirstActivity(asAttemptId('b2'), 1_500, 'record');
    timeline.reportTaskEnd(asAttemptId('a1'), 1_150, false);
    assert.equal(timeline.changes[1]?.downtimeMs, 200);
  });

  it('falls back to the scheduler stop and an idle source for an idle job, and says so', () => {
    const { timeline, clock } = timelineAt(0);
    timeline.runStarted('initial-schedule', { v: 1 }, undefined, run('a1', 'a2'));
    clock.now = 60_000;
    timeline.runStopped(true);
    // The source had records long ago and was idle at its end: the job was waiting, not down.
    timeline.reportTaskEnd(asAttemptId('a1'), 60_000 - IDLE_BEFORE_STOP_MS - 1, true);
    timeline.reportTaskEnd(asAttemptId('a2'), 1_001, false);
    clock.now = 60_020;
    timeline.runStarted('taskmanager-joined', { v: 2 }, undefined, run('b1'));
    timeline.reportFirstActivity(asAttemptId('b1'), 60_250, 'idle');
    const entry = timeline.changes[1];
    assert.equal(entry?.downtimeStart, 60_000);
    assert.equal(entry?.downtimeMs, 250);
    assert.equal(entry?.downtimeBasis, 'scheduler');
  });

  it('takes the last record of a busy job whose rate-limited source waited between bursts', () => {
    const { timeline, clock } = timelineAt(0);
    timeline.runStarted('initial-schedule', { v: 1 }, undefined, { all: ['a-src', 'a1'], outputs: ['a1'] });
    clock.now = 10_000;
    timeline.runStopped(true);
    timeline.reportTaskEnd(asAttemptId('a-src'), undefined, true);
    timeline.reportTaskEnd(asAttemptId('a1'), 9_990, false);
    clock.now = 10_010;
    timeline.runStarted('taskmanager-joined', { v: 2 }, undefined, { all: ['b-src', 'b1'], outputs: ['b1'] });
    timeline.reportFirstActivity(asAttemptId('b1'), 10_190, 'record');
    assert.deepEqual(
      [timeline.changes[1]?.downtimeStart, timeline.changes[1]?.downtimeMs, timeline.changes[1]?.downtimeBasis],
      [9_990, 200, 'records'],
    );
  });

  it('settles without the sinks that get no record, SINK_WAIT_MS after the first sink resumed', () => {
    const { timeline, clock, timers } = timelineAt(0);
    timeline.runStarted('initial-schedule', { v: 1 }, undefined, run('a1'));
    clock.now = 1_000;
    timeline.runStopped(true);
    timeline.reportTaskEnd(asAttemptId('a1'), 1_004, false);
    timeline.runStarted('taskmanager-joined', { v: 3 }, undefined, run('b1', 'b2', 'b3'));
    timeline.reportFirstActivity(asAttemptId('b1'), 1_100, 'record');
    timeline.reportFirstActivity(asAttemptId('b3'), 1_250, 'record');
    assert.equal(timeline.changes[1]?.downtimeBasis, 'pending');
    assert.deepEqual(
      timers.map((timer) => timer.ms),
      [SINK_WAIT_MS],
      'one wait, armed by the first sink',
    );
    timers[0]?.action();
    assert.deepEqual([timeline.changes[1]?.downtimeMs, timeline.changes[1]?.downtimeBasis], [246, 'records']);
    assert.ok(
      logs.lines.some((line) => /down for 246 ms .*first record of 2 of 3 sinks/.test(line)),
      logs.lines.join('\n'),
    );
  });

  it('starts at the scheduler stop when no task of the stopped run reported a record', () => {
    const { timeline, clock } = timelineAt(0);
    timeline.runStarted('initial-schedule', { v: 1 }, undefined, run('a1'));
    clock.now = 2_000;
    timeline.runStopped(false);
    clock.now = 2_050;
    timeline.runStarted('taskmanager-lost-socket', { v: 1 }, undefined, run('b1'));
    timeline.reportFirstActivity(asAttemptId('b1'), 2_400, 'record');
    assert.equal(timeline.changes[1]?.downtimeMs, 400);
    assert.equal(timeline.changes[1]?.downtimeBasis, 'scheduler');
  });

  it('ends the entry of a run that stopped before any record at its stop, where the next outage begins', () => {
    const { timeline, clock } = timelineAt(0);
    timeline.runStarted('initial-schedule', { v: 1 }, undefined, run('a1'));
    clock.now = 1_000;
    timeline.runStopped(true);
    timeline.reportTaskEnd(asAttemptId('a1'), 1_010, false);
    clock.now = 1_020;
    timeline.runStarted('taskmanager-joined', { v: 2 }, undefined, run('b1', 'b2'));
    clock.now = 1_100;
    timeline.runStopped(true);
    clock.now = 1_130;
    timeline.runStarted('taskmanager-joined', { v: 3 }, undefined, run('c1'));
    timeline.reportFirstActivity(asAttemptId('c1'), 1_400, 'record');
    const [, second, third] = timeline.changes;
    assert.deepEqual([second?.downtimeStart, second?.downtimeMs, second?.downtimeBasis], [1_010, 90, 'scheduler']);
    assert.deepEqual([third?.downtimeStart, third?.downtimeMs], [1_100, 300]);
    assert.equal((second?.downtimeMs ?? 0) + (third?.downtimeMs ?? 0), 1_400 - 1_010, 'the two entries cover the whole gap once');
  });

  it('ends the entry of a run that stopped with only some sinks resumed at the last of them', () => {
    const { timeline, clock } = timelineAt(0);
    timeline.runStarted('initial-schedule', { v: 1 }, undefined, run('a1'));
    clock.now = 1_000;
    timeline.runStopped(true);
    timeline.reportTaskEnd(asAttemptId('a1'), 1_010, false);
    clock.now = 1_020;
    timeline.runStarted('taskmanager-joined', { v: 2 }, undefined, run('b1', 'b2'));
    timeline.reportFirstActivity(asAttemptId('b1'), 1_060, 'record');
    clock.now = 1_100;
    timeline.runStopped(true);
    timeline.reportTaskEnd(asAttemptId('b1'), 1_104, false);
    clock.now = 1_130;
    timeline.runStarted('taskmanager-joined', { v: 1 }, undefined, run('c1'));
    timeline.reportFirstActivity(asAttemptId('c1'), 1_304, 'record');
    const [, second, third] = timeline.changes;
    assert.deepEqual([second?.downtimeStart, second?.downtimeMs, second?.downtimeBasis], [1_010, 50, 'records']);
    assert.deepEqual([third?.downtimeStart, third?.downtimeMs, third?.downtimeBasis], [1_104, 200, 'records']);
  });
});

describe('RescaleTimeline counts and back-off', () => {
  beforeEach(() => configureLogging(new MemoryLogSink(), 'INFO'));

  it("records the back-off waited before each run and the replay its sources reported; counts every stop as Flink's numRestarts", () => {
    const { timeline, clock } = timelineAt(1_000);
    timeline.runStarted('initial-schedule', { v: 1 }, undefined);
    assert.equal(timeline.changes[0]?.restartBackoffMs, 0);

    clock.now = 2_000;
    timeline.runStopped(true, 0);
    timeline.reportReplay(0);
    timeline.runStarted('taskmanager-stopped', { v: 1 }, 4);
    assert.equal(timeline.changes[1]?.restartBackoffMs, 0, 'a planned rescale waits for no back-off');
    assert.equal(timeline.changes[1]?.recordsReplayed, 0);

    clock.now = 3_000;
    timeline.runStopped(false, 1_000);
    timeline.reportReplay(412);
    clock.now = 4_100;
    timeline.runStarted('failure', { v: 1 }, 5);
    assert.equal(timeline.changes[2]?.restartBackoffMs, 1_000);
    assert.equal(timeline.changes[2]?.recordsReplayed, 412);
    assert.equal(timeline.numRestarts, 2, 'every run stopped counts, the rescale too');
    assert.equal(timeline.numRescales, 1);
  });
});
