import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CheckpointStatsTracker } from '../../../../src/jobmanager/checkpoint/checkpoint-stats-tracker.js';
import { renderCheckpointConfig } from '../../../../src/jobmanager/checkpoint/checkpoint-stats-json.js';
import { StatsSummary } from '../../../../src/jobmanager/checkpoint/stats-summary.js';
import { responseSchema, schemaMismatches, type WalkOptions } from './rest-schema.js';
import { testSettings } from './testing-coordinator.js';
import { asVertexId } from '../../../helpers/ids.js';

const VERTICES = [
  { vertexId: asVertexId('aaaa'), parallelism: 2 },
  { vertexId: asVertexId('bbbb'), parallelism: 1 },
];
const NULLABLE = new Set(['$.latest.completed', '$.latest.savepoint', '$.latest.failed', '$.latest.restored']);
const STATS = 'urn:jsonschema:org:apache:flink:runtime:rest:messages:checkpoints:CheckpointStatistics';
const WALK: WalkOptions = {
  nullable: (path) => NULLABLE.has(path) || /\.(savepointFormat|external_path|failure_message)$/.test(path),
  extraProperties: ['className'],
  // History entries are written as their runtime subtype, which adds fields to the base schema.
  subtypes: { [STATS]: { completed: `${STATS}:CompletedCheckpointStatistics`, failed: `${STATS}:FailedCheckpointStatistics` } },
};

/** A tracker that has seen every kind of entry: completed checkpoints, a savepoint, a failure, one in progress and a restore. */
function busyTracker(): CheckpointStatsTracker {
  const tracker = new CheckpointStatsTracker(10);
  const complete = (id: number, kind: 'CHECKPOINT' | 'SAVEPOINT', trigger: number, acks: number[], size: number) => {
    tracker.reportPending(id, kind, trigger, VERTICES);
    acks.forEach((at, i) => tracker.reportAcknowledged(id, asVertexId(i < 2 ? 'aaaa' : 'bbbb'), at, size));
    tracker.reportCompleted(id, `file:/cp/chk-${id}`);
  };
  complete(1, 'CHECKPOINT', 1_000, [1_050, 1_080, 1_100], 10);
  complete(2, 'CHECKPOINT', 2_000, [2_100, 2_150, 2_200], 20);
  complete(3, 'SAVEPOINT', 3_000, [3_100, 3_200, 3_300], 30);
  tracker.reportPending(4, 'CHECKPOINT', 4_000, VERTICES);
  tracker.reportAcknowledged(4, asVertexId('aaaa'), 4_010, 5);
  tracker.reportFailed(4, 4_500, 'Checkpoint expired before completing.');
  tracker.reportPending(5, 'CHECKPOINT', 5_000, VERTICES);
  tracker.reportRestored({ id: 2, restoreTimestamp: 6_000, isSavepoint: false, externalPath: 'file:/cp/chk-2' });
  tracker.reportDiscarded(1);
  return tracker;
}

