import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BarrierKind } from '../../../../src/rpc/gateways/checkpoint-messages.js';
import { CheckpointError } from '../../../../src/jobmanager/checkpoint/checkpoint-failure.js';
import {
  CheckpointRequestDecider,
  MAX_QUEUED_REQUESTS,
  type CheckpointRequest,
} from '../../../../src/jobmanager/checkpoint/checkpoint-request-decider.js';

interface Recorded extends CheckpointRequest {
  readonly name: string;
  rejected: string | undefined;
}

function request(name: string, kind: BarrierKind, periodic: boolean): Recorded {
  const recorded: Recorded = {
    name,
    kind,
    periodic,
    targetDirectory: undefined,
    rejected: undefined,
    resolve: () => undefined,
    reject: (error) => {
      recorded.rejected = (error as CheckpointError).reason;
    },
  };
  return recorded;
}

const busy = { triggering: true, pending: 0, lastCompletionTimestamp: 0, now: 10_000 };
const idle = { triggering: false, pending: 0, lastCompletionTimestamp: 0, now: 10_000 };

describe('CheckpointRequestDecider', () => {
  it('bounds the queue at 1000 like Flink', () => {
    assert.equal(MAX_QUEUED_REQUESTS, 1000);
  });

  it('runs savepoints and manual requests before periodic ones, one at a time', () => {
    const decider = new CheckpointRequestDecider(1, 0);
    const periodic = request('periodic', 'CHECKPOINT', true);
    const manual = request('manual', 'CHECKPOINT', false);
    const savepoint = request('savepoint', 'SAVEPOINT', false);
    for (const r of [periodic, manual, savepoint]) assert.equal(decider.offer(r, busy).execute, undefined);
    assert.equal((decider.next(idle).execute as Recorded).name, 'manual');
    assert.equal((decider.next(idle).execute as Recorded).name, 'savepoint');
    assert.equal((decider.next(idle).execute as Recorded).name, 'periodic');
    assert.equal(decider.next(idle).execute, undefined);
  });

  it('lets only savepoints past max-concurrent pending checkpoints', () => {
    const decider = new CheckpointRequestDecider(1, 0);
    const full = { ...idle, pending: 1 };
    assert.equal(decider.offer(request('periodic', 'CHECKPOINT', true), full).execute, undefined);
    assert.equal(decider.offer(request('manual', 'CHECKPOINT', false), full).execute, undefined);
    const sync = request('sync', 'SYNC_SAVEPOINT', false);
    // The manual checkpoint is first in line and not forced: nothing runs.
    assert.equal(decider.offer(sync, full).execute, undefined);
    assert.equal((decider.next(idle).execute as Recorded).name, 'manual');
    assert.equal((decider.next(full).execute as Recorded).name, 'sync');
    assert.equal(decider.next(full).execute, undefined);
    assert.equal(decider.queued, 1);
  });

  it('drops a periodic request inside the min-pause and says when to retry', () => {
    const decider = new CheckpointRequestDecider(1, 500);
    const early = request('early', 'CHECKPOINT', true);
    const decision = decider.offer(early, { ...idle, lastCompletionTimestamp: 9_800 });
    assert.equal(decision.execute, undefined);
    assert.equal(decision.rescheduleAfterMs, 300);
    assert.equal(early.rejected, 'MINIMUM_TIME_BETWEEN_CHECKPOINTS');
    const manual = request('manual', 'CHECKPOINT', false);
    assert.equal(
      decider.offer(manual, { ...idle, lastCompletionTimestamp: 9_800 }).execute,
      manual,
      'min-pause applies to periodic requests only',
    );
  });

  it('rejects requests beyond the queue bound, dropping periodic ones first', () => {
    const decider = new CheckpointRequestDecider(1, 0, 3);
    const periodic = request('periodic', 'CHECKPOINT', true);
    decider.offer(periodic, busy);
    decider.offer(request('m1', 'CHECKPOINT', false), busy);
    decider.offer(request('m2', 'CHECKPOINT', false), busy);
    const m3 = request('m3', 'SAVEPOINT', false);
    decider.offer(m3, busy);
    assert.equal(periodic.rejected, 'TOO_MANY_CHECKPOINT_REQUESTS', 'the periodic request made room');
    assert.equal(m3.rejected, undefined);
    const m4 = request('m4', 'CHECKPOINT', false);
    decider.offer(m4, busy);
    assert.equal(m4.rejected, 'TOO_MANY_CHECKPOINT_REQUESTS', 'a queue of user requests is kept, the new one refused');
    assert.deepEqual(
      decider.drain().map((r) => (r as Recorded).name),
      ['m1', 'm2', 'm3'],
    );
  });
});
