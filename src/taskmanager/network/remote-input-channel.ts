import type { ExecutionAttemptId } from '../../core/ids.js';
import { TsFlinkError } from '../../core/errors.js';
import type { TypeSerializer } from '../../runtime/serialization/index.js';
import type { DataErrorReason } from './data-protocol.js';
import { decodeBatch } from './batch-codec.js';
import type { ChannelOwner, InputChannel } from './input-channel.js';
import type { ElementBatch } from './stream-elements.js';

/** Batches a consumer lets a remote producer send ahead (exclusive credit, Flink's buffers-per-channel). */
export const INITIAL_CREDIT = 4;

/** The connection a remote channel reads through; owned by the DataClient. */
export interface RemoteChannelTransport {
  request(channel: RemoteInputChannel): void;
  sendCredit(channelId: number, credit: number): void;
  cancel(channelId: number): void;
}

/**
 * A channel from a producer on another TaskManager. The producer sends a batch only against credit;
 * each batch taken here returns one credit, so at most INITIAL_CREDIT batches are ever in flight.
 */
export class RemoteInputChannel implements InputChannel {
  private readonly queue: ElementBatch[] = [];
  private released = false;
  /** Assigned by the transport when the channel is registered. */
  channelId = 0;
  /** Bytes received, for the read-bytes metrics. */
  bytesReceived = 0;

  constructor(
    private readonly index: number,
    private readonly owner: ChannelOwner,
    private readonly transport: RemoteChannelTransport,
    private readonly serializer: TypeSerializer<unknown>,
    readonly producerAttemptId: ExecutionAttemptId,
    readonly partitionIndex: number,
    readonly subpartitionIndex: number,
  ) {}

  start(): void {
    this.transport.request(this);
  }

  /** A batch arrived from the producer. */
  onBatch(bytes: Buffer): void {
    if (this.released) return;
    this.bytesReceived += bytes.length;
    try {
      this.queue.push(decodeBatch(bytes, this.serializer));
    } catch (error) {
      this.owner.notifyFailure(this.index, error as Error);
      return;
    }
    this.owner.notifyAvailable(this.index);
  }

  onError(reason: string | DataErrorReason): void {
    if (this.released) return;
    const { message, code } = typeof reason === 'string' ? { message: reason, code: undefined } : reason;
    // A record too large for any frame keeps its code, so the JobManager does not restart into it; a
    // peer claiming any other code gets a plain failure.
    const error =
      code === 'RECORD_TOO_LARGE'
        ? new TsFlinkError(code, message)
        : new Error(`remote partition of ${this.producerAttemptId}: ${message}`);
    this.owner.notifyFailure(this.index, error);
  }

  poll(): ElementBatch | undefined {
    const batch = this.queue.shift();
    if (batch !== undefined && !this.released) this.transport.sendCredit(this.channelId, 1);
    return batch;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.queue.length = 0;
    this.transport.cancel(this.channelId);
  }
}
