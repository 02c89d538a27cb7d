import {
  CheckpointBarrier,
  EndOfDataEvent,
  EndOfPartitionEvent,
  NO_TIMESTAMP,
  emptyBatch,
  type ElementBatch,
  type StreamEvent,
} from './stream-elements.js';

/** Records per batch before it is handed to the consumer without waiting for the flush timer. */
export const BATCH_RECORDS = 512;
/** Finished batches a subpartition holds before its producer counts as backpressured. */
export const QUEUE_CAPACITY = 4;

/** The consumer side of a subpartition: told when a batch became available. */
export interface SubpartitionListener {
  onBatchAvailable(): void;
  /** The producer went away before the consumer read the end of the partition. */
  onReleased(): void;
}

/**
 * The queue of batches from one producer subtask to one consumer channel. The producer appends
 * records to an open batch; full batches (or flushed ones) wait here for the consumer, who takes
 * them one at a time. A bounded queue is what backpressures the producer.
 */
export class ResultSubpartition {
  private open: ElementBatch = emptyBatch();
  private readonly queue: ElementBatch[] = [];
  private listener: SubpartitionListener | undefined;
  private finished = false;
  /** Set once the consumer has taken the end-of-partition batch. */
  consumed = false;
  /** Called when taking a batch makes room, so a blocked producer can continue. */
  onSpace: (() => void) | undefined;
  /** Called once the consumer has taken the end of the partition. */
  onConsumed: (() => void) | undefined;

  add(value: unknown, timestamp: number | undefined): void {
    const open = this.open;
    open.values.push(value);
    open.timestamps.push(timestamp ?? NO_TIMESTAMP);
    if (open.values.length >= BATCH_RECORDS) this.finishBatch();
  }

  /** Adds an event; barriers and the end of data or of the partition go out at once. */
  addEvent(event: StreamEvent): void {
    this.open.values.push(event);
    this.open.timestamps.push(NO_TIMESTAMP);
    // Marked before the batch is handed over: a remote sender polls it synchronously.
    if (event instanceof EndOfPartitionEvent) this.finished = true;
    if (event instanceof CheckpointBarrier || event instanceof EndOfPartitionEvent || event instanceof EndOfDataEvent) this.finishBatch();
  }

  /** Hands the open batch over if it holds anything (the buffer timeout). */
  flush(): void {
    if (this.open.values.length > 0) this.finishBatch();
  }

  get isWritable(): boolean {
    return this.queue.length < QUEUE_CAPACITY;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  get queuedBatches(): number {
    return this.queue.length;
  }

  /** Attaches the consumer; it is told at once if batches are already waiting. */
  setListener(listener: SubpartitionListener | undefined): void {
    this.listener = listener;
    if (listener !== undefined && this.queue.length > 0) listener.onBatchAvailable();
  }

  get hasListener(): boolean {
    return this.listener !== undefined;
  }

  /** Takes the next finished batch, if any. */
  poll(): ElementBatch | undefined {
    const batch = this.queue.shift();
    if (batch === undefined) return undefined;
    if (this.queue.length === QUEUE_CAPACITY - 1) this.onSpace?.();
    if (this.finished && this.queue.length === 0 && batch.values[batch.values.length - 1] instanceof EndOfPartitionEvent) {
      this.consumed = true;
      this.onConsumed?.();
    }
    return batch;
  }

  get hasData(): boolean {
    return this.queue.length > 0;
  }

  /** Drops everything; a consumer still attached and not done is told the producer is gone. */
  release(): void {
    const listener = this.listener;
    this.queue.length = 0;
    this.open = emptyBatch();
    this.listener = undefined;
    if (!this.consumed) listener?.onReleased();
  }

  private finishBatch(): void {
    this.queue.push(this.open);
    this.open = emptyBatch();
    this.listener?.onBatchAvailable();
  }
}
