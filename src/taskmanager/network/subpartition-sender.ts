import { DataOutputWriter } from '../../runtime/serialization/index.js';
import { encodeBatchPart, RecordTooLargeError } from './batch-codec.js';
import { DataFrameType } from './data-protocol.js';
import type { FrameLink } from './frame-link.js';
import { MAX_DATA_FRAME_BYTES } from './frame-socket.js';
import type { ResultPartition } from './result-partition.js';
import type { ResultSubpartition } from './result-subpartition.js';
import type { ElementBatch } from './stream-elements.js';

/** Bytes queued in a socket above which senders wait for it to drain. */
const SOCKET_BACKLOG_LIMIT = 4 * 1024 * 1024;
/**
 * Encoded bytes after which a frame is cut, whatever the batch's record count: a batch is cut at
 * BATCH_RECORDS records, which for 200 KB records made 100 MB frames. 1 MiB keeps a frame of small
 * records whole (512 of them rarely reach it) and a consumer's in-flight bytes bounded by its credit.
 */
export const FRAME_TARGET_BYTES = 1024 * 1024;
/** The frame's own fields (type and channel id) before the encoded batch. */
const FRAME_OVERHEAD_BYTES = 5;

/** Serves one subpartition to one remote consumer channel: encodes and sends a batch per credit. */
export class SubpartitionSender {
  private readonly writer = new DataOutputWriter(64 * 1024);
  private readonly subpartition: ResultSubpartition | undefined;
  private released = false;
  /** A batch larger than one frame: what is left of it to send, from element `next` on. */
  private remainder: { readonly batch: ElementBatch; readonly next: number } | undefined;

  constructor(
    private readonly connection: FrameLink,
    private readonly channelId: number,
    private readonly partition: ResultPartition,
    subpartitionIndex: number,
    private credit: number,
    private readonly maxFrameBytes = MAX_DATA_FRAME_BYTES,
  ) {
    this.subpartition = partition.subpartitions[subpartitionIndex];
  }

  start(): void {
    if (this.subpartition === undefined) {
      this.connection.send(DataFrameType.Error, this.channelId, 'no such subpartition');
      return;
    }
    if (this.subpartition.hasListener) {
      this.connection.send(DataFrameType.Error, this.channelId, 'subpartition already has a consumer');
      return;
    }
    this.subpartition.setListener({
      onBatchAvailable: () => this.trySend(),
      onReleased: () => {
        this.connection.send(DataFrameType.Error, this.channelId, 'the producer released its partition (it failed or was canceled)');
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
      const batch = this.remainder?.batch ?? subpartition.poll();
      if (batch === undefined) return;
      const from = this.remainder?.next ?? 0;
      this.writer.reset();
      let next: number;
      try {
        next = encodeBatchPart(
          batch,
          from,
          this.partition.serializer,
          this.writer,
          FRAME_TARGET_BYTES,
          this.maxFrameBytes - FRAME_OVERHEAD_BYTES,
        );
      } catch (error) {
        if (!(error instanceof RecordTooLargeError)) throw error;
        // Named against the option's value, which the user set, rather than the room left after the frame's fields.
        this.refuseRecord(new RecordTooLargeError(error.recordBytes, this.maxFrameBytes));
        return;
      }
      this.remainder = next < batch.values.length ? { batch, next } : undefined;
      // A copy, handed over: the socket keeps it until written, a port moves it, and the writer is reused.
      this.connection.send(DataFrameType.Batch, this.channelId, this.writer.toBuffer(), true);
      this.partition.bytesSent += this.writer.position;
      this.credit--;
    }
  }

  /**
   * A record no frame can carry: the consumer fails with the reason (its code tells the JobManager
   * not to restart into the same record), and this channel sends nothing more.
   */
  private refuseRecord(error: RecordTooLargeError): void {
    this.connection.send(DataFrameType.Error, this.channelId, JSON.stringify({ code: error.code, message: error.message }));
    this.release();
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.subpartition?.setListener(undefined);
  }
}
