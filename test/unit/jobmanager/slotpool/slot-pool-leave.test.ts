import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LeaveOutcome } from '../../../../src/rpc/gateways/resource-manager-gateway.js';
import type { RegisteredTaskManager } from '../../../../src/jobmanager/resourcemanager/registered-task-manager.js';
import { SlotPool, type Allocation, type SlotPoolListener } from '../../../../src/jobmanager/slotpool/slot-pool.js';
import { captureLogs, testingTaskManager } from '../scheduler/adaptive/testing-job.js';
import { asJobId } from '../../../helpers/ids.js';

captureLogs();

const JOB = asJobId('job');

/** A job that records the leaves it is asked to handle; `movable: false` has no handler at all. */
class TestingJob implements SlotPoolListener {
  readonly leaving: Array<{ readonly held: readonly Allocation[]; readonly deadlineMs: number }> = [];
  onSlotsAvailable(): void {}
  onAllocationsLost(): void {}
  onTaskManagerLeaving(held: readonly Allocation[], deadlineMs: number): void {
    this.leaving.push({ held, deadlineMs });
  }
}

/** Resolves to the outcome, or to 'pending' when it has not settled after the promise queue ran. */
async function settled(answer: Promise<LeaveOutcome>): Promise<LeaveOutcome | 'pending'> {
  return Promise.race([answer, new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')))]);
}

/** A pool with one single-slot TaskManager, whose slot `listener`'s job holds. */
function oneSlotHeldBy(listener: SlotPoolListener): { pool: SlotPool; taskManager: RegisteredTaskManager } {
  const pool = new SlotPool();
  pool.addListener(JOB, listener);
  const { taskManager } = testingTaskManager(1);
  pool.onTaskManagerRegistered(taskManager);
  pool.allocate(JOB, 1);
  return { pool, taskManager };
}

describe('SlotPool: a TaskManager leaving on purpose', () => {
  it('lets a TaskManager no job uses leave at once', async () => {
    const pool = new SlotPool();
    const { taskManager } = testingTaskManager(2);
    pool.onTaskManagerRegistered(taskManager);
    assert.deepEqual(await settled(pool.announceLeave(taskManager, 5_000)), { released: true });
    assert.equal(pool.freeSlots, 0, 'its slots are offered no more');
  });

  it('asks the job on it to move, offers its slots to nobody, and answers once the job released them', async () => {
    const pool = new SlotPool();
    const job = new TestingJob();
    pool.addListener(JOB, job);
    const leaving = testingTaskManager(1).taskManager;
    const staying = testingTaskManager(1).taskManager;
    pool.onTaskManagerRegistered(leaving);
    pool.onTaskManagerRegistered(staying);
    const held = pool.allocate(JOB, 2)!;
    const answer = pool.announceLeave(leaving, 5_000);
    assert.equal(job.leaving.length, 1);
    assert.deepEqual(
      job.leaving[0]!.held.map((a) => a.taskManager),
      [leaving],
    );
    assert.ok(job.leaving[0]!.deadlineMs > 4_900 && job.leaving[0]!.deadlineMs <= 5_000);
    assert.equal(pool.availableTo(JOB), 1, 'the job may count only on the slot that stays');
    assert.equal(await settled(answer), 'pending');
    pool.release(held);
    assert.deepEqual(await settled(answer), { released: true });
    assert.equal(pool.freeSlots, 1);
    assert.equal(pool.allocate(JOB, 2), undefined, 'a new run cannot land on the leaving TaskManager');
  });

  it('waits for every job on the TaskManager to move off it (a session cluster)', async () => {
    const pool = new SlotPool();
    const other = asJobId('other');
    pool.addListener(JOB, new TestingJob());
    pool.addListener(other, new TestingJob());
    const { taskManager } = testingTaskManager(2);
    pool.onTaskManagerRegistered(taskManager);
    const first = pool.allocate(JOB, 1)!;
    const second = pool.allocate(other, 1)!;
    const answer = pool.announceLeave(taskManager, 5_000);
    pool.release(first);
    assert.equal(await settled(answer), 'pending', 'the other job still runs there');
    pool.release(second);
    assert.deepEqual(await settled(answer), { released: true });
  });

  it('answers "not released" with the reason when the job refuses', async () => {
    const { pool, taskManager } = oneSlotHeldBy(new TestingJob());
    const answer = pool.announceLeave(taskManager, 5_000);
    pool.refuseLeaves(JOB, 'checkpointing is disabled');
    assert.deepEqual(await settled(answer), { released: false, reason: 'checkpointing is disabled' });
  });

  it('makes the TaskManager leave the old way when a job on it cannot move', async () => {
    const { pool, taskManager } = oneSlotHeldBy({ onSlotsAvailable: () => undefined, onAllocationsLost: () => undefined });
    const outcome = await settled(pool.announceLeave(taskManager, 5_000));
    assert.ok(outcome !== 'pending' && !outcome.released);
    assert.match(outcome.reason, /cannot move off a TaskManager/);
  });

  it('answers a TaskManager that went away first', async () => {
    const { pool, taskManager } = oneSlotHeldBy(new TestingJob());
    const answer = pool.announceLeave(taskManager, 5_000);
    pool.onTaskManagerLost(taskManager, 'socket-closed', 'connection closed');
    const outcome = await settled(answer);
    assert.ok(outcome !== 'pending' && !outcome.released);
  });
});
