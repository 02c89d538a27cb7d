/** A task's input side over real local channels, for processor tests. */
import { GenericSerializer } from '../../src/runtime/serialization/index.js';
import { AlignedBarrierHandler } from '../../src/taskmanager/checkpoint/aligned-barrier-handler.js';
import { InputGate } from '../../src/taskmanager/network/input-gate.js';
import { LocalInputChannel } from '../../src/taskmanager/network/local-input-channel.js';
import { PartitionManager } from '../../src/taskmanager/network/partition-manager.js';
import { ResultPartition, partitionKey } from '../../src/taskmanager/network/result-partition.js';
import { CheckpointBarrier, EndOfDataEvent, EndOfPartitionEvent, WatermarkEvent } from '../../src/taskmanager/network/stream-elements.js';
import { StreamInputProcessor, type ArrivingState } from '../../src/taskmanager/task/stream-input-processor.js';
import { waitUntil } from './gate-reader.js';
import { asAttemptId } from './ids.js';
import { RecordingChain } from './recording-chain.js';

/** Upstream channels (local), the real gate, processor and aligned handler; `arriving` makes it a streamed restore. */
export async function inputRig(channels = 2, arriving?: ArrivingState) {
  const partitions = new PartitionManager();
  const key = partitionKey(asAttemptId('upstream'), 0);
  const partition = new ResultPartition(key, channels, new GenericSerializer());
  partitions.register(partition);
  const gate = new InputGate();
  for (let i = 0; i < channels; i++) gate.addChannel((index, owner) => new LocalInputChannel(index, owner, partitions, key, index));
  const chain = new RecordingChain();
  const aligned: Array<{ id: number; recordsBefore: unknown[] }> = [];
  const handler = new AlignedBarrierHandler(gate, (barrier) =>
    aligned.push({ id: barrier.checkpointId, recordsBefore: [...chain.records] }),
  );
  const processor = new StreamInputProcessor(gate, chain, handler, arriving);
  gate.start();
  await waitUntil(() => partition.subpartitions.every((s) => s.hasListener), 'channels to attach');
  const send = (channel: number, ...values: unknown[]): void => {
    const sub = partition.subpartitions[channel]!;
    for (const value of values) {
      if (
        value instanceof CheckpointBarrier ||
        value instanceof EndOfPartitionEvent ||
        value instanceof EndOfDataEvent ||
        value instanceof WatermarkEvent
      )
        sub.addEvent(value);
      else sub.add(value, undefined);
    }
    sub.flush();
  };
  /** Processes until nothing is ready (every step is synchronous: local channels notify at once). */
  const run = () => {
    let last;
    do last = processor.step(1_000, () => true);
    while (gate.hasReady);
    return last;
  };
  return { gate, chain, aligned, processor, send, run };
}
