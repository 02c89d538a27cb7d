import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GenericSerializer } from '../../../../src/runtime/serialization/index.js';
import { MIN_WATERMARK } from '../../../../src/runtime/task-contract.js';
import { InputGate } from '../../../../src/taskmanager/network/input-gate.js';
import { LocalInputChannel, PARTITION_LOOKUP_TIMEOUT_MS } from '../../../../src/taskmanager/network/local-input-channel.js';
import { PartitionManager } from '../../../../src/taskmanager/network/partition-manager.js';
import { ResultPartition, partitionKey } from '../../../../src/taskmanager/network/result-partition.js';
import { EndOfPartitionEvent } from '../../../../src/taskmanager/network/stream-elements.js';
import { RecordingOwner, readGate, waitUntil } from '../../../helpers/gate-reader.js';
import { asAttemptId } from '../../../helpers/ids.js';

const serializer = new GenericSerializer();

describe('LocalInputChannel', () => {
  it('waits for a producer that registers later, then hands batches over by reference', async () => {
    const partitions = new PartitionManager();
    const key = partitionKey(asAttemptId('p'), 0);
    const owner = new RecordingOwner();
    const channel = new LocalInputChannel(0, owner, partitions, key, 0);
    channel.start();
    assert.equal(channel.poll(), undefined);
    const partition = new ResultPartition(key, 1, serializer);
    const record = { big: 'x'.repeat(100) };
    partition.subpartitions[0]!.add(record, undefined);
    partition.subpartitions[0]!.flush();
    partitions.register(partition);
    await waitUntil(() => owner.available > 0, 'the channel to attach');
    assert.equal(channel.poll()!.values[0], record, 'a local batch is not copied');
    assert.deepEqual(owner.failures, []);
  });

  it('fails through its owner when the producer never registers within the lookup timeout', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const owner = new RecordingOwner();
    new LocalInputChannel(0, owner, new PartitionManager(), partitionKey(asAttemptId('late'), 1), 0).start();
    t.mock.timers.tick(PARTITION_LOOKUP_TIMEOUT_MS);
    await waitUntil(() => owner.failures.length > 0, 'the lookup to fail');
    assert.match(owner.failures[0]!.message, /late#1/);
  });

  it('fails through its owner when the producer releases mid-stream, but not after the consumer released', async () => {
    const partitions = new PartitionManager();
    const key = partitionKey(asAttemptId('p'), 0);
    const partition = new ResultPartition(key, 2, serializer);
    partitions.register(partition);
    const owners = [new RecordingOwner(), new RecordingOwner()];
    const channels = owners.map((owner, i) => new LocalInputChannel(i, owner, partitions, key, i));
    for (const channel of channels) channel.start();
    await waitUntil(() => partition.subpartitions.every((s) => s.hasListener), 'both channels to attach');
    channels[1]!.release();
    assert.equal(partition.subpartitions[1]!.hasListener, false);
    partitions.release(key);
    assert.match(owners[0]!.failures[0]!.message, /producer of p#0 failed or was canceled/);
    assert.equal(owners[1]!.failures.length, 0);
  });

  it('does not report a failure once it has read the end of its partition', async () => {
    const partitions = new PartitionManager();
    const key = partitionKey(asAttemptId('p'), 0);
    const partition = new ResultPartition(key, 1, serializer);
    partitions.register(partition);
    const owner = new RecordingOwner();
    const channel = new LocalInputChannel(0, owner, partitions, key, 0);
    channel.start();
    partition.subpartitions[0]!.addEvent(EndOfPartitionEvent.INSTANCE);
    await waitUntil(() => owner.available > 0, 'the end');
    assert.equal(channel.poll()!.values[0], EndOfPartitionEvent.INSTANCE);
    partitions.release(key);
    assert.equal(owner.failures.length, 0);
  });
});

describe('InputGate', () => {
  function localGate(channels: number): { gate: InputGate; partition: ResultPartition } {
    const partitions = new PartitionManager();
    const key = partitionKey(asAttemptId('p'), 0);
    const partition = new ResultPartition(key, channels, serializer);
    partitions.register(partition);
    const gate = new InputGate();
    for (let i = 0; i < channels; i++) gate.addChannel((index, owner) => new LocalInputChannel(index, owner, partitions, key, index));
    gate.start();
    return { gate, partition };
  }

  it('reads every channel in turn and keeps each channel in order', async () => {
    const { gate, partition } = localGate(3);
    for (let b = 0; b < 4; b++) {
      for (let c = 0; c < 3; c++) {
        partition.subpartitions[c]!.add(`${c}:${b}`, undefined);
        partition.subpartitions[c]!.flush();
      }
    }
    const values = (await readGate(gate, (v) => v.length === 12)) as string[];
    for (let c = 0; c < 3; c++)
      assert.deepEqual(
        values.filter((v) => v.startsWith(`${c}:`)),
        [0, 1, 2, 3].map((b) => `${c}:${b}`),
      );
    // Round-robin: the first batch of every channel comes before any channel's second.
    assert.deepEqual(new Set(values.slice(0, 3).map((v) => v[0])), new Set(['0', '1', '2']));
  });

  it('skips a blocked channel until unblocked, then reads it from where it stopped', async () => {
    const { gate, partition } = localGate(2);
    await waitUntil(() => partition.subpartitions.every((s) => s.hasListener), 'channels to attach');
    let wakes = 0;
    gate.onAvailable = () => wakes++;
    gate.block(gate.cursors[0]!);
    partition.subpartitions[0]!.add('held', undefined);
    partition.subpartitions[0]!.flush();
    partition.subpartitions[1]!.add('free', undefined);
    partition.subpartitions[1]!.flush();
    const first = gate.nextReady();
    assert.equal(first?.index, 1);
    first.position = first.batch!.values.length;
    assert.equal(gate.nextReady(), undefined);
    const before = wakes;
    gate.unblockAll();
    assert.equal(wakes, before + 1);
    assert.equal(gate.nextReady()?.batch?.values[0], 'held');
  });

  it('combines watermarks over channels with data to come, and ends when every channel ended', () => {
    const { gate } = localGate(2);
    const [a, b] = [gate.cursors[0]!, gate.cursors[1]!];
    assert.equal(gate.combinedWatermark(), MIN_WATERMARK);
    a.watermark = 10;
    b.watermark = 4;
    assert.equal(gate.combinedWatermark(), 4);
    b.dataEnded = true;
    assert.equal(gate.combinedWatermark(), 10);
    assert.equal(gate.allDataEnded, false);
    a.ended = true;
    assert.equal(gate.allDataEnded, true);
    assert.equal(gate.allEnded, false);
    b.ended = true;
    assert.equal(gate.allEnded, true);
  });
});