describe('GET /jobs/:jobid/checkpoints rendering', () => {
  it("matches Flink's response schema field by field when empty", () => {
    const json = new CheckpointStatsTracker().renderCheckpointingStatistics();
    assert.deepEqual(schemaMismatches(json, responseSchema('/jobs/:jobid/checkpoints'), WALK), []);
    assert.deepEqual(json.latest, { completed: null, savepoint: null, failed: null, restored: null });
    assert.deepEqual(json.summary.state_size, { min: 0, max: 0, avg: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0 });
    assert.deepEqual(json.history, []);
  });

  it("matches Flink's response schema field by field with every kind of entry", () => {
    const json = busyTracker().renderCheckpointingStatistics();
    assert.deepEqual(schemaMismatches(json, responseSchema('/jobs/:jobid/checkpoints'), WALK), []);
    assert.deepEqual(
      json.history.map((e) => [e.id, e.className, e.status]),
      [
        [5, 'in_progress', 'IN_PROGRESS'],
        [4, 'failed', 'FAILED'],
        [3, 'completed', 'COMPLETED'],
        [2, 'completed', 'COMPLETED'],
        [1, 'completed', 'COMPLETED'],
      ],
    );
    for (const key of ['completed', 'savepoint', 'failed', 'restored'] as const) assert.notEqual(json.latest[key], null, key);
  });

  it('is checked by a walk that notices missing, mistyped and unknown fields', () => {
    const json = busyTracker().renderCheckpointingStatistics() as unknown as {
      counts: Record<string, unknown>;
      latest: { completed: Record<string, unknown> };
    };
    delete json.counts.failed;
    json.latest.completed.id = '2';
    json.latest.completed.checkpoint_type = 'FULL';
    json.latest.completed.surprise = true;
    assert.deepEqual(schemaMismatches(json, responseSchema('/jobs/:jobid/checkpoints'), WALK).sort(), [
      '$.counts.failed: missing',
      "$.latest.completed.checkpoint_type: 'FULL' is not one of CHECKPOINT, UNALIGNED_CHECKPOINT, SAVEPOINT, SYNC_SAVEPOINT",
      '$.latest.completed.id: "2" is not an integer',
      '$.latest.completed.surprise: not in the schema',
    ]);
  });

  it("reports Flink's counts, latest entries and summaries", () => {
    const json = busyTracker().renderCheckpointingStatistics();
    assert.deepEqual(json.counts, { restored: 1, total: 5, in_progress: 1, completed: 3, failed: 1 });
    const completed = json.latest.completed!;
    assert.equal(completed.id, 2);
    assert.equal(completed.is_savepoint, false);
    assert.equal(completed.savepointFormat, null);
    assert.equal(completed.checkpoint_type, 'CHECKPOINT');
    assert.equal(completed.latest_ack_timestamp, 2_200);
    assert.equal(completed.end_to_end_duration, 200);
    assert.equal(completed.state_size, 60);
    assert.equal(completed.num_subtasks, 3);
    assert.equal(completed.num_acknowledged_subtasks, 3);
    assert.equal(completed.external_path, 'file:/cp/chk-2');
    assert.equal(completed.discarded, false);
    assert.deepEqual(completed.tasks, {}, 'the overview leaves per-task statistics out, as Flink does');
    const savepoint = json.latest.savepoint!;
    assert.deepEqual(
      [savepoint.id, savepoint.is_savepoint, savepoint.savepointFormat, savepoint.checkpoint_type],
      [3, true, 'CANONICAL', 'SAVEPOINT'],
    );
    const failed = json.latest.failed!;
    assert.deepEqual(
      [failed.id, failed.failure_timestamp, failed.failure_message, failed.end_to_end_duration, failed.num_acknowledged_subtasks],
      [4, 4_500, 'Checkpoint expired before completing.', 500, 1],
    );
    const pending = json.history[0]!;
    assert.deepEqual([pending.latest_ack_timestamp, pending.end_to_end_duration, pending.num_acknowledged_subtasks], [-1, -1, 0]);
    assert.equal(json.history.find((e) => e.id === 1)!.discarded, true);
    assert.deepEqual(json.summary.end_to_end_duration, { min: 100, max: 300, avg: 200, p50: 200, p90: 300, p95: 300, p99: 300, p999: 300 });
    assert.deepEqual([json.summary.state_size.min, json.summary.state_size.max, json.summary.state_size.avg], [30, 90, 60]);
    assert.deepEqual(json.summary.checkpointed_size, json.summary.state_size);
    assert.equal(json.summary.alignment_buffered.max, 0);
  });

  it('keeps only web.checkpoints.history entries, newest first, while counts cover everything', () => {
    const tracker = new CheckpointStatsTracker(3);
    for (let id = 1; id <= 5; id++) {
      tracker.reportPending(id, 'CHECKPOINT', id * 10, VERTICES);
      tracker.reportCompleted(id, `file:/c/${id}`);
    }
    const json = tracker.renderCheckpointingStatistics();
    assert.deepEqual(
      json.history.map((e) => e.id),
      [5, 4, 3],
    );
    assert.equal(json.counts.completed, 5);
  });

  it('renders one checkpoint with per-vertex statistics for the details endpoint', () => {
    const tracker = busyTracker();
    const details = tracker.renderCheckpointDetails(2)!;
    // The details schema lists only the base type; a completed checkpoint adds external_path and discarded.
    const detailsOptions: WalkOptions = { ...WALK, subtypes: {}, extraProperties: ['className', 'external_path', 'discarded'] };
    assert.deepEqual(schemaMismatches(details, responseSchema('/jobs/:jobid/checkpoints/details/:checkpointid'), detailsOptions), []);
    const tasks = details.tasks;
    assert.deepEqual(Object.keys(tasks), ['aaaa', 'bbbb']);
    assert.deepEqual(
      [
        tasks.aaaa!.num_subtasks,
        tasks.aaaa!.num_acknowledged_subtasks,
        tasks.aaaa!.latest_ack_timestamp,
        tasks.aaaa!.end_to_end_duration,
        tasks.aaaa!.state_size,
      ],
      [2, 2, 2_150, 150, 40],
    );
    assert.equal(tracker.renderCheckpointDetails(99), undefined);
  });

  it("renders one vertex's subtasks of a checkpoint, each acknowledgement with its durations, in Flink's shape", () => {
    const tracker = new CheckpointStatsTracker(10);
    tracker.reportPending(7, 'CHECKPOINT', 1_000, VERTICES);
    tracker.reportAcknowledged(7, asVertexId('aaaa'), 1_040, 100, {
      index: 1,
      syncDurationMs: 2.4,
      asyncDurationMs: 30,
      alignmentDurationMs: 5,
    });
    const details = tracker.renderSubtaskDetails(7, asVertexId('aaaa'))!;
    // The schema names only the base type of a subtask; Flink's completed subtasks add these fields,
    // and every subtask carries Jackson's type tag.
    const completedFields = [
      'className',
      'ack_timestamp',
      'end_to_end_duration',
      'state_size',
      'checkpointed_size',
      'checkpoint',
      'alignment',
      'start_delay',
      'unaligned_checkpoint',
      'aborted',
    ];
    const options: WalkOptions = { ...WALK, subtypes: {}, extraProperties: completedFields };
    assert.deepEqual(
      schemaMismatches(details, responseSchema('/jobs/:jobid/checkpoints/details/:checkpointid/subtasks/:vertexid'), options),
      [],
    );
    const [pending, acked] = details.subtasks;
    assert.deepEqual(pending, { className: 'pending', index: 0, status: 'pending_or_failed' });
    assert.ok(acked?.status === 'completed', `subtask 1 acknowledged: ${JSON.stringify(acked)}`);
    assert.deepEqual(
      [acked.ack_timestamp, acked.end_to_end_duration, acked.state_size, acked.checkpoint],
      [1_040, 40, 100, { sync: 2, async: 30 }],
    );
    const summary = details.summary;
    assert.deepEqual([summary.end_to_end_duration.max, summary.alignment.duration.max], [40, 5]);
    assert.equal(tracker.renderSubtaskDetails(7, asVertexId('zzzz')), undefined);
    assert.equal(tracker.renderSubtaskDetails(8, asVertexId('aaaa')), undefined);
  });
});

