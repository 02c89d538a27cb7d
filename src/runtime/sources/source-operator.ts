/**
 * The head of a source chain (Flink's SourceOperator): drives the reader for the task, applies the
 * source's WatermarkStrategy per split (watermark = min over the splits in play), checkpoints the
 * reader's split positions, and emits MAX_WATERMARK before reporting the end of input.
 */
import { AbstractStreamOperator } from '../operators/abstract-stream-operator.js';
import type { OperatorListState } from '../state/operator-state-backend.js';
import { MAX_WATERMARK, type OperatorSnapshotData, type SnapshotOptions, type SourceDriver, type SourceStatus } from '../task-contract.js';
import type { WatermarkStrategy } from '../watermarks/watermark-strategy.js';
import { SplitWatermarks } from './split-watermarks.js';
import type { Source, SourceReader, SourceReaderContext } from './source.js';

const SPLIT_STATE = 'SourceReaderState';

/** Runs one subtask's reader of a Source. */
export class SourceOperator extends AbstractStreamOperator implements SourceDriver {
  /** Made in open(); metrics may ask for the backlog before (a task still restoring) or after a failed open. */
  private reader: SourceReader<unknown, unknown> | undefined;
  private splitState!: OperatorListState<unknown>;
  private splits: unknown[] = [];
  private watermarks!: SplitWatermarks;
  private ended = false;
  /** Records the reader emitted: the source operator's numRecordsIn/Out, which a chained tail cannot tell. */
  numRecordsOut = 0;

  constructor(
    private readonly source: Source<unknown, unknown>,
    private readonly strategy: WatermarkStrategy<unknown>,
  ) {
    super();
  }

  private readerContext(): SourceReaderContext {
    const s = this.services;
    return { services: s, subtaskIndex: s.subtaskIndex, parallelism: s.parallelism, maxParallelism: s.maxParallelism };
  }

  protected override initializeOperatorState(isRestore: boolean): void {
    this.splitState = this.operatorState.getListState(SPLIT_STATE, 'SPLIT_DISTRIBUTE', this.source.splitType);
    this.splits = isRestore ? [...this.splitState.get()] : this.source.createInitialSplits(this.readerContext());
  }

  override async open(): Promise<void> {
    const output = this.output;
    const counting = {
      collect: (value: unknown, timestamp: number | undefined): void => {
        this.numRecordsOut++;
        output.collect(value, timestamp);
      },
      emitWatermark: (watermark: number): void => output.emitWatermark(watermark),
    };
    this.watermarks = new SplitWatermarks(this.strategy, counting, this.services);
    const reader = this.source.createReader(this.readerContext());
    this.reader = reader;
    await reader.start();
    reader.addSplits(this.splits);
    this.watermarks.start();
  }

  /** The reader, which every call but metrics and close may take for granted: the task runs them after open(). */
  private get openReader(): SourceReader<unknown, unknown> {
    if (this.reader === undefined) throw new Error('the source was used before it was opened');
    return this.reader;
  }

  processElement(): void {
    throw new Error('A source operator has no input');
  }

  emitNext(budget: number): SourceStatus {
    if (this.ended) return 'END_OF_INPUT';
    const status = this.openReader.pollNext(this.watermarks, budget);
    if (status === 'END_OF_INPUT') this.finishNow();
    return status;
  }

  finishNow(): void {
    if (this.ended) return;
    this.ended = true;
    this.watermarks.stop();
    // Event time ends with the input: every window and event-time timer downstream fires.
    this.output.emitWatermark(MAX_WATERMARK);
  }

  whenAvailable(): Promise<void> {
    return this.openReader.isAvailable();
  }

  pendingRecords(): number | undefined {
    return this.reader?.pendingRecords();
  }

  override snapshotState(checkpointId: number, timestamp: number, options?: SnapshotOptions): OperatorSnapshotData | undefined {
    this.splitState.update(this.openReader.snapshotState());
    return super.snapshotState(checkpointId, timestamp, options);
  }

  override async close(): Promise<void> {
    this.watermarks?.stop();
    await this.reader?.close();
    await super.close();
  }
}
