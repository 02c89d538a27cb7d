import { DataOutputWriter } from '../../runtime/serialization/index.js';
import { encodeBatch } from './batch-codec.js';
import { DataFrameType, encodeDataFrame } from './data-protocol.js';
import type { FrameSocket } from './frame-socket.js';
import type { ResultPartition } from './result-partition.js';
import type { ResultSubpartition } from './result-subpartition.js';

/** Bytes queued in a socket above which senders wait for it to drain. */
const SOCKET_BACKLOG_LIMIT = 4 * 1024 * 1024;

/** Serves one subpartition to one remote consumer channel: encodes and sends a batch per credit. */
export class SubpartitionSender {
  private readonly writer = new DataOutputWriter(64 * 1024);
  private readonly subpartition: ResultSubpartition | undefined;
  private released = false;

  constructor(
    private readonly connection: FrameSocket,
    private readonly channelId: number,
    private readonly partition: ResultPartition,
    subpartitionIndex: number,
    private credit: number,
  ) {
    this.subpartition = partition.subpartitions[subpartitionIndex];
  }

  static errorFrame(channelId: number, message: string): Buffer[] {
    return encodeDataFrame(DataFrameType.Error, channelId, message);
  }

  start(): void {
    if (this.subpartition === undefined) {
      this.connection.write(SubpartitionSender.errorFrame(this.channelId, 'no such subpartition'));
      return;
    }
    if (this.subpartition.hasListener) {
      this.connection.write(SubpartitionSender.errorFrame(this.channelId, 'subpartition already has a consumer'));
      return;
    }
    this.subpartition.setListener({
      onBatchAvailable: () => this.trySend(),
      onReleased: () => {
        this.connection.write(SubpartitionSender.errorFrame(this.channelId, 'the producer released its partition (it failed or was canceled)'));
        this.release();
      },
    });
  }

  addCredit(credit: number): void {
    this.credit += credit;
    this.trySend();
  }

  /** Sends while there is credit, data and room in the socket. */
  trySend(): void {
    const subpartition = this.subpartition;
    if (subpartition === undefined || this.released) return;
    while (this.credit > 0 && this.connection.backlog < SOCKET_BACKLOG_LIMIT) {
      const batch = subpartition.poll();
      if (batch === undefined) return;
      this.writer.reset();
      encodeBatch(batch, this.partition.serializer, this.writer);
      // A copy: the socket keeps the buffer until it is written, and the writer is reused.
      const frame = encodeDataFrame(DataFrameType.Batch, this.channelId, this.writer.toBuffer());
      this.connection.write(frame);
      this.partition.bytesSent += this.writer.position;
      this.credit--;
    }
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.subpartition?.setListener(undefined);
  }
}
