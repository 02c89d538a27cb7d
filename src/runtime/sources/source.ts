/**
 * The source model: a Source cuts its input into splits (deterministically, since there is no
 * JobManager-side enumerator) and creates a reader per subtask; the reader's split positions are
 * the source's checkpointed state (operator list state, SPLIT_DISTRIBUTE), so splits move on rescale.
 */
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import type { SourceStatus, TaskServices } from '../task-contract.js';

/** Whether a source ends by itself. */
export type Boundedness = 'BOUNDED' | 'CONTINUOUS_UNBOUNDED';

/** Where a reader emits the records of one split. */
export interface SplitOutput<T> {
  collect(value: T, timestamp?: number): void;
}

/** What a reader emits into: one output per split, and a signal when a split is done. */
export interface ReaderOutput<T> {
  /** The output of `splitId`; a split takes part in watermarks from its first call until it finishes. */
  forSplit(splitId: string): SplitOutput<T>;
  splitFinished(splitId: string): void;
}

/** One subtask's reader of a source's splits. */
export interface SourceReader<T, Split> {
  /** Connects or opens what it needs; may fail the task with a clear error. */
  start(): void | Promise<void>;
  addSplits(splits: readonly Split[]): void;
  /** Emits up to `budget` records; END_OF_INPUT when no split has anything left and none will come. */
  pollNext(output: ReaderOutput<T>, budget: number): SourceStatus;
  /** Settles when pollNext may have something again. */
  isAvailable(): Promise<void>;
  /** The reader's unfinished splits with their current positions, for a checkpoint. */
  snapshotState(): Split[];
  pendingRecords(): number | undefined;
  close(): void | Promise<void>;
}

/** Identity and services of the subtask a reader runs in. */
export interface SourceReaderContext {
  readonly services: TaskServices;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
}

/** A source of records (Flink's Source), used with `env.fromSource(source, watermarkStrategy, name)`. */
export interface Source<T, Split = unknown> {
  readonly boundedness: Boundedness;
  /** The type of the records. */
  readonly outputType: TypeDescriptor;
  /** Non-parallel sources (collections, sockets) run with parallelism 1 and max parallelism 1. */
  readonly nonParallel: boolean;
  /** The splits subtask `ctx.subtaskIndex` owns at a fresh start. */
  createInitialSplits(ctx: SourceReaderContext): Split[];
  createReader(ctx: SourceReaderContext): SourceReader<T, Split>;
  /** Type of a split's state in checkpoints (GENERIC when undefined). */
  readonly splitType?: TypeDescriptor;
}
