/**
 * The contract between a task (taskmanager/: channels, barriers, scheduling, checkpoint transport)
 * and what runs inside it (runtime/: operators, state, timers, serializers). The task owns the
 * threading model: every method here is called from the task's mailbox, one at a time, and every
 * callback the task hands out (timers) is run from that mailbox too.
 */
import type { JobId, OperatorId, VertexId } from '../core/ids.js';
import type { Logger } from '../core/logging.js';
import type { JobEdge, JobGraph } from '../jobgraph/job-graph.js';

/** A scheduled callback that can be withdrawn. */
export interface Cancellable {
  cancel(): void;
}

/** Wall-clock time and timers, fired inside the task's mailbox. */
export interface ProcessingTimeService {
  now(): number;
  /** Runs `callback(timestamp)` at or after `timestamp` (epoch ms). */
  registerTimer(timestamp: number, callback: (timestamp: number) => void): Cancellable;
  /** Runs `callback` every `periodMs`, first after `initialDelayMs`. */
  scheduleAtFixedRate(callback: () => void, initialDelayMs: number, periodMs: number): Cancellable;
}

/** Counters the operators of a chain update; the task reads them for metrics. */
export interface OperatorCounters {
  numRecordsIn: number;
  numRecordsOut: number;
}

/** Identity of one subtask and the services it may use. */
export interface TaskServices {
  readonly jobId: JobId;
  readonly jobName: string;
  readonly vertexId: VertexId;
  readonly taskName: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly attemptNumber: number;
  readonly processingTime: ProcessingTimeService;
  /** Writes one line to the TaskManager's stdout (the `.out` file), as `print()` does. */
  readonly stdout: (line: string) => void;
  readonly logger: Logger;
  /** `pipeline.auto-watermark-interval` in ms, resolved from the job and the cluster. */
  readonly autoWatermarkIntervalMs: number;
  /** Whether checkpointing is on, so two-phase sinks know to wait for commits. */
  readonly checkpointingEnabled: boolean;
}

/** Where the tail of a chain sends what it produces; the task partitions it over the out edges. */
export interface ChainOutput {
  collect(value: unknown, timestamp: number | undefined): void;
  emitWatermark(watermark: number): void;
}

/** What a source chain can do next. */
export type SourceStatus = 'MORE_AVAILABLE' | 'NOTHING_AVAILABLE' | 'END_OF_INPUT';

/** Driven by the task when the chain's head is a source. */
export interface SourceDriver {
  /** Emits up to `budget` records through the chain, synchronously. */
  emitNext(budget: number): SourceStatus;
  /** Settles when `emitNext` may have something again (rate limit passed, bytes arrived). */
  whenAvailable(): Promise<void>;
  /** Total records the source knows are still to come, when it knows (for `pendingRecords`). */
  pendingRecords(): number | undefined;
  /** Records the reader emitted so far (the source operator's numRecordsIn and numRecordsOut). */
  readonly numRecordsOut: number;
  /** Ends the input now (stop-with-savepoint `--drain`): MAX_WATERMARK goes out, and `emitNext` reports the end from then on. */
  finishNow(): void;
}

/** How a named operator list state is redistributed when parallelism changes (Flink's modes). */
export type ListStateMode = 'SPLIT_DISTRIBUTE' | 'UNION' | 'BROADCAST';

/** A key group of an incremental snapshot that did not change since its base: the base's chain stays. */
export const UNCHANGED_GROUP = 'unchanged';

/** What a snapshot is for: savepoints are always full; checkpoints may be incremental. */
export interface SnapshotOptions {
  readonly savepoint?: boolean;
  /** `execution.checkpointing.incremental`: write only what changed since the last completed checkpoint. */
  readonly incremental?: boolean;
  /**
   * A planned rescale waits for this checkpoint with its sources halted: an incremental one writes
   * deltas only and leaves the rebasing of long chains to the next checkpoint.
   */
  readonly deferRebase?: boolean;
}

/**
 * Keyed state at a checkpoint, one encoded chunk per key group of the subtask's range from `start`.
 * Taking it copies nothing; chunks are encoded as they are asked for, or just before their group
 * changes, so the writer may take them while records keep flowing.
 */
export interface KeyedStateSnapshot {
  readonly start: number;
  /** Number of key groups, so chunk offsets run 0 … size − 1. */
  readonly size: number;
  /**
   * The completed checkpoint whose chains this snapshot extends: chunks may then be deltas
   * (`isDeltaChunk`) or UNCHANGED_GROUP. Undefined: every chunk is a full group.
   */
  readonly baseCheckpointId?: number | undefined;
  /**
   * The chunk of group `start + offset` as it was at the barrier, undefined for an empty group;
   * handed over once. With `borrow`, the bytes may be a view that the next call to the snapshot
   * (or a change to the state) overwrites: the caller copies them before it yields.
   */
  chunk(offset: number, borrow?: boolean): Uint8Array | undefined | typeof UNCHANGED_GROUP;
  /**
   * A group already encoded because it was about to change and not yet handed over, if any: the
   * writer takes these first, so the bytes kept for it stay few while records keep changing groups.
   */
  nextReady(): number | undefined;
  /** The writer is done (or gave up): the state stops keeping groups for it. */
  release(): void;
}

