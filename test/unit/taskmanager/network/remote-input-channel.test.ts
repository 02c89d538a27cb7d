import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GenericSerializer } from '../../../../src/runtime/serialization/index.js';
import { PARTITION_LOOKUP_TIMEOUT_MS } from '../../../../src/taskmanager/network/local-input-channel.js';
import { InputGate } from '../../../../src/taskmanager/network/input-gate.js';
import { PartitionManager } from '../../../../src/taskmanager/network/partition-manager.js';
import { INITIAL_CREDIT, RemoteInputChannel } from '../../../../src/taskmanager/network/remote-input-channel.js';
import { ResultPartition, partitionKey } from '../../../../src/taskmanager/network/result-partition.js';
import { QUEUE_CAPACITY } from '../../../../src/taskmanager/network/result-subpartition.js';
import { EndOfPartitionEvent } from '../../../../src/taskmanager/network/stream-elements.js';
import { InMemoryDataLink } from '../../../helpers/in-memory-data-link.js';
import { RecordingOwner, readGate, waitUntil } from '../../../helpers/gate-reader.js';
import { asAttemptId } from '../../../helpers/ids.js';

const serializer = new GenericSerializer();

function setUp(subpartitions = 1): { partitions: PartitionManager; partition: ResultPartition; link: InMemoryDataLink } {
  const partitions = new PartitionManager();
  const partition = new ResultPartition(partitionKey(asAttemptId('producer-1'), 0), subpartitions, serializer);
  partitions.register(partition);
  return { partitions, partition, link: new InMemoryDataLink(partitions) };
}

function remoteChannel(link: InMemoryDataLink, owner: RecordingOwner, subpartition = 0): RemoteInputChannel {
  return new RemoteInputChannel(0, owner, link, serializer, asAttemptId('producer-1'), 0, subpartition);
}

/** Writes one flushed batch of `records` consecutive numbers starting at `from`. */
function writeBatch(partition: ResultPartition, subpartition: number, from: number, records: number): void {
  const sub = partition.subpartitions[subpartition]!;
  for (let i = 0; i < records; i++) sub.add(from + i, from + i);
  sub.flush();
}

