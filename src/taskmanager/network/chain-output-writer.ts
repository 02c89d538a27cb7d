import { MIN_WATERMARK, type ChainOutput, type Partitioner } from '../../runtime/task-contract.js';
import type { ResultPartition } from './result-partition.js';
import { WatermarkEvent, type StreamEvent } from './stream-elements.js';

/** One out edge: the partition it writes and how records pick a subpartition. */
export interface PartitionOutput {
  readonly partition: ResultPartition;
  /** Undefined for a pointwise edge with a single subpartition. */
  readonly partitioner: Partitioner | undefined;
}

/**
 * The chain's tail output: every record goes to each out edge's partition, to the subpartition its
 * partitioner picks (or all of them for broadcast); watermarks go to every subpartition.
 */
export class ChainOutputWriter implements ChainOutput {
  /** Records written, counted here once rather than per edge. */
  numRecordsOut = 0;
  /** The last watermark the chain emitted (Flink's currentOutputWatermark). */
  currentOutputWatermark = MIN_WATERMARK;

  constructor(private readonly outputs: readonly PartitionOutput[]) {}

  collect(value: unknown, timestamp: number | undefined): void {
    this.numRecordsOut++;
    const outputs = this.outputs;
    for (let o = 0; o < outputs.length; o++) {
      const { partition, partitioner } = outputs[o]!;
      const subpartitions = partition.subpartitions;
      if (partitioner === undefined) {
        subpartitions[0]!.add(value, timestamp);
        continue;
      }
      const channel = partitioner.selectChannel(value);
      if (channel >= 0) subpartitions[channel]!.add(value, timestamp);
      else for (let s = 0; s < subpartitions.length; s++) subpartitions[s]!.add(value, timestamp);
    }
  }

  emitWatermark(watermark: number): void {
    this.currentOutputWatermark = watermark;
    this.broadcastEvent(new WatermarkEvent(watermark));
  }

  /** Sends an event (watermark, barrier, end of partition) down every channel. */
  broadcastEvent(event: StreamEvent): void {
    for (const { partition } of this.outputs) {
      for (const subpartition of partition.subpartitions) subpartition.addEvent(event);
    }
  }

  flush(): void {
    for (const { partition } of this.outputs) partition.flush();
  }

  /** True when no subpartition is over its bound: the task may produce more. */
  get isWritable(): boolean {
    for (const { partition } of this.outputs) if (!partition.isWritable) return false;
    return true;
  }

  /** Settles when every partition can take more. */
  async whenWritable(): Promise<void> {
    for (const { partition } of this.outputs) await partition.whenWritable();
  }

  /** Settles when every consumer has read the end of every partition. */
  async whenFullyConsumed(): Promise<void> {
    for (const { partition } of this.outputs) await partition.whenFullyConsumed();
  }
}
