import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TaskIdentity } from '../../../../src/metrics/task-metrics.js';
import { MIN_WATERMARK } from '../../../../src/runtime/task-contract.js';
import type { TaskCounterSnapshot } from '../../../../src/taskmanager/slots/slot-messages.js';
import { SnapshotProbe } from '../../../../src/taskmanager/slots/snapshot-probe.js';
import { asAttemptId, asJobId, asVertexId } from '../../../helpers/ids.js';

const INTERVAL_MS = 250;

const identity: TaskIdentity = {
  jobId: asJobId('job-1'),
  jobName: 'a job',
  vertexId: asVertexId('vertex-1'),
  taskName: 'Map',
  subtaskIndex: 0,
  attemptNumber: 0,
  attemptId: asAttemptId('attempt-1'),
  head: { id: 'op-1', name: 'Map' },
  tail: { id: 'op-1', name: 'Map' },
  isSource: false,
};

function counters(overrides: Partial<TaskCounterSnapshot> = {}): TaskCounterSnapshot {
  return {
    attemptId: asAttemptId('attempt-1'),
    numRecordsIn: 10,
    numRecordsOut: 20,
    numBytesIn: 300,
    numBytesOut: 400,
    busyMs: 50,
    idleMs: 60,
    backPressuredMs: 70,
    isBackPressured: false,
    currentInputWatermark: 1_000,
    currentOutputWatermark: 900,
    pendingRecords: 5,
    restoredBytesLocal: 0,
    restoredBytesFromStorage: 0,
    ...overrides,
  };
}

/** A probe whose clock the test moves. */
function probe(): { probe: SnapshotProbe; clock: { now: number } } {
  const clock = { now: 100_000 };
  return { probe: new SnapshotProbe(identity, INTERVAL_MS, () => clock.now), clock };
}

describe('SnapshotProbe', () => {
  it('reads zeros and the minimum watermark before the thread first reports', () => {
    const { probe: p, clock } = probe();
    clock.now += 60_000;
    assert.equal(p.identity, identity);
    assert.equal(p.numRecordsIn(), 0);
    assert.equal(p.numRecordsOut(), 0);
    assert.equal(p.numBytesIn(), 0);
    assert.equal(p.numBytesOut(), 0);
    assert.equal(p.busyMs(), 0, 'a thread that never reported is not counted busy');
    assert.equal(p.idleMs(), 0);
    assert.equal(p.backPressuredMs(), 0);
    assert.equal(p.isBackPressured(), false);
    assert.equal(p.currentInputWatermark(), MIN_WATERMARK);
    assert.equal(p.currentOutputWatermark(), MIN_WATERMARK);
    assert.equal(p.pendingRecords(), undefined);
  });

  it('passes the last reported counters through', () => {
    const { probe: p, clock } = probe();
    p.update(clock.now, counters());
    p.update(clock.now, counters({ numRecordsIn: 11, busyMs: 55, isBackPressured: true, pendingRecords: undefined }));
    assert.equal(p.numRecordsIn(), 11);
    assert.equal(p.numRecordsOut(), 20);
    assert.equal(p.numBytesIn(), 300);
    assert.equal(p.numBytesOut(), 400);
    assert.equal(p.busyMs(), 55);
    assert.equal(p.idleMs(), 60);
    assert.equal(p.backPressuredMs(), 70);
    assert.equal(p.isBackPressured(), true);
    assert.equal(p.currentInputWatermark(), 1_000);
    assert.equal(p.currentOutputWatermark(), 900);
    assert.equal(p.pendingRecords(), undefined);
  });

  it('a usual gap between reports (up to twice the interval) adds no busy time', () => {
    const { probe: p, clock } = probe();
    p.update(clock.now, counters({ busyMs: 50, isBackPressured: true }));
    clock.now += 2 * INTERVAL_MS;
    assert.equal(p.busyMs(), 50);
    assert.equal(p.isBackPressured(), true);
  });

  it("a silent thread's time beyond twice the interval counts as busy, and it is not backpressured meanwhile", () => {
    const { probe: p, clock } = probe();
    const reportedAt = clock.now;
    p.update(reportedAt, counters({ busyMs: 50, isBackPressured: true }));
    clock.now = reportedAt + 2 * INTERVAL_MS + 1;
    assert.equal(p.busyMs(), 51);
    assert.equal(p.isBackPressured(), false, 'a thread stuck in user code shows as busy, not backpressured');
    clock.now = reportedAt + 10_000;
    assert.equal(p.busyMs(), 50 + 10_000 - 2 * INTERVAL_MS);
    assert.equal(p.isBackPressured(), false);
    assert.equal(p.backPressuredMs(), 70, 'the reported counters themselves are unchanged');
    assert.equal(p.idleMs(), 60);

    // The thread reports again: its own counters stand, and backpressure shows again.
    p.update(clock.now, counters({ busyMs: 9_800, isBackPressured: true }));
    assert.equal(p.busyMs(), 9_800);
    assert.equal(p.isBackPressured(), true);
  });

  it('measures the silence from when the counters were read, not from when they arrived', () => {
    const { probe: p, clock } = probe();
    p.update(clock.now - 1_000, counters({ busyMs: 0 }));
    assert.equal(p.busyMs(), 1_000 - 2 * INTERVAL_MS);
  });
});
