import { MIN_WATERMARK } from '../../runtime/task-contract.js';
import type { ChannelOwner, InputChannel } from './input-channel.js';
import type { ElementBatch } from './stream-elements.js';

/** Per-channel reading state: the batch being read and where, alignment and watermark. */
export interface ChannelCursor {
  readonly index: number;
  readonly channel: InputChannel;
  batch: ElementBatch | undefined;
  position: number;
  /** Held back by barrier alignment. */
  blocked: boolean;
  /** Received the end of its partition. */
  ended: boolean;
  /** Received the end of data: no more records, though barriers may still come. */
  dataEnded: boolean;
  watermark: number;
}

/**
 * All input channels of a task, read round-robin. Channels announce data through the ChannelOwner
 * callbacks; a ready queue keeps the scan cheap when a task has many channels.
 */
export class InputGate implements ChannelOwner {
  readonly cursors: ChannelCursor[] = [];
  private readonly ready: number[] = [];
  private readonly queued: boolean[] = [];
  /** Wakes the task when a channel has something. */
  onAvailable: () => void = () => undefined;
  onFailure: (error: Error) => void = () => undefined;

  addChannel(create: (index: number, owner: ChannelOwner) => InputChannel): void {
    const index = this.cursors.length;
    this.cursors.push({
      index,
      channel: create(index, this),
      batch: undefined,
      position: 0,
      blocked: false,
      ended: false,
      dataEnded: false,
      watermark: MIN_WATERMARK,
    });
    this.queued.push(false);
  }

  get size(): number {
    return this.cursors.length;
  }

  start(): void {
    for (const cursor of this.cursors) cursor.channel.start();
  }

  notifyAvailable(channelIndex: number): void {
    if (this.enqueue(channelIndex)) this.onAvailable();
  }

  notifyFailure(_channelIndex: number, error: Error): void {
    this.onFailure(error);
  }

  /** The next channel with data that is not blocked, with its batch loaded; undefined when none. */
  nextReady(): ChannelCursor | undefined {
    for (let scanned = this.ready.length; scanned > 0; scanned--) {
      const index = this.ready.shift()!;
      this.queued[index] = false;
      const cursor = this.cursors[index]!;
      if (cursor.blocked) continue; // re-queued when unblocked
      if (cursor.batch === undefined || cursor.position >= cursor.batch.values.length) {
        cursor.batch = cursor.channel.poll();
        cursor.position = 0;
        if (cursor.batch === undefined) continue; // re-queued by its next notification
      }
      return cursor;
    }
    return undefined;
  }

  /** Puts a channel back at the end of the queue after reading from it (it may hold more). */
  requeue(cursor: ChannelCursor): void {
    if (!cursor.ended) this.enqueue(cursor.index);
  }

  get hasReady(): boolean {
    return this.ready.length > 0;
  }

  block(cursor: ChannelCursor): void {
    cursor.blocked = true;
  }

  /** Lifts alignment blocks; the channels are read again from where they stopped. */
  unblockAll(): void {
    let any = false;
    for (const cursor of this.cursors) {
      if (!cursor.blocked) continue;
      cursor.blocked = false;
      any = this.enqueue(cursor.index) || any;
    }
    if (any) this.onAvailable();
  }

  get allEnded(): boolean {
    return this.cursors.every((cursor) => cursor.ended);
  }

  /** Every channel has delivered its last record. */
  get allDataEnded(): boolean {
    return this.cursors.every((cursor) => cursor.dataEnded || cursor.ended);
  }

  /** The minimum watermark over channels with data to come; finished channels no longer hold time back. */
  combinedWatermark(): number {
    let min = Number.POSITIVE_INFINITY;
    for (const cursor of this.cursors) if (!cursor.ended && !cursor.dataEnded && cursor.watermark < min) min = cursor.watermark;
    return min;
  }

  release(): void {
    for (const cursor of this.cursors) cursor.channel.release();
  }

  private enqueue(index: number): boolean {
    if (this.queued[index]) return false;
    this.queued[index] = true;
    this.ready.push(index);
    return true;
  }
}