/** The state one operator of one subtask hands over at a checkpoint; list state already copied. */
export interface OperatorSnapshotData {
  readonly operatorId: OperatorId;
  /** Keyed state, taken chunk by chunk by the writer. */
  readonly keyGroups?: KeyedStateSnapshot;
  /** Non-keyed list states, each entry encoded on its own so the JobManager can redistribute without decoding. */
  readonly listStates?: ReadonlyArray<{ readonly name: string; readonly mode: ListStateMode; readonly entries: readonly Uint8Array[] }>;
}

/** The size of one key group's chain in a checkpoint: its base, its deltas, and how many deltas. */
export interface RestoredChainShape {
  readonly baseBytes: number;
  readonly deltaBytes: number;
  readonly deltas: number;
}

/**
 * The checkpoint a keyed backend was restored from, when its incremental checkpoints may build on
 * it (its files are this job's shared files): the chain shape of every group of the range, in order.
 */
export interface RestoredIncrementalBase {
  readonly checkpointId: number;
  readonly groups: readonly RestoredChainShape[];
}

/** The state one operator of one new subtask restores: its key groups' chunks and its share of list state. */
export interface RestoredOperatorState {
  readonly operatorId: OperatorId;
  readonly keyGroupChunks: readonly Uint8Array[];
  /** Present when the first checkpoint after the restore may be incremental on the restored one. */
  readonly incrementalBase?: RestoredIncrementalBase;
  readonly listStates: ReadonlyArray<{ readonly name: string; readonly mode: ListStateMode; readonly entries: readonly Uint8Array[] }>;
}

/**
 * A keyed operator whose restored key groups can arrive after it opened (a streamed restore): the
 * task reads them in the background and hands each over as it arrives, while records whose group
 * is here are processed.
 */
export interface StreamedKeyedRestore {
  /** Group offsets `offsets` (in the subtask's key-group range) arrive later. */
  expect(offsets: readonly number[]): void;
  /** One group's chunks (base, then deltas), read and checked. */
  arrive(offset: number, chunks: readonly Uint8Array[]): void;
  /** The group offset a record of `value` waits for; undefined when it can be processed now. */
  missingGroupFor(value: unknown): number | undefined;
  /** Groups still to arrive. */
  readonly groupsToArrive: number;
}

/** The operators of one subtask, chained; the task feeds it and snapshots it. */
export interface OperatorChain {
  /** Present when the head is a source; the task then calls `source.emitNext` instead of `processElement`. */
  readonly source: SourceDriver | undefined;
  /** The head operator and its streamed restore, when the head has keyed input. */
  readonly streamedRestore: { readonly operatorId: OperatorId; readonly target: StreamedKeyedRestore } | undefined;
  /** Loads state (undefined: fresh start); called once before `open`. */
  initializeState(restored: readonly RestoredOperatorState[] | undefined): Promise<void>;
  open(): Promise<void>;
  processElement(value: unknown, timestamp: number | undefined): void;
  /** The combined watermark of all input channels, only when it advances. */
  processWatermark(watermark: number): void;
  /** Every operator's state at this point: list state copied, keyed state copy-on-write; the task writes it out asynchronously. */
  snapshotState(checkpointId: number, timestamp: number, options?: SnapshotOptions): OperatorSnapshotData[];
  notifyCheckpointComplete(checkpointId: number): Promise<void>;
  notifyCheckpointAborted(checkpointId: number): void;
  /** All inputs ended (a final MAX watermark was delivered first); flush what is buffered. */
  endInput(): Promise<void>;
  /** Releases resources; after a failure as well as after a finish. */
  close(): Promise<void>;
  /** Counters of the chain as a whole: records into the head, records out of the tail. */
  readonly counters: OperatorCounters;
}

/** Picks the consumer subtask(s) of a record on one out edge. */
export interface Partitioner {
  /** A channel index in [0, numChannels), or -1 for all channels (broadcast). */
  selectChannel(value: unknown): number;
}

/** A job program as the runtime needs it: its graph and the code behind the graph's operators. */
export interface JobProgram {
  readonly graph: JobGraph;
  /** Builds the chain of `vertexId` for one subtask. */
  createChain(vertexId: VertexId, services: TaskServices, output: ChainOutput): OperatorChain;
  /**
   * Builds the partitioner of one out edge for `numChannels` consumer subtasks, as used by producer
   * subtask `producerSubtaskIndex` (FORWARD edges send to `producerSubtaskIndex % numChannels`).
   */
  createPartitioner(edge: JobEdge, numChannels: number, maxParallelism: number, producerSubtaskIndex: number): Partitioner;
}

/** Flink's Long.MIN_VALUE watermark (no watermark yet); -2^63 is exact as a double. */
export const MIN_WATERMARK = -(2 ** 63);
/** Flink's Long.MAX_VALUE watermark (end of input, global window end); 2^63 stands for it, as a double cannot hold 2^63-1. */
export const MAX_WATERMARK = 2 ** 63;
