import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_WATERMARK, MIN_WATERMARK } from '../../../../src/runtime/task-contract.js';
import {
  CheckpointBarrier,
  EndOfDataEvent,
  EndOfPartitionEvent,
  WatermarkEvent,
} from '../../../../src/taskmanager/network/stream-elements.js';
import { inputRig as setUp } from '../../../helpers/input-rig.js';

const barrier = (id: number): CheckpointBarrier => new CheckpointBarrier(id, 0, 'CHECKPOINT');

describe('barrier alignment through the input gate and processor', () => {
  it("holds a channel's data behind its barrier until the barrier came on every channel, then triggers once and releases in order", async () => {
    const { chain, aligned, send, run } = await setUp();
    send(0, 'a0', barrier(1), 'a1', 'a2');
    send(1, 'b0');
    run();
    assert.deepEqual([...chain.records].sort(), ['a0', 'b0']);
    assert.equal(aligned.length, 0);
    send(0, 'a3'); // more data on the blocked channel still waits
    send(1, 'b1');
    run();
    assert.deepEqual([...chain.records].sort(), ['a0', 'b0', 'b1']);
    send(1, barrier(1), 'b2');
    run();
    assert.equal(aligned.length, 1, 'the checkpoint is triggered once');
    assert.equal(aligned[0]!.id, 1);
    assert.deepEqual([...aligned[0]!.recordsBefore].sort(), ['a0', 'b0', 'b1'], 'the snapshot sees exactly the records before the barrier');
    const after = chain.records.slice(3);
    assert.deepEqual(
      after.filter((r) => String(r).startsWith('a')),
      ['a1', 'a2', 'a3'],
    );
    assert.deepEqual(
      after.filter((r) => String(r).startsWith('b')),
      ['b2'],
    );
  });

  it('a channel that ends owes no barrier: the alignment completes without it', async () => {
    const { chain, aligned, send, run } = await setUp();
    send(0, 'a0', barrier(2), 'a1');
    run();
    assert.equal(aligned.length, 0);
    send(1, 'b0', EndOfDataEvent.INSTANCE, EndOfPartitionEvent.INSTANCE);
    run();
    assert.deepEqual(
      aligned.map((a) => a.id),
      [2],
    );
    assert.deepEqual(chain.records, ['a0', 'b0', 'a1']);
  });

  it('a newer barrier abandons an unfinished alignment; the late older barrier is ignored', async () => {
    const { chain, aligned, send, run } = await setUp();
    send(0, barrier(1), 'a1', barrier(2), 'a2');
    send(1, 'b0');
    run();
    assert.deepEqual(chain.records, ['b0']);
    send(1, barrier(2), 'b1', barrier(1), 'b2');
    run();
    assert.deepEqual(
      aligned.map((a) => a.id),
      [2],
    );
    assert.deepEqual(
      chain.records.slice(1).filter((r) => String(r).startsWith('a')),
      ['a1', 'a2'],
    );
    send(0, barrier(3));
    send(1, barrier(3));
    run();
    assert.deepEqual(
      aligned.map((a) => a.id),
      [2, 3],
    );
  });

  it('forwards the minimum watermark over open channels, and MAX once every channel delivered its end of data', async () => {
    const { chain, send, run } = await setUp();
    send(0, new WatermarkEvent(10));
    send(1, new WatermarkEvent(4));
    let result = run();
    // Before both channels reported, the minimum is the initial MIN_WATERMARK (passed on or not).
    const advanced = (): number[] => chain.watermarks.filter((w) => w > MIN_WATERMARK);
    assert.deepEqual(advanced(), [4]);
    send(1, EndOfDataEvent.INSTANCE);
    result = run()!;
    assert.deepEqual(advanced(), [4, 10]);
    assert.equal(result.endOfData, false);
    send(0, EndOfDataEvent.INSTANCE);
    result = run()!;
    assert.equal(result.endOfData, true);
    assert.deepEqual(advanced(), [4, 10, MAX_WATERMARK]);
    assert.equal(result.endOfPartitions, false, 'barriers may still come after the end of data');
    send(0, EndOfPartitionEvent.INSTANCE);
    send(1, EndOfPartitionEvent.INSTANCE);
    assert.equal(run().endOfPartitions, true);
  });
});
