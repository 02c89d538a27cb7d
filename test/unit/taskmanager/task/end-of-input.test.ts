import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GenericSerializer } from '../../../../src/runtime/serialization/index.js';
import type { SubtaskCheckpointer } from '../../../../src/taskmanager/checkpoint/subtask-checkpointer.js';
import { ChainOutputWriter } from '../../../../src/taskmanager/network/chain-output-writer.js';
import { ResultPartition } from '../../../../src/taskmanager/network/result-partition.js';
import {
  CheckpointBarrier,
  EndOfDataEvent,
  EndOfPartitionEvent,
  type ElementBatch,
} from '../../../../src/taskmanager/network/stream-elements.js';
import { EndOfInput, type EndOfInputHost } from '../../../../src/taskmanager/task/end-of-input.js';
import { waitUntil } from '../../../helpers/gate-reader.js';
import { RecordingChain } from '../../../helpers/recording-chain.js';

/**
 * A task's ending, with the real writer and partition downstream. The checkpointer stands in for the
 * real one only in what EndOfInput uses: the last checkpoint id, and performing a trigger (which
 * sends the barrier downstream, as the real one does after its snapshot).
 */
function setUp(checkpointingEnabled: boolean, lastCheckpointId = 0) {
  const partition = new ResultPartition('me#0', 1, new GenericSerializer());
  const writer = new ChainOutputWriter([{ partition, partitioner: undefined }]);
  const chain = new RecordingChain();
  const performed: number[] = [];
  const checkpointer = {
    lastCheckpointId,
    perform(barrier: CheckpointBarrier): void {
      performed.push(barrier.checkpointId);
      this.lastCheckpointId = barrier.checkpointId;
      writer.broadcastEvent(barrier);
    },
  };
  const events = { wakes: 0, finished: 0, failures: [] as unknown[], terminal: false };
  const host: EndOfInputHost = {
    chain,
    writer,
    checkpointer: checkpointer as unknown as SubtaskCheckpointer,
    checkpointingEnabled,
    isTerminal: () => events.terminal,
    wake: () => {
      events.wakes++;
    },
    finished: () => {
      events.finished++;
      return Promise.resolve();
    },
    fail: (error) => {
      events.failures.push(error);
    },
  };
  /** Everything the downstream consumer would read, in order. */
  const downstream: unknown[] = [];
  const read = (): unknown[] => {
    for (
      let batch: ElementBatch | undefined = partition.subpartitions[0]!.poll();
      batch !== undefined;
      batch = partition.subpartitions[0]!.poll()
    )
      downstream.push(...batch.values);
    return downstream;
  };
  return { end: new EndOfInput(host), chain, writer, partition, performed, events, read };
}

const barrier = (id: number): CheckpointBarrier => new CheckpointBarrier(id, 0, 'CHECKPOINT');

describe('EndOfInput', () => {
  it('with checkpointing: flushes, sends end of data, and ends the partitions only after a checkpoint newer than the end', async () => {
    const { end, chain, writer, performed, events, read } = setUp(true, 3);
    await end.begin();
    assert.equal(chain.endInputCalls, 1);
    assert.equal(end.phase, 'awaiting');
    assert.deepEqual(read(), [EndOfDataEvent.INSTANCE]);
    end.onInputsEnded();
    end.onCheckpointCommitted(3); // taken before the end: cannot commit the last output
    assert.equal(end.phase, 'awaiting');
    end.trigger(barrier(4));
    assert.deepEqual(performed, [4]);
    assert.deepEqual(
      read()
        .slice(1)
        .map((v) => (v as CheckpointBarrier).checkpointId),
      [4],
      'barriers still flow after the end of data',
    );
    end.onCheckpointCommitted(4);
    assert.equal(end.phase, 'draining');
    assert.equal(read().at(-1), EndOfPartitionEvent.INSTANCE);
    await writer.whenFullyConsumed();
    await waitUntil(() => events.finished === 1, 'the task to finish');
    assert.deepEqual(events.failures, []);
  });

  it('waits for every input to end as well as for the final checkpoint', async () => {
    const { end, events, read } = setUp(true, 1);
    await end.begin();
    end.onCheckpointCommitted(2);
    assert.equal(end.phase, 'awaiting');
    assert.ok(!read().includes(EndOfPartitionEvent.INSTANCE));
    end.onInputsEnded();
    assert.equal(end.phase, 'draining');
    read();
    await waitUntil(() => events.finished === 1, 'the task to finish');
  });

  it('defers a trigger that arrives while the operators flush until after the end of data', async () => {
    const { end, chain, performed, read } = setUp(true, 0);
    let release!: () => void;
    chain.endInputResult = () =>
      new Promise<void>((resolve) => {
        release = resolve;
      });
    const beginning = end.begin();
    assert.equal(end.phase, 'ending');
    end.trigger(barrier(1));
    assert.deepEqual(performed, [], 'no snapshot while the operators are still flushing');
    release();
    await beginning;
    assert.deepEqual(performed, [1]);
    const values = read();
    assert.equal(values[0], EndOfDataEvent.INSTANCE);
    assert.equal((values[1] as CheckpointBarrier).checkpointId, 1);
  });

  it('without checkpointing: ends the partitions once every input ended, and finishes only when consumers read the end', async () => {
    const { end, events, read } = setUp(false);
    await end.begin();
    assert.equal(end.phase, 'awaiting');
    end.onInputsEnded();
    assert.equal(end.phase, 'draining');
    for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(events.finished, 0, 'finished before the consumer read the end of the partition');
    assert.equal(read().at(-1), EndOfPartitionEvent.INSTANCE);
    await waitUntil(() => events.finished === 1, 'the task to finish');
  });

  it('sends nothing when the task was canceled while flushing, and fails the task when flushing fails', async () => {
    const canceled = setUp(true);
    canceled.events.terminal = true;
    await canceled.end.begin();
    assert.deepEqual(canceled.read(), []);

    const failing = setUp(true);
    failing.chain.endInputResult = () => Promise.reject(new Error('sink flush failed'));
    await failing.end.begin();
    assert.match(String(failing.events.failures[0]), /sink flush failed/);
    assert.deepEqual(failing.read(), []);
  });
});
