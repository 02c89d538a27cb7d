import { DataFrameType, parsePartitionRequest, type DataFrame } from './data-protocol.js';
import type { FrameLink } from './frame-link.js';
import { MAX_DATA_FRAME_BYTES } from './frame-socket.js';
import { PARTITION_LOOKUP_TIMEOUT_MS } from './local-input-channel.js';
import type { PartitionManager } from './partition-manager.js';
import { partitionKey } from './result-partition.js';
import { SubpartitionSender } from './subpartition-sender.js';

/** Serves the consumers of one data connection; one per connection a DataServer accepts. */
export interface DataConnectionService {
  onFrame(frame: DataFrame): void;
  /** The carrier has room again: senders held back by its backlog go on. */
  onDrain(): void;
  onClose(): void;
}

/**
 * The producer end of one link: answers partition requests from the partitions of this thread,
 * sends each requested subpartition against the consumer's credit, and stops on cancel or close.
 */
export class PartitionRequestServer implements DataConnectionService {
  private readonly senders = new Map<number, SubpartitionSender>();
  /** Channels whose partition is still being looked up; a Cancel meanwhile removes them, so they are never served. */
  private readonly lookingUp = new Set<number>();

  constructor(
    private readonly link: FrameLink,
    private readonly partitions: PartitionManager,
    private readonly maxFrameBytes = MAX_DATA_FRAME_BYTES,
  ) {}

  onFrame(frame: DataFrame): void {
    switch (frame.type) {
      case DataFrameType.PartitionRequest: {
        const request = parsePartitionRequest(frame.body);
        const key = partitionKey(request.producerAttemptId, request.partitionIndex);
        this.lookingUp.add(frame.channelId);
        this.partitions.lookup(key, PARTITION_LOOKUP_TIMEOUT_MS).then(
          (partition) => {
            if (!this.lookingUp.delete(frame.channelId) || this.link.isClosed) return;
            const sender = new SubpartitionSender(
              this.link,
              frame.channelId,
              partition,
              request.subpartitionIndex,
              request.credit,
              this.maxFrameBytes,
            );
            this.senders.set(frame.channelId, sender);
            sender.start();
          },
          (error: Error) => {
            if (this.lookingUp.delete(frame.channelId)) this.link.send(DataFrameType.Error, frame.channelId, error.message);
          },
        );
        break;
      }
      case DataFrameType.Credit:
        if (frame.body.length >= 4) this.senders.get(frame.channelId)?.addCredit(frame.body.readUInt32BE(0));
        break;
      case DataFrameType.Cancel:
        this.lookingUp.delete(frame.channelId);
        this.senders.get(frame.channelId)?.release();
        this.senders.delete(frame.channelId);
        break;
      default:
        this.link.close(`unexpected data frame type ${frame.type} from a consumer`);
    }
  }

  onDrain(): void {
    for (const sender of this.senders.values()) sender.trySend();
  }

  onClose(): void {
    this.lookingUp.clear();
    for (const sender of this.senders.values()) sender.release();
    this.senders.clear();
  }
}
