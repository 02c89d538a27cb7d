import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CheckpointError } from '../../../../src/jobmanager/checkpoint/checkpoint-failure.js';
import { ackAll, coordinatorHarness } from './testing-coordinator.js';
import { captureLogs, settle } from './testing-clock.js';

captureLogs();

describe('CheckpointCoordinator periodic triggering', () => {
  it('fires the first checkpoint after a random delay within [minPause, interval]', async () => {
    for (const [random, expectedDelay] of [
      [0, 200],
      [0.9999, 1_000],
      [0.5, 600],
    ] as const) {
      const h = coordinatorHarness({ settings: { intervalMs: 1_000, minPauseMs: 200 }, random: () => random });
      const start = h.clock.now();
      h.coordinator.startScheduler();
      h.clock.advance(expectedDelay - 1);
      await settle();
      assert.equal(h.context.triggers().length, 0, `nothing before ${expectedDelay} ms`);
      h.clock.advance(1);
      await settle();
      const triggers = h.context.triggers();
      assert.equal(triggers.length, 2, 'both source subtasks triggered');
      assert.equal(triggers[0]!.timestamp, start + expectedDelay);
      h.coordinator.shutdown();
    }
  });

  it('then triggers at a fixed rate, with ids from the shared counter starting at 1', async () => {
    const h = coordinatorHarness({ settings: { intervalMs: 1_000 } });
    const start = h.clock.now();
    h.coordinator.startScheduler();
    for (let i = 0; i < 3; i++) {
      h.clock.advance(i === 0 ? 0 : 1_000);
      await settle();
      ackAll(h, i + 1);
      await settle();
    }
    const ids = h.completed.map((checkpoint) => checkpoint.id);
    assert.deepEqual(ids, [1, 2, 3]);
    assert.deepEqual(
      h.completed.map((checkpoint) => checkpoint.triggerTimestamp - start),
      [0, 1_000, 2_000],
    );
    assert.equal(h.idCounter.peek(), 4);
  });

  it('sends triggers only to the running source subtasks', async () => {
    const h = coordinatorHarness();
    h.coordinator.triggerCheckpoint().catch(() => undefined); // its outcome is asserted through the harness
    await settle();
    const sources = h.context.tasks.filter((task) => task.isSource);
    const others = h.context.tasks.filter((task) => !task.isSource);
    assert.equal(sources.length, 2);
    for (const task of sources)
      assert.deepEqual(
        task.triggers.map((t) => [t.attemptId, t.checkpointId, t.kind]),
        [[task.attemptId, 1, 'CHECKPOINT']],
      );
    for (const task of others) assert.equal(task.triggers.length, 0);
  });

  it('asks the sources to halt after the barrier of a rescale checkpoint, and only of that one', async () => {
    const h = coordinatorHarness();
    const rescale = h.coordinator.triggerCheckpoint(true);
    await settle();
    const sources = h.context.tasks.filter((task) => task.isSource);
    for (const task of sources)
      assert.deepEqual(
        task.triggers.map((t) => [t.checkpointId, t.haltSources]),
        [[1, true]],
      );
    ackAll(h, 1);
    assert.equal((await rescale).id, 1, 'it completes like any checkpoint, into the store');
    h.coordinator.triggerCheckpoint().catch(() => undefined);
    await settle();
    for (const task of sources) assert.equal(task.triggers.at(-1)!.haltSources, undefined, 'a plain checkpoint halts nothing');
  });

  it('a rescale checkpoint supersedes a periodic one in flight instead of waiting behind max-concurrent', async () => {
    const h = coordinatorHarness({ settings: { intervalMs: 1_000, maxConcurrent: 1 } });
    h.coordinator.startScheduler();
    h.clock.advance(0);
    await settle();
    assert.equal(h.coordinator.numberOfPendingCheckpoints, 1, 'periodic checkpoint 1 in flight');
    const rescale = h.coordinator.triggerCheckpoint(true);
    await settle();
    assert.deepEqual(
      h.context
        .triggers()
        .filter((t) => t.haltSources === true)
        .map((t) => t.checkpointId),
      [2, 2],
      'the rescale checkpoint went at once',
    );
    assert.equal(h.coordinator.numberOfPendingCheckpoints, 1, 'checkpoint 1 gave way');
    ackAll(h, 2);
    assert.equal((await rescale).id, 2);
  });

  it('does not trigger while max-concurrent checkpoints are pending, and runs the waiting one on completion', async () => {
    const h = coordinatorHarness({ settings: { intervalMs: 1_000, maxConcurrent: 1 } });
    h.coordinator.startScheduler();
    h.clock.advance(0);
    await settle();
    h.clock.advance(5_000);
    await settle();
    assert.deepEqual([...new Set(h.context.triggers().map((t) => t.checkpointId))], [1], 'only checkpoint 1 while it is pending');
    assert.equal(h.coordinator.numberOfPendingCheckpoints, 1);
    ackAll(h, 1);
    await settle();
    assert.deepEqual(
      [...new Set(h.context.triggers().map((t) => t.checkpointId))],
      [1, 2],
      'the waiting periodic request runs once 1 completed',
    );
    assert.equal(h.coordinator.numberOfPendingCheckpoints, 1);
  });

  it('honours min-pause: a periodic trigger too soon after a completion is dropped and rescheduled', async () => {
    const h = coordinatorHarness({ settings: { intervalMs: 1_000, minPauseMs: 500 } });
    const start = h.clock.now();
    h.coordinator.startScheduler(); // random 0: first trigger at minPause
    h.clock.advance(500);
    await settle();
    assert.equal(h.context.triggers()[0]!.timestamp, start + 500);
    h.clock.advance(900); // t = 1400: complete
    ackAll(h, 1);
    await settle();
    h.clock.advance(100); // t = 1500: the planned tick, but 1400 + 500 has not passed
    await settle();
    assert.equal(new Set(h.context.triggers().map((t) => t.checkpointId)).size, 1);
    h.clock.advance(399);
    await settle();
    assert.equal(new Set(h.context.triggers().map((t) => t.checkpointId)).size, 1);
    h.clock.advance(1); // t = 1900
    await settle();
    const second = h.context.triggers().filter((t) => t.checkpointId === 2);
    assert.equal(second[0]?.timestamp, start + 1_900);
    assert.equal(h.failed.length, 0, 'a min-pause refusal is not a failed checkpoint');
    assert.equal(h.stats.renderCheckpointingStatistics().counts.total, 2);
  });

  it('fails a trigger with NOT_ALL_REQUIRED_TASKS_RUNNING while tasks are not running', async () => {
    const h = coordinatorHarness();
    h.context.running = false;
    await assert.rejects(
      h.coordinator.triggerCheckpoint(),
      (error: unknown) => error instanceof CheckpointError && error.reason === 'NOT_ALL_REQUIRED_TASKS_RUNNING',
    );
    h.coordinator.startScheduler();
    h.clock.advance(3_000);
    await settle();
    assert.equal(h.context.triggers().length, 0);
    assert.equal(h.idCounter.peek(), 1, 'no id consumed');
    assert.equal(h.stats.renderCheckpointingStatistics().counts.total, 0);
    assert.equal(h.jobFailures.length, 0);
    h.context.running = true;
    h.clock.advance(1_000);
    await settle();
    assert.equal(h.context.triggers()[0]?.checkpointId, 1);
  });
});

