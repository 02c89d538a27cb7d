import type {
  OperatorChain,
  OperatorCounters,
  OperatorSnapshotData,
  RestoredOperatorState,
  SourceDriver,
} from '../../src/runtime/task-contract.js';

/** A non-source operator chain that records what the task hands it, for data-plane tests. */
export class RecordingChain implements OperatorChain {
  readonly source: SourceDriver | undefined = undefined;
  readonly streamedRestore = undefined;
  readonly counters: OperatorCounters = { numRecordsIn: 0, numRecordsOut: 0 };
  readonly records: unknown[] = [];
  readonly watermarks: number[] = [];
  endInputCalls = 0;
  /** What endInput awaits; replace to hold the end of input open. */
  endInputResult: () => Promise<void> = () => Promise.resolve();

  initializeState(_restored: readonly RestoredOperatorState[] | undefined): Promise<void> {
    return Promise.resolve();
  }
  open(): Promise<void> {
    return Promise.resolve();
  }
  processElement(value: unknown): void {
    this.records.push(value);
    this.counters.numRecordsIn++;
  }
  processWatermark(watermark: number): void {
    this.watermarks.push(watermark);
  }
  snapshotState(): OperatorSnapshotData[] {
    return [];
  }
  notifyCheckpointComplete(): Promise<void> {
    return Promise.resolve();
  }
  notifyCheckpointAborted(): void {
    /* nothing pending */
  }
  endInput(): Promise<void> {
    this.endInputCalls++;
    return this.endInputResult();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
