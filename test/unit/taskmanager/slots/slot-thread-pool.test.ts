import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asJobId, asResourceId } from '../../../helpers/ids.js';
import { SlotThreadPool } from '../../../../src/taskmanager/slots/slot-thread-pool.js';
import type { SlotThread } from '../../../../src/taskmanager/slots/slot-thread.js';

describe('SlotThreadPool: threads start ahead of their first task', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsf-pool-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  function pool(numberOfSlots: number) {
    const serving: SlotThread[] = [];
    const ended: Array<[SlotThread, string]> = [];
    const threads = new SlotThreadPool(
      {
        resourceId: asResourceId('pool-test'),
        numberOfSlots,
        workDir: dir,
        maxDataFrameBytes: 1 << 20,
        logLevel: 'WARN',
        secret: () => Buffer.alloc(32, 1),
        cancellation: { intervalMs: 1000, timeoutMs: 5000 },
        heapPerSlotMb: undefined,
      },
      {
        onMessage: () => undefined,
        onServing: (thread) => serving.push(thread),
        onEnded: (thread, reason) => ended.push([thread, reason]),
      },
    );
    return { threads, serving, ended };
  }

  it('starts one unbound thread per slot, binds it at the first task, and replaces it once its job is released', async () => {
    const { threads, serving, ended } = pool(2);
    try {
      threads.prestart();
      const spares = threads.all();
      assert.equal(spares.length, 2);
      assert.deepEqual(
        spares.map((thread) => [thread.slotIndex, thread.jobId]),
        [
          [0, undefined],
          [1, undefined],
        ],
      );
      threads.prestart();
      assert.equal(threads.all().length, 2, 'a slot with a thread gets no second one');

      const job = asJobId('a');
      const first = threads.threadFor(0, job, false);
      assert.equal(first, spares[0], 'the thread started ahead serves the first task');
      assert.equal(first.jobId, job);
      assert.deepEqual(serving, [first], 'links waiting for the job can go to it now');
      assert.equal(threads.threadFor(0, job, false), first, 'the same job keeps its thread');

      const other = asJobId('b');
      const replacing = threads.threadFor(0, other, false);
      assert.notEqual(replacing, first, 'another job gets a new thread: the old one holds job a’s code');
      assert.equal(replacing.jobId, other);
      await first.exited;
      assert.ok(first.isRetired);

      await threads.release(other);
      assert.ok(replacing.isRetired);
      assert.ok(!existsSync(replacing.data.workDir), 'its directory is removed');
      const fresh = threads.get(0)!;
      assert.ok(fresh !== undefined && fresh !== replacing && fresh.jobId === undefined, 'a fresh unbound thread takes the slot');
      assert.ok(
        ended.some(([thread, reason]) => thread === replacing && /job \w+ was released/.test(reason)),
        'the host hears why the thread ended',
      );
    } finally {
      await threads.close('test over');
    }
    assert.equal(threads.all().length, 0);
    threads.prestart();
    assert.equal(threads.all().length, 0, 'a closed pool starts nothing');
  });

  it('replaces a stuck thread even for the same job, and does not start a spare for it', async () => {
    const { threads } = pool(1);
    try {
      const job = asJobId('c');
      const first = threads.threadFor(0, job, false);
      assert.equal(first.jobId, job, 'no thread was there: one starts bound');
      const second = threads.threadFor(0, job, true);
      assert.notEqual(second, first);
      await first.exited;
      assert.equal(threads.get(0), second, 'the slot has exactly the new thread');
    } finally {
      await threads.close('test over');
    }
  });
});
