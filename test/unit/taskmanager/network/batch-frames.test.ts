import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataOutputWriter, createSerializer } from '../../../../src/runtime/serialization/index.js';
import { decodeBatch, encodeBatchPart, RecordTooLargeError } from '../../../../src/taskmanager/network/batch-codec.js';
import { decodeErrorFrame, DataFrameType } from '../../../../src/taskmanager/network/data-protocol.js';
import type { FrameLink } from '../../../../src/taskmanager/network/frame-link.js';
import { ResultPartition } from '../../../../src/taskmanager/network/result-partition.js';
import { BATCH_RECORDS } from '../../../../src/taskmanager/network/result-subpartition.js';
import { EndOfPartitionEvent, NO_TIMESTAMP, type ElementBatch } from '../../../../src/taskmanager/network/stream-elements.js';
import { FRAME_TARGET_BYTES, SubpartitionSender } from '../../../../src/taskmanager/network/subpartition-sender.js';

const STRINGS = createSerializer({ kind: 'STRING' });
const KB = 1024;

function batchOf(values: unknown[]): ElementBatch {
  return { values, timestamps: values.map(() => NO_TIMESTAMP) };
}

/** Encodes `batch` part by part as a sender does; returns each part's bytes. */
function parts(batch: ElementBatch, target: number, max: number): Buffer[] {
  const out: Buffer[] = [];
  for (let from = 0; from < batch.values.length || out.length === 0;) {
    const writer = new DataOutputWriter();
    from = encodeBatchPart(batch, from, STRINGS, writer, target, max);
    out.push(writer.toBuffer());
  }
  return out;
}

/** A link that keeps the frames sent on it. */
function recordingSocket(): { socket: FrameLink; frames: Array<{ type: DataFrameType; body: Buffer }> } {
  const frames: Array<{ type: DataFrameType; body: Buffer }> = [];
  const socket: FrameLink = {
    backlog: 0,
    isClosed: false,
    send: (type, _channelId, body = '') => {
      frames.push({ type, body: Buffer.from(typeof body === 'string' ? Buffer.from(body) : body) });
    },
    close: () => undefined,
  };
  return { socket, frames };
}

describe('record batches cut by bytes as well as by records', () => {
  it('keeps a batch of small records in one part', () => {
    const batch = batchOf(Array.from({ length: BATCH_RECORDS }, (_, i) => `record-${i}`));
    const encoded = parts(batch, FRAME_TARGET_BYTES, 64 * 1024 * KB);
    assert.equal(encoded.length, 1);
    assert.deepEqual(decodeBatch(encoded[0]!, STRINGS).values, batch.values);
  });

  it('cuts a batch of 200 KB records into parts near the target, every record once and in order', () => {
    const batch = batchOf(Array.from({ length: BATCH_RECORDS }, (_, i) => `${i}:`.padEnd(200 * KB, 'x')));
    const encoded = parts(batch, FRAME_TARGET_BYTES, 64 * 1024 * KB);
    assert.ok(encoded.length >= Math.floor((BATCH_RECORDS * 200 * KB) / (FRAME_TARGET_BYTES + 200 * KB)), `${encoded.length} parts`);
    for (const part of encoded) assert.ok(part.length < FRAME_TARGET_BYTES + 201 * KB, `a part of ${part.length} bytes`);
    assert.deepEqual(
      encoded.flatMap((part) => decodeBatch(part, STRINGS).values),
      batch.values,
    );
  });

  it('leaves a record that would overflow the frame for the next part, with events in place', () => {
    const batch = batchOf(['a'.repeat(10 * KB), 'b'.repeat(10 * KB), 'c'.repeat(700 * KB), EndOfPartitionEvent.INSTANCE]);
    const encoded = parts(batch, 512 * KB, 720 * KB);
    // a+b fit; c would overflow so it starts the next part, which it fills past the target alone.
    assert.deepEqual(
      encoded.map((part) => decodeBatch(part, STRINGS).values.length),
      [2, 1, 1],
    );
    assert.ok(decodeBatch(encoded[2]!, STRINGS).values[0] instanceof EndOfPartitionEvent);
  });

  it('refuses one record larger than a frame, naming its size, the limit and the option', () => {
    const batch = batchOf(['small', 'z'.repeat(2 * KB * KB)]);
    const writer = new DataOutputWriter();
    const next = encodeBatchPart(batch, 0, STRINGS, writer, 64 * KB, KB * KB);
    assert.equal(next, 1);
    assert.throws(
      () => encodeBatchPart(batch, next, STRINGS, new DataOutputWriter(), 64 * KB, KB * KB),
      (error: unknown) => {
        assert.ok(error instanceof RecordTooLargeError);
        assert.equal(error.code, 'RECORD_TOO_LARGE');
        assert.match(
          error.message,
          /^A record of 20971\d\d bytes \(serialized\) exceeds the largest data frame of 1048576 bytes; raise taskmanager\.network\.max-frame-size on every TaskManager to send it\.$/,
        );
        return true;
      },
    );
  });

  it('rejects a part that claims more elements than its bytes can hold', () => {
    const writer = new DataOutputWriter();
    writer.writeInt32(1_000_000);
    assert.throws(() => decodeBatch(writer.toBuffer(), STRINGS), /claims 1000000 elements in 0 bytes/);
  });
});

describe('SubpartitionSender', () => {
  it('sends one frame per credit, a large batch over several credits, and nothing beyond the credit', () => {
    const partition = new ResultPartition('p#0', 1, STRINGS);
    const subpartition = partition.subpartitions[0]!;
    const { socket, frames } = recordingSocket();
    const sender = new SubpartitionSender(socket, 7, partition, 0, 2, 4 * KB * KB);
    sender.start();
    const records = Array.from({ length: 20 }, (_, i) => `${i}:`.padEnd(200 * KB, 'y'));
    for (const record of records) subpartition.add(record, undefined);
    subpartition.flush();
    assert.equal(frames.length, 2, 'two credits, two frames');
    sender.addCredit(100);
    const received = frames.flatMap((frame) => decodeBatch(frame.body, STRINGS).values);
    assert.deepEqual(received, records);
    assert.ok(frames.length >= 4, `${frames.length} frames for 4 MB`);
    assert.ok(frames.every((frame) => frame.type === DataFrameType.Batch && frame.body.length <= FRAME_TARGET_BYTES + 201 * KB));
  });

  it('answers a record too large for any frame with a coded error and sends nothing more', () => {
    const partition = new ResultPartition('p#0', 1, STRINGS);
    const subpartition = partition.subpartitions[0]!;
    const { socket, frames } = recordingSocket();
    const sender = new SubpartitionSender(socket, 3, partition, 0, 10, KB * KB);
    sender.start();
    subpartition.add('ok', undefined);
    subpartition.add('w'.repeat(3 * KB * KB), undefined);
    subpartition.add('after', undefined);
    subpartition.flush();
    assert.deepEqual(
      frames.map((frame) => frame.type),
      [DataFrameType.Batch, DataFrameType.Error],
    );
    assert.deepEqual(decodeBatch(frames[0]!.body, STRINGS).values, ['ok']);
    const reason = decodeErrorFrame(frames[1]!.body);
    assert.equal(reason.code, 'RECORD_TOO_LARGE');
    assert.match(reason.message, /taskmanager\.network\.max-frame-size/);
    subpartition.add('later', undefined);
    subpartition.flush();
    assert.equal(frames.length, 2, 'a refused channel stays quiet');
    assert.deepEqual(decodeErrorFrame(Buffer.from('plain reason')), { message: 'plain reason' });
  });
});
