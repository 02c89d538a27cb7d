import type { ChannelOwner, InputChannel } from './input-channel.js';
import type { PartitionManager } from './partition-manager.js';
import type { ResultSubpartition } from './result-subpartition.js';
import type { ElementBatch } from './stream-elements.js';

/** How long a consumer waits for a producer on the same TaskManager to register its partition. */
export const PARTITION_LOOKUP_TIMEOUT_MS = 30_000;

/**
 * A channel from a producer in the same TaskManager: batches move by reference, with no
 * serialization; the subpartition's bounded queue is the flow control.
 */
export class LocalInputChannel implements InputChannel {
  private subpartition: ResultSubpartition | undefined;
  private released = false;

  constructor(
    private readonly index: number,
    private readonly owner: ChannelOwner,
    private readonly partitions: PartitionManager,
    private readonly partitionKey: string,
    private readonly subpartitionIndex: number,
  ) {}

  start(): void {
    this.partitions
      .lookup(this.partitionKey, PARTITION_LOOKUP_TIMEOUT_MS)
      .then((partition) => {
        if (this.released) return;
        const subpartition = partition.subpartitions[this.subpartitionIndex];
        if (subpartition === undefined) throw new Error(`partition ${this.partitionKey} has no subpartition ${this.subpartitionIndex}`);
        this.subpartition = subpartition;
        subpartition.setListener({
          onBatchAvailable: () => this.owner.notifyAvailable(this.index),
          onReleased: () => {
            if (!this.released)
              this.owner.notifyFailure(this.index, new Error(`the producer of ${this.partitionKey} failed or was canceled`));
          },
        });
      })
      .catch((error: Error) => {
        if (!this.released) this.owner.notifyFailure(this.index, error);
      });
  }

  poll(): ElementBatch | undefined {
    return this.subpartition?.poll();
  }

  release(): void {
    this.released = true;
    this.subpartition?.setListener(undefined);
  }
}
