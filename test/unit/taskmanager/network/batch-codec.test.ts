import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataOutputWriter, GenericSerializer, SerializationError, StringSerializer } from '../../../../src/runtime/serialization/index.js';
import { decodeBatch, encodeBatch } from '../../../../src/taskmanager/network/batch-codec.js';
import {
  CheckpointBarrier,
  EndOfDataEvent,
  EndOfPartitionEvent,
  NO_TIMESTAMP,
  WatermarkEvent,
  type ElementBatch,
} from '../../../../src/taskmanager/network/stream-elements.js';

function roundTrip(batch: ElementBatch, serializer = new GenericSerializer()): ElementBatch {
  const out = new DataOutputWriter(64);
  encodeBatch(batch, serializer, out);
  return decodeBatch(out.toBuffer(), serializer);
}

describe('batch codec', () => {
  it('round-trips records with and without timestamps and every event kind, in order', () => {
    const batch: ElementBatch = {
      values: [
        { k: 'a', n: 1 },
        new WatermarkEvent(10),
        'plain',
        new CheckpointBarrier(42, 1234.5, 'SAVEPOINT'),
        [1, 2],
        EndOfDataEvent.INSTANCE,
        EndOfPartitionEvent.INSTANCE,
      ],
      timestamps: [5, NO_TIMESTAMP, NO_TIMESTAMP, NO_TIMESTAMP, 0, NO_TIMESTAMP, NO_TIMESTAMP],
    };
    const decoded = roundTrip(batch);
    assert.deepEqual(decoded.values[0], { k: 'a', n: 1 });
    assert.equal(decoded.timestamps[0], 5);
    assert.equal((decoded.values[1] as WatermarkEvent).timestamp, 10);
    assert.equal(decoded.values[2], 'plain');
    assert.ok(Number.isNaN(decoded.timestamps[2]!));
    const barrier = decoded.values[3] as CheckpointBarrier;
    assert.ok(barrier instanceof CheckpointBarrier);
    assert.deepEqual([barrier.checkpointId, barrier.timestamp, barrier.kind], [42, 1234.5, 'SAVEPOINT']);
    assert.deepEqual(decoded.values[4], [1, 2]);
    assert.equal(decoded.timestamps[4], 0);
    assert.equal(decoded.values[5], EndOfDataEvent.INSTANCE);
    assert.equal(decoded.values[6], EndOfPartitionEvent.INSTANCE);
  });

  it('keeps whether a barrier halts the sources (a planned rescale), for every kind', () => {
    for (const kind of ['CHECKPOINT', 'SAVEPOINT', 'SYNC_SAVEPOINT'] as const) {
      for (const halting of [false, true]) {
        const decoded = roundTrip({ values: [new CheckpointBarrier(7, 1, kind, halting)], timestamps: [NO_TIMESTAMP] });
        const barrier = decoded.values[0] as CheckpointBarrier;
        assert.deepEqual([barrier.kind, barrier.halting], [kind, halting]);
      }
    }
  });

  it('round-trips an empty batch', () => {
    assert.deepEqual(roundTrip({ values: [], timestamps: [] }), { values: [], timestamps: [] });
  });

  it('rejects an unknown element tag and stray trailing bytes', () => {
    const serializer = new StringSerializer();
    const out = new DataOutputWriter(64);
    encodeBatch({ values: ['a'], timestamps: [NO_TIMESTAMP] }, serializer, out);
    const good = out.toBuffer();
    const badTag = Buffer.from(good);
    badTag[4] = 99; // after the int32 element count
    assert.throws(
      () => decodeBatch(badTag, serializer),
      (e: unknown) => e instanceof SerializationError && /unknown element tag 99/.test(e.message),
    );
    assert.throws(
      () => decodeBatch(Buffer.concat([good, Buffer.from([0])]), serializer),
      (e: unknown) => e instanceof SerializationError && /stray bytes/.test(e.message),
    );
  });
});