describe('checkpoint metrics', () => {
  it("start with Flink's placeholders and follow the latest completed checkpoint", () => {
    const tracker = new CheckpointStatsTracker();
    assert.deepEqual(tracker.metrics(), {
      numberOfCompletedCheckpoints: 0,
      numberOfFailedCheckpoints: 0,
      numberOfInProgressCheckpoints: 0,
      totalNumberOfCheckpoints: 0,
      lastCheckpointDuration: -1,
      lastCheckpointSize: -1,
      lastCheckpointFullSize: -1,
      lastCheckpointRestoreTimestamp: -1,
      lastCompletedCheckpointId: -1,
      lastCheckpointExternalPath: 'n/a',
    });
    assert.deepEqual(busyTracker().metrics(), {
      numberOfCompletedCheckpoints: 3,
      numberOfFailedCheckpoints: 1,
      numberOfInProgressCheckpoints: 1,
      totalNumberOfCheckpoints: 5,
      lastCheckpointDuration: 300,
      lastCheckpointSize: 90,
      lastCheckpointFullSize: 90,
      lastCheckpointRestoreTimestamp: 6_000,
      lastCompletedCheckpointId: 3,
      lastCheckpointExternalPath: 'file:/cp/chk-3',
    });
  });

  it('report what an incremental checkpoint wrote beside the full state it references', () => {
    const tracker = new CheckpointStatsTracker();
    tracker.reportPending(1, 'CHECKPOINT', 1_000, VERTICES);
    tracker.reportAcknowledged(1, asVertexId('aaaa'), 1_010, 1_000, {
      index: 0,
      checkpointedSize: 40,
      syncDurationMs: 0,
      asyncDurationMs: 0,
      alignmentDurationMs: 0,
    });
    tracker.reportAcknowledged(1, asVertexId('aaaa'), 1_020, 2_000, {
      index: 1,
      checkpointedSize: 60,
      syncDurationMs: 0,
      asyncDurationMs: 0,
      alignmentDurationMs: 0,
    });
    tracker.reportAcknowledged(1, asVertexId('bbbb'), 1_030, 500);
    tracker.reportCompleted(1, 'file:/cp/chk-1');
    const latest = tracker.renderCheckpointingStatistics().latest.completed!;
    assert.deepEqual([latest.checkpointed_size, latest.state_size], [600, 3_500]);
    const subtasks = tracker.renderSubtaskDetails(1, asVertexId('aaaa'))!;
    assert.deepEqual(
      subtasks.subtasks.map((s) => (s.className === 'completed' ? [s.checkpointed_size, s.state_size] : [])),
      [
        [40, 1_000],
        [60, 2_000],
      ],
    );
    const metrics = tracker.metrics();
    assert.deepEqual([metrics.lastCheckpointSize, metrics.lastCheckpointFullSize], [600, 3_500]);
  });

  it('count a failure that never was in progress in total and failed', () => {
    const tracker = new CheckpointStatsTracker();
    tracker.reportFailedWithoutInProgress();
    assert.deepEqual(tracker.renderCheckpointingStatistics().counts, { restored: 0, total: 1, in_progress: 0, completed: 0, failed: 1 });
  });
});