describe('CheckpointCoordinator acknowledgements', () => {
  it('completes only when every subtask acknowledged, then tells every subtask', async () => {
    const h = coordinatorHarness();
    const done = h.coordinator.triggerCheckpoint();
    await settle();
    const [last, ...rest] = [...h.context.tasks].reverse();
    for (const task of rest) h.coordinator.receiveAcknowledge(h.context.ack(task, 1));
    h.coordinator.receiveAcknowledge(h.context.ack(rest[0]!, 1)); // a duplicate changes nothing
    await settle();
    assert.equal(h.completed.length, 0);
    assert.equal(h.store.latest(), undefined);
    h.coordinator.receiveAcknowledge(h.context.ack(last!, 1));
    const checkpoint = await done;
    assert.equal(checkpoint.id, 1);
    assert.equal(h.store.latest()?.id, 1);
    for (const task of h.context.tasks) assert.deepEqual(task.completed, [1]);
    const source = checkpoint.operators.find((operator) => operator.operatorId === 'op-source')!;
    assert.equal(source.subtaskStates.length, 2);
    assert.deepEqual([...(source.subtaskStates[1]!.listStates![0]!.entries[0] as { bytes: Uint8Array }).bytes], [1, 1]);
    assert.equal(checkpoint.stateSize, 40);
    const counts = h.stats.renderCheckpointingStatistics().counts;
    assert.deepEqual(counts, { restored: 0, total: 1, in_progress: 0, completed: 1, failed: 0 });
  });

  it('fails the checkpoint on a decline, notifies aborts and fails the job with no tolerance', async () => {
    const h = coordinatorHarness();
    const done = h.coordinator.triggerCheckpoint();
    await settle();
    h.coordinator.receiveAcknowledge(h.context.ack(h.context.tasks[0]!, 1));
    h.coordinator.receiveDecline({
      jobId: h.context.jobId,
      attemptId: h.context.tasks[2]!.attemptId,
      checkpointId: 1,
      reason: 'snapshot failed: disk full',
    });
    await assert.rejects(
      done,
      (error: unknown) => error instanceof CheckpointError && error.reason === 'CHECKPOINT_DECLINED' && /disk full/.test(error.message),
    );
    assert.deepEqual(
      h.failed.map((f) => f.reason),
      ['CHECKPOINT_DECLINED'],
    );
    for (const task of h.context.tasks) assert.deepEqual(task.aborted, [1]);
    assert.equal(h.store.latest(), undefined);
    assert.equal(h.jobFailures.length, 1);
    assert.equal(h.jobFailures[0]!.message, 'Exceeded checkpoint tolerable failure threshold.');
    h.coordinator.receiveAcknowledge(h.context.ack(h.context.tasks[1]!, 1)); // late: ignored
    await settle();
    assert.equal(h.completed.length, 0);
  });

  it('expires a checkpoint after the timeout', async () => {
    const h = coordinatorHarness({ settings: { timeoutMs: 5_000, tolerableFailures: 3 } });
    const done = h.coordinator.triggerCheckpoint();
    await settle();
    h.clock.advance(4_999);
    assert.equal(h.failed.length, 0);
    h.clock.advance(1);
    await assert.rejects(done, (error: unknown) => error instanceof CheckpointError && error.reason === 'CHECKPOINT_EXPIRED');
    const stats = h.stats.renderCheckpointingStatistics();
    assert.equal(stats.counts.failed, 1);
    assert.equal((stats.latest.failed as { end_to_end_duration: number }).end_to_end_duration, 5_000);
    assert.equal(h.jobFailures.length, 0, 'one failure is within a tolerance of 3');
    ackAll(h, 1);
    await settle();
    assert.equal(h.completed.length, 0);
  });

  it('aborts older pending checkpoints when a newer one completes', async () => {
    const h = coordinatorHarness({ settings: { maxConcurrent: 2, tolerableFailures: 0 } });
    const first = h.coordinator.triggerCheckpoint();
    await settle();
    h.coordinator.triggerCheckpoint().catch(() => undefined); // its outcome is asserted through the harness
    await settle();
    ackAll(h, 2);
    await assert.rejects(first, (error: unknown) => error instanceof CheckpointError && error.reason === 'CHECKPOINT_SUBSUMED');
    assert.deepEqual(
      h.completed.map((c) => c.id),
      [2],
    );
    assert.equal(h.jobFailures.length, 0, 'subsumption is not a counted failure');
  });
});

