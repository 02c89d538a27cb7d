import type { ExecutionAttemptId } from '../../core/ids.js';
import type { TypeSerializer } from '../../runtime/serialization/index.js';
import { ResultSubpartition } from './result-subpartition.js';

/** Identifies a partition on its TaskManager: the producing attempt and its out edge. */
export function partitionKey(producerAttemptId: ExecutionAttemptId, partitionIndex: number): string {
  return `${producerAttemptId}#${partitionIndex}`;
}

/**
 * What one producer subtask writes for one out edge: a subpartition per consumer channel, and the
 * serializer remote consumers' batches are encoded with.
 */
export class ResultPartition {
  readonly subpartitions: ResultSubpartition[];
  private spaceWaiters: Array<() => void> = [];
  private consumedWaiters: Array<() => void> = [];
  private released = false;
  /** Bytes sent to remote consumers, for metrics. */
  bytesSent = 0;

  constructor(
    readonly key: string,
    numberOfSubpartitions: number,
    readonly serializer: TypeSerializer<unknown>,
  ) {
    this.subpartitions = Array.from({ length: numberOfSubpartitions }, () => new ResultSubpartition());
    for (const subpartition of this.subpartitions) {
      subpartition.onSpace = () => this.notifySpace();
      subpartition.onConsumed = () => this.notifyConsumed();
    }
  }

  /** True when every subpartition can take another batch without exceeding its bound. */
  get isWritable(): boolean {
    for (const subpartition of this.subpartitions) if (!subpartition.isWritable) return false;
    return true;
  }

  /** Settles when a subpartition makes room (or the partition is released). */
  whenWritable(): Promise<void> {
    if (this.isWritable || this.released) return Promise.resolve();
    return new Promise((resolve) => this.spaceWaiters.push(resolve));
  }

  flush(): void {
    for (const subpartition of this.subpartitions) subpartition.flush();
  }

  /** Every consumer has taken the end of the partition. */
  get isFullyConsumed(): boolean {
    return this.subpartitions.every((s) => s.consumed);
  }

  /** Settles once every consumer has read the end of the partition, or it was released. */
  whenFullyConsumed(): Promise<void> {
    if (this.isFullyConsumed || this.released) return Promise.resolve();
    return new Promise((resolve) => this.consumedWaiters.push(resolve));
  }

  get isReleased(): boolean {
    return this.released;
  }

  release(): void {
    this.released = true;
    for (const subpartition of this.subpartitions) subpartition.release();
    this.notifySpace();
    this.notifyConsumed();
  }

  private notifyConsumed(): void {
    if (!this.isFullyConsumed && !this.released) return;
    const waiters = this.consumedWaiters;
    this.consumedWaiters = [];
    for (const waiter of waiters) waiter();
  }

  /** Called when any subpartition has room again or was fully consumed. */
  notifySpace(): void {
    if (!this.isWritable && !this.released) return;
    const waiters = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const waiter of waiters) waiter();
  }
}