describe('StatsSummary percentiles', () => {
  it("interpolate between order statistics like Flink's histogram", () => {
    const summary = new StatsSummary();
    for (const value of [7, 3, 10, 1, 5, 9, 2, 8, 4, 6]) summary.add(value);
    assert.deepEqual(summary.toJson(), { min: 1, max: 10, avg: 5, p50: 5.5, p90: 9.9, p95: 10, p99: 10, p999: 10 });
    assert.equal(summary.quantile(0.05), 1);
    assert.ok(Math.abs(summary.quantile(0.25) - 2.75) < 1e-9);
  });
});

describe('GET /jobs/:jobid/checkpoints/config rendering', () => {
  it("matches Flink's response schema and reports the settings", () => {
    const json = renderCheckpointConfig(
      testSettings({
        intervalMs: 10_000,
        minPauseMs: 500,
        tolerableFailures: 2,
        retention: 'RETAIN_ON_CANCELLATION',
        storage: { kind: 'filesystem', directory: '/x' },
      }),
    );
    assert.deepEqual(schemaMismatches(json, responseSchema('/jobs/:jobid/checkpoints/config'), WALK), []);
    assert.equal(json.mode, 'exactly_once');
    assert.deepEqual(
      [json.interval, json.timeout, json.min_pause, json.max_concurrent, json.tolerable_failed_checkpoints],
      [10_000, 60_000, 500, 1, 2],
    );
    assert.deepEqual(json.externalization, { enabled: true, delete_on_cancellation: false });
    assert.equal(json.checkpoint_storage, 'FileSystemCheckpointStorage');
    assert.equal(renderCheckpointConfig(testSettings()).checkpoint_storage, 'JobManagerCheckpointStorage');
    assert.deepEqual(renderCheckpointConfig(testSettings()).externalization, { enabled: false, delete_on_cancellation: false });
  });
});
