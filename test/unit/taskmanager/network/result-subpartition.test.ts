import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GenericSerializer } from '../../../../src/runtime/serialization/index.js';
import { ResultPartition } from '../../../../src/taskmanager/network/result-partition.js';
import { BATCH_RECORDS, QUEUE_CAPACITY, ResultSubpartition } from '../../../../src/taskmanager/network/result-subpartition.js';
import { CheckpointBarrier, EndOfPartitionEvent, WatermarkEvent } from '../../../../src/taskmanager/network/stream-elements.js';

describe('ResultSubpartition', () => {
  it('keeps records in the open batch until the batch bound or a flush', () => {
    const sub = new ResultSubpartition();
    let available = 0;
    sub.setListener({ onBatchAvailable: () => available++, onReleased: () => assert.fail('not released') });
    for (let i = 0; i < BATCH_RECORDS - 1; i++) sub.add(i, undefined);
    assert.equal(sub.queuedBatches, 0);
    sub.add(BATCH_RECORDS - 1, 7);
    assert.equal(sub.queuedBatches, 1);
    assert.equal(available, 1);
    sub.add('tail', undefined);
    sub.flush();
    const first = sub.poll()!;
    assert.equal(first.values.length, BATCH_RECORDS);
    assert.equal(first.timestamps[BATCH_RECORDS - 1], 7);
    assert.ok(Number.isNaN(first.timestamps[0]!));
    assert.deepEqual(sub.poll()!.values, ['tail']);
    assert.equal(sub.poll(), undefined);
  });

  it('sends a barrier out at once, behind the records before it; a watermark waits in the open batch', () => {
    const sub = new ResultSubpartition();
    sub.add('a', undefined);
    sub.addEvent(new WatermarkEvent(5));
    assert.equal(sub.queuedBatches, 0);
    const barrier = new CheckpointBarrier(3, 0, 'CHECKPOINT');
    sub.addEvent(barrier);
    const batch = sub.poll()!;
    assert.equal(batch.values[0], 'a');
    assert.ok(batch.values[1] instanceof WatermarkEvent);
    assert.equal(batch.values[2], barrier);
  });

  it('stops being writable at its queue bound and reports space when the consumer takes a batch', () => {
    const sub = new ResultSubpartition();
    let spaces = 0;
    sub.onSpace = () => spaces++;
    for (let i = 0; i < QUEUE_CAPACITY; i++) {
      sub.add(i, undefined);
      sub.flush();
    }
    assert.equal(sub.isWritable, false);
    sub.poll();
    assert.equal(sub.isWritable, true);
    assert.equal(spaces, 1);
  });

  it('marks itself consumed once the end of partition is taken, and only then', () => {
    const sub = new ResultSubpartition();
    let consumed = 0;
    sub.onConsumed = () => consumed++;
    sub.add('x', undefined);
    sub.flush();
    sub.addEvent(EndOfPartitionEvent.INSTANCE);
    assert.equal(sub.isFinished, true);
    sub.poll();
    assert.equal(consumed, 0);
    sub.poll();
    assert.equal(consumed, 1);
    assert.equal(sub.consumed, true);
  });

  it('tells an attached consumer that has not finished reading when it is released, and drops its batches', () => {
    const sub = new ResultSubpartition();
    let released = 0;
    sub.setListener({ onBatchAvailable: () => undefined, onReleased: () => released++ });
    sub.add(1, undefined);
    sub.flush();
    sub.release();
    assert.equal(released, 1);
    assert.equal(sub.queuedBatches, 0);
    assert.equal(sub.hasListener, false);
  });
});

describe('ResultPartition', () => {
  it('is writable only while every subpartition is, and wakes a waiting producer when one makes room', async () => {
    const partition = new ResultPartition('p#0', 2, new GenericSerializer());
    const sub = partition.subpartitions[1]!;
    for (let i = 0; i < QUEUE_CAPACITY; i++) {
      sub.add(i, undefined);
      sub.flush();
    }
    assert.equal(partition.isWritable, false);
    let woke = false;
    const waiting = partition.whenWritable().then(() => {
      woke = true;
    });
    await Promise.resolve();
    assert.equal(woke, false);
    sub.poll();
    await waiting;
    assert.equal(woke, true);
  });

  it('settles whenFullyConsumed once every consumer has read its end, or on release', async () => {
    const partition = new ResultPartition('p#0', 2, new GenericSerializer());
    for (const sub of partition.subpartitions) sub.addEvent(EndOfPartitionEvent.INSTANCE);
    let done = false;
    const consumed = partition.whenFullyConsumed().then(() => {
      done = true;
    });
    partition.subpartitions[0]!.poll();
    await Promise.resolve();
    assert.equal(done, false);
    partition.subpartitions[1]!.poll();
    await consumed;
    assert.equal(partition.isFullyConsumed, true);

    const other = new ResultPartition('q#0', 1, new GenericSerializer());
    const released = other.whenFullyConsumed();
    other.release();
    await released;
    assert.equal(other.isReleased, true);
  });
});
