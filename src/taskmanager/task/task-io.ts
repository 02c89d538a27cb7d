import type { ResourceId } from '../../core/ids.js';
import type { JobProgram } from '../../runtime/task-contract.js';
import { createSerializer } from '../../runtime/serialization/index.js';
import type { TaskDeploymentDescriptor } from '../../rpc/gateways/task-deployment-descriptor.js';
import { ChainOutputWriter, type PartitionOutput } from '../network/chain-output-writer.js';
import type { DataClient } from '../network/data-client.js';
import { InputGate } from '../network/input-gate.js';
import { LocalInputChannel } from '../network/local-input-channel.js';
import type { PartitionManager } from '../network/partition-manager.js';
import { RemoteInputChannel } from '../network/remote-input-channel.js';
import { ResultPartition, partitionKey } from '../network/result-partition.js';
import { slotPeer } from '../network/slot-peer.js';

/** A task's network side: the partitions it writes (behind one chain output) and the gate it reads. */
export interface TaskIo {
  readonly partitions: readonly ResultPartition[];
  readonly writer: ChainOutputWriter;
  readonly gate: InputGate;
}

/** Where a task's channels come from: this TaskManager's partitions and its connections to others. */
export interface NetworkEnvironment {
  readonly resourceId: ResourceId;
  readonly partitions: PartitionManager;
  readonly dataClient: DataClient;
  /**
   * Set when tasks run on slot threads: the slot of this thread. A producer in another slot of this
   * TaskManager is then read through `dataClient` from that slot's thread (see slot-peer.ts).
   */
  readonly slotIndex?: number;
}

/** Creates and registers the partitions of a deployment and connects its input channels. */
export function createTaskIo(tdd: TaskDeploymentDescriptor, program: JobProgram, network: NetworkEnvironment): TaskIo {
  const partitions: ResultPartition[] = [];
  const outputs: PartitionOutput[] = tdd.outputs.map((output) => {
    const partition = new ResultPartition(
      partitionKey(tdd.attemptId, output.partitionIndex),
      output.numberOfSubpartitions,
      createSerializer(output.edge.type),
    );
    partitions.push(partition);
    const partitioner = output.pointwise
      ? undefined
      : program.createPartitioner(output.edge, output.numberOfSubpartitions, output.consumerMaxParallelism, tdd.subtaskIndex);
    return { partition, partitioner };
  });
  const gate = new InputGate();
  for (const input of tdd.inputs) {
    const serializer = createSerializer(input.edge.type);
    for (const channel of input.channels) {
      const key = partitionKey(channel.producerAttemptId, channel.partitionIndex);
      const here = channel.producerResourceId === network.resourceId;
      const sameThread = here && (network.slotIndex === undefined || network.slotIndex === channel.producerSlotIndex);
      const peer = here ? slotPeer(channel.producerSlotIndex) : channel.producerDataAddress;
      gate.addChannel((index, owner) =>
        sameThread
          ? new LocalInputChannel(index, owner, network.partitions, key, channel.subpartitionIndex)
          : new RemoteInputChannel(
              index,
              owner,
              network.dataClient.transportTo(peer),
              serializer,
              channel.producerAttemptId,
              channel.partitionIndex,
              channel.subpartitionIndex,
            ),
      );
    }
  }
  for (const partition of partitions) network.partitions.register(partition);
  return { partitions, writer: new ChainOutputWriter(outputs), gate };
}