describe('CheckpointCoordinator stopping', () => {
  it('stopScheduler aborts pending checkpoints with the reason and stops ticking; a restart waits only min-pause', async () => {
    const h = coordinatorHarness({ settings: { intervalMs: 1_000, minPauseMs: 100 } });
    h.coordinator.startScheduler();
    h.clock.advance(100);
    await settle();
    h.coordinator.stopScheduler('rescaling to parallelism 3');
    assert.equal(h.failed[0]?.reason, 'CHECKPOINT_COORDINATOR_SUSPEND');
    assert.match(h.failed[0].message, /rescaling to parallelism 3/);
    for (const task of h.context.tasks) assert.deepEqual(task.aborted, [1]);
    assert.equal(h.jobFailures.length, 0);
    h.clock.advance(10_000);
    await settle();
    assert.equal(new Set(h.context.triggers().map((t) => t.checkpointId)).size, 1);
    h.coordinator.startScheduler();
    h.clock.advance(99);
    await settle();
    assert.equal(new Set(h.context.triggers().map((t) => t.checkpointId)).size, 1);
    h.clock.advance(1);
    await settle();
    assert.equal(h.context.triggers().at(-1)?.checkpointId, 2);
  });

  it('shutdown rejects what is pending and every later request', async () => {
    const h = coordinatorHarness();
    const pending = h.coordinator.triggerCheckpoint();
    await settle();
    h.coordinator.shutdown();
    await assert.rejects(
      pending,
      (error: unknown) => error instanceof CheckpointError && error.reason === 'CHECKPOINT_COORDINATOR_SHUTDOWN',
    );
    await assert.rejects(
      h.coordinator.triggerCheckpoint(),
      (error: unknown) => error instanceof CheckpointError && error.reason === 'CHECKPOINT_COORDINATOR_SHUTDOWN',
    );
    ackAll(h, 1);
    await settle();
    assert.equal(h.store.latest(), undefined);
  });

  it('keeps ids increasing across coordinators sharing the counter, store and statistics', async () => {
    const first = coordinatorHarness();
    first.coordinator.triggerCheckpoint().catch(() => undefined);
    await settle();
    ackAll(first, 1);
    await settle();
    first.coordinator.shutdown();
    const second = coordinatorHarness({ store: first.store, stats: first.stats, idCounter: first.idCounter });
    second.coordinator.triggerCheckpoint().catch(() => undefined);
    await settle();
    ackAll(second, 2);
    await settle();
    assert.deepEqual(
      second.store.all().map((c) => c.id),
      [2],
    );
    assert.equal(second.stats.metrics().numberOfCompletedCheckpoints, 2);
    assert.equal(second.stats.metrics().lastCompletedCheckpointId, 2);
  });
});