describe('RemoteInputChannel over the data protocol', () => {
  it('delivers records, timestamps and the end of partition in order through an input gate', async () => {
    const { partition, link } = setUp(2);
    const gate = new InputGate();
    gate.addChannel((index, owner) => new RemoteInputChannel(index, owner, link, serializer, asAttemptId('producer-1'), 0, 1));
    gate.start();
    for (let b = 0; b < 10; b++) writeBatch(partition, 1, b * 3, 3);
    partition.subpartitions[1]!.addEvent(EndOfPartitionEvent.INSTANCE);
    const values = await readGate(gate, (v) => v.at(-1) === EndOfPartitionEvent.INSTANCE);
    assert.deepEqual(
      values.slice(0, -1),
      Array.from({ length: 30 }, (_, i) => i),
    );
    await waitUntil(() => partition.subpartitions[1]!.consumed, 'the producer to see its end consumed');
    assert.equal(partition.subpartitions[0]!.consumed, false, 'the other consumer has not read its end');
  });

  it('sends no more than its credit: a consumer that stops taking batches bounds what the producer buffers', async () => {
    const { partition, link } = setUp();
    const owner = new RecordingOwner();
    const channel = remoteChannel(link, owner);
    channel.start();
    // A producer that, like a task, writes only while its partition is writable.
    let written = 0;
    let stopped = false;
    const producer = (async () => {
      while (written < 100 && !stopped) {
        await partition.whenWritable();
        writeBatch(partition, 0, written * 2, 2);
        written++;
      }
    })();
    await waitUntil(() => owner.available === INITIAL_CREDIT && !partition.isWritable, 'the producer to stall');
    // Let the event loop run on: nothing more may flow while no credit is returned.
    for (let i = 0; i < 50; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(owner.available, INITIAL_CREDIT, 'batches in flight exceed the credit');
    assert.ok(
      written <= INITIAL_CREDIT + QUEUE_CAPACITY,
      `the producer wrote ${written} batches against a bound of ${INITIAL_CREDIT + QUEUE_CAPACITY}`,
    );
    assert.equal(partition.subpartitions[0]!.queuedBatches, written - INITIAL_CREDIT);

    // Taking one batch returns one credit: exactly one more arrives.
    assert.deepEqual(channel.poll()!.values, [0, 1]);
    await waitUntil(() => owner.available === INITIAL_CREDIT + 1, 'one more batch');
    for (let i = 0; i < 50; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(owner.available, INITIAL_CREDIT + 1);

    // Resuming reading lets everything through, in order.
    const seen: number[] = [];
    await waitUntil(() => {
      for (let batch = channel.poll(); batch !== undefined; batch = channel.poll()) seen.push(...(batch.values as number[]));
      return seen.length === 2 * 99;
    }, 'the rest of the records');
    await producer;
    stopped = true;
    assert.deepEqual(
      seen,
      Array.from({ length: 2 * 99 }, (_, i) => i + 2),
    );
    assert.deepEqual(owner.failures, []);
  });

  it('a consumer that releases mid-stream cancels its sender; the producer stops serving it and can release cleanly', async () => {
    const { partition, link } = setUp();
    const owner = new RecordingOwner();
    const channel = remoteChannel(link, owner);
    channel.start();
    for (let b = 0; b < 6; b++) writeBatch(partition, 0, b, 1);
    await waitUntil(() => owner.available === INITIAL_CREDIT, 'batches to arrive');
    const sub = partition.subpartitions[0]!;
    assert.equal(sub.hasListener, true);
    channel.release();
    assert.equal(channel.poll(), undefined, 'a released channel keeps no batches');
    await waitUntil(() => !sub.hasListener, 'the sender to let go of the subpartition');
    assert.equal(link.senders.size, 0);
    partition.release();
    assert.equal(sub.queuedBatches, 0);
    assert.deepEqual(owner.failures, [], 'a consumer that left is not told of failures');
  });

  it('a producer that releases its partition mid-stream fails the consumer with a clear reason', async () => {
    const { partition, link } = setUp();
    const gate = new InputGate();
    const failures: Error[] = [];
    gate.onFailure = (error) => failures.push(error);
    gate.addChannel((index, owner) => new RemoteInputChannel(index, owner, link, serializer, asAttemptId('producer-1'), 0, 0));
    gate.start();
    writeBatch(partition, 0, 0, 3);
    await readGate(gate, (v) => v.length === 3);
    partition.release();
    await waitUntil(() => failures.length > 0, 'the consumer to see the failure');
    assert.match(failures[0]!.message, /producer-1.*released its partition/);
  });

  it('a connection lost mid-stream fails the consumer and releases the producer side', async () => {
    const { partition, link } = setUp();
    const owner = new RecordingOwner();
    remoteChannel(link, owner).start();
    writeBatch(partition, 0, 0, 1);
    await waitUntil(() => owner.available === 1, 'a batch');
    link.producer.close('producer TaskManager stopped');
    await waitUntil(() => owner.failures.length > 0, 'the consumer to see the loss');
    assert.match(owner.failures[0]!.message, /data connection lost/);
    assert.equal(partition.subpartitions[0]!.hasListener, false);
    assert.ok(link.consumerClosedReason !== undefined);
  });

  it('a request for a partition never produced fails the channel with the partition key after the lookup timeout', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const partitions = new PartitionManager();
    const link = new InMemoryDataLink(partitions);
    const owner = new RecordingOwner();
    new RemoteInputChannel(0, owner, link, serializer, asAttemptId('nobody'), 3, 0).start();
    await waitUntil(() => link.lookupsStarted === 1, 'the request to reach the producer');
    t.mock.timers.tick(PARTITION_LOOKUP_TIMEOUT_MS - 1);
    for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(owner.failures.length, 0, 'failed before the lookup timeout');
    t.mock.timers.tick(1);
    await waitUntil(() => owner.failures.length > 0, 'the lookup to fail');
    assert.match(owner.failures[0]!.message, /nobody#3/);
  });
});
