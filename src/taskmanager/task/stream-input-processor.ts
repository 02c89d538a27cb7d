import { MAX_WATERMARK, type OperatorChain, type StreamedKeyedRestore } from '../../runtime/task-contract.js';
import type { ChannelCursor, InputGate } from '../network/input-gate.js';
import { CheckpointBarrier, EndOfDataEvent, EndOfPartitionEvent, StreamEvent, WatermarkEvent } from '../network/stream-elements.js';
import type { CheckpointBarrierHandler } from './barrier-handler.js';

/** What one processing step achieved. */
export interface StepResult {
  readonly records: number;
  /** Every channel has delivered its last record and the chain has been told (MAX watermark delivered). */
  readonly endOfData: boolean;
  /** Every channel has ended its partition: nothing, not even a barrier, can come any more. */
  readonly endOfPartitions: boolean;
  /** Input is held until restored state arrives (a streamed restore): the task waits to be woken. */
  readonly waitingForState: boolean;
}

/** The keyed head's streamed restore as the processor sees it: what a record waits for, and whom to tell. */
export interface ArrivingState {
  readonly target: StreamedKeyedRestore;
  /** A record waits for group offset `offset`: it should be read next. */
  needs(offset: number): void;
}

/**
 * Feeds a task's chain from its input gate: records straight to the chain, watermarks through a
 * valve that forwards the minimum over open channels when it advances, barriers to the barrier
 * handler, and the end of every channel as a final MAX watermark.
 */
export class StreamInputProcessor {
  private lastWatermark = Number.NEGATIVE_INFINITY;
  private endOfInputSignalled = false;
  /** Records handed to the chain. */
  numRecordsIn = 0;
  /** Set while restored state is still arriving; cleared (and never checked again) once all of it is here. */
  private arriving: ArrivingState | undefined;
  private waitingForState = false;

  constructor(
    private readonly gate: InputGate,
    private readonly chain: OperatorChain,
    private readonly barriers: CheckpointBarrierHandler,
    arriving?: ArrivingState,
  ) {
    this.arriving = arriving;
  }

  /** Processes up to `budget` records (whole batches where possible) across ready channels. */
  step(budget: number, mayContinue: () => boolean): StepResult {
    let records = 0;
    this.waitingForState = false;
    if (this.arriving !== undefined && this.arriving.target.groupsToArrive === 0) this.arriving = undefined;
    while (records < budget && mayContinue() && !this.waitingForState) {
      const cursor = this.gate.nextReady();
      if (cursor === undefined) break;
      records += this.drain(cursor, budget - records);
      this.gate.requeue(cursor);
    }
    this.numRecordsIn += records;
    return { records, endOfData: this.checkEndOfData(), endOfPartitions: this.gate.allEnded, waitingForState: this.waitingForState };
  }

  /**
   * Whether the element at `i` must wait for restored state: a record whose key group has not
   * arrived (that group is asked for first), or any event while some group is missing, since a
   * watermark fires restored timers, a barrier snapshots every group and the end of input flushes.
   * Records of one channel stay in order: the channel stops at the first that waits.
   */
  private mustWait(arriving: ArrivingState, value: unknown): boolean {
    if (value instanceof StreamEvent) return true;
    const missing = arriving.target.missingGroupFor(value);
    if (missing === undefined) return false;
    arriving.needs(missing);
    return true;
  }

  private drain(cursor: ChannelCursor, budget: number): number {
    const batch = cursor.batch!;
    const { values, timestamps } = batch;
    const chain = this.chain;
    const arriving = this.arriving;
    let records = 0;
    let i = cursor.position;
    for (; i < values.length && records < budget; i++) {
      const value = values[i];
      if (arriving !== undefined && this.mustWait(arriving, value)) {
        cursor.position = i;
        this.waitingForState = true;
        return records;
      }
      if (value instanceof StreamEvent) {
        cursor.position = i + 1;
        this.onEvent(cursor, value);
        if (cursor.blocked || cursor.ended) return records;
        continue;
      }
      const timestamp = timestamps[i]!;
      chain.processElement(value, timestamp === timestamp ? timestamp : undefined);
      records++;
    }
    cursor.position = i;
    return records;
  }

  private onEvent(cursor: ChannelCursor, event: StreamEvent): void {
    if (event instanceof WatermarkEvent) {
      if (event.timestamp > cursor.watermark) cursor.watermark = event.timestamp;
      this.advanceWatermark();
    } else if (event instanceof CheckpointBarrier) {
      this.barriers.onBarrier(cursor, event);
    } else if (event instanceof EndOfDataEvent) {
      cursor.dataEnded = true;
      this.advanceWatermark();
    } else if (event instanceof EndOfPartitionEvent) {
      cursor.ended = true;
      this.barriers.onEndOfPartition(cursor);
      this.advanceWatermark();
    }
  }

  private advanceWatermark(): void {
    const combined = this.gate.combinedWatermark();
    if (combined === Number.POSITIVE_INFINITY || combined <= this.lastWatermark) return;
    this.lastWatermark = combined;
    this.chain.processWatermark(combined);
  }

  /** The last watermark the chain received (for `currentInputWatermark`). */
  get currentWatermark(): number {
    return this.lastWatermark;
  }

  private checkEndOfData(): boolean {
    if (this.endOfInputSignalled) return true;
    if (!this.gate.allDataEnded) return false;
    this.endOfInputSignalled = true;
    if (this.lastWatermark < MAX_WATERMARK) {
      this.lastWatermark = MAX_WATERMARK;
      this.chain.processWatermark(MAX_WATERMARK);
    }
    return true;
  }
}
