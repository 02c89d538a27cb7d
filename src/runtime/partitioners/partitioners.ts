/** The stream partitioners behind ship strategies (Flink's Forward/KeyGroupStream/Rebalance/Rescale/Broadcast partitioners). */
import { assignKeyToParallelOperator } from '../keygroups/index.js';
import type { KeyedInputInfo } from '../operators/stream-operator.js';
import type { Partitioner } from '../task-contract.js';

/** Forward: each producer subtask feeds the consumer subtask of its own index. */
export function forwardPartitioner(numChannels: number, producerSubtaskIndex: number): Partitioner {
  const channel = producerSubtaskIndex % numChannels;
  return { selectChannel: () => channel };
}

/** Hash: the key's key group decides the consumer, exactly as Flink's KeyGroupStreamPartitioner. */
export function keyGroupPartitioner(keyed: KeyedInputInfo, numChannels: number, maxParallelism: number): Partitioner {
  const { selector, keyType } = keyed;
  return { selectChannel: (value) => assignKeyToParallelOperator(selector(value), maxParallelism, numChannels, keyType) };
}

/** Round robin over all consumers, starting after a random one (Flink's RebalancePartitioner). */
export function rebalancePartitioner(numChannels: number): Partitioner {
  let next = Math.floor(Math.random() * numChannels);
  return {
    selectChannel: () => {
      next = (next + 1) % numChannels;
      return next;
    },
  };
}

/**
 * Round robin starting at the producer's own position (Flink's RescalePartitioner); the task's
 * connections decide which consumers a producer reaches, this cycles over the channels it is given.
 */
export function rescalePartitioner(numChannels: number, producerSubtaskIndex: number): Partitioner {
  let next = (producerSubtaskIndex % numChannels) - 1;
  return {
    selectChannel: () => {
      next = (next + 1) % numChannels;
      return next;
    },
  };
}

/** Broadcast: every record to every consumer. */
export const BROADCAST_PARTITIONER: Partitioner = { selectChannel: () => -1 };
