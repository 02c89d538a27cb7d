import type { AllocationId, ExecutionAttemptId, JobId, OperatorId, ResourceId, VertexId } from '../../core/ids.js';
import type { JobEdge } from '../../jobgraph/job-graph.js';

/** One producer subtask an input gate reads from. */
export interface InputChannelDescriptor {
  readonly producerAttemptId: ExecutionAttemptId;
  /** Index of the producer's out edge whose partition this channel reads. */
  readonly partitionIndex: number;
  /** Which subpartition of that partition belongs to this consumer. */
  readonly subpartitionIndex: number;
  readonly producerResourceId: ResourceId;
  /** The producer's slot on its TaskManager: a consumer in another slot of the same one reads it from that slot's thread. */
  readonly producerSlotIndex: number;
  readonly producerDataAddress: string;
}

/** The input of a subtask for one in edge: one channel per producer subtask it reads from. */
export interface InputGateDescriptor {
  readonly edge: JobEdge;
  readonly channels: readonly InputChannelDescriptor[];
}

/** The output of a subtask for one out edge: a partition with one subpartition per consumer channel. */
export interface ResultPartitionDescriptor {
  readonly partitionIndex: number;
  readonly edge: JobEdge;
  readonly numberOfSubpartitions: number;
  /** Consumer's max parallelism, for key-group hashing. */
  readonly consumerMaxParallelism: number;
  /** True when each producer feeds exactly one consumer (forward with equal parallelism). */
  readonly pointwise: boolean;
}

/** Where a restored subtask finds its state: handles resolved by the task layer before the chain sees bytes. */
export interface TaskRestoreDescriptor {
  readonly checkpointId: number;
  /** Per operator: byte ranges of keyed state and the entries of list states assigned to this subtask. */
  readonly operators: readonly OperatorRestoreDescriptor[];
}

/** A slice of a state blob: inline bytes or a file region. */
export type StateSlice =
  | { readonly kind: 'inline'; readonly bytes: Uint8Array }
  | { readonly kind: 'file'; readonly path: string; readonly offset: number; readonly length: number; readonly crc32: number };

/** Bytes a slice covers (0 for none). */
export function sliceBytes(slice: StateSlice | null): number {
  if (slice === null) return 0;
  return slice.kind === 'inline' ? slice.bytes.byteLength : slice.length;
}

/** A key group's state in a checkpoint: its full base (null: empty at the base) and the deltas written after it, in order. */
export interface GroupChain {
  readonly base: StateSlice | null;
  readonly deltas: readonly StateSlice[];
}

/** One operator's share of a restored checkpoint. */
export interface OperatorRestoreDescriptor {
  readonly operatorId: OperatorId;
  readonly keyGroupSlices: readonly StateSlice[];
  /**
   * The same slices by key group: the chain of every group of the subtask's range, in group order
   * (absent when the operator has no keyed state). A restore can read the groups one by one.
   */
  readonly keyGroupChains?: readonly GroupChain[];
  /**
   * Later incremental checkpoints may reference the chains' slices (all are this job's shared
   * files, not a savepoint's): the new run's first checkpoint then writes only what changed.
   */
  readonly chainsReusable?: boolean;
  readonly listStates: ReadonlyArray<{
    readonly name: string;
    readonly mode: 'SPLIT_DISTRIBUTE' | 'UNION' | 'BROADCAST';
    readonly entries: readonly StateSlice[];
  }>;
}

/** Checkpoint settings a task needs. */
export interface TaskCheckpointSettings {
  readonly enabled: boolean;
  readonly mode: 'EXACTLY_ONCE' | 'AT_LEAST_ONCE';
  /** Where the task writes its snapshots; undefined: they travel to the JobManager's memory. */
  readonly checkpointDirectory: string | undefined;
  /** Checkpoints (not savepoints) write only what changed since the last completed one. */
  readonly incremental?: boolean;
  /** Snapshots of fewer bytes go inline in the acknowledgement rather than into a file (0 or absent: never). */
  readonly inlineThreshold?: number;
  /**
   * Where snapshot files of subsumed checkpoints wait to be overwritten: a task claims one (by
   * renaming it to its snapshot's path) instead of creating a new file. Absent: no recycling.
   */
  readonly spareDirectory?: string;
}

/** Everything a TaskManager needs to run one attempt of one subtask. */
export interface TaskDeploymentDescriptor {
  readonly jobId: JobId;
  readonly jobName: string;
  readonly vertexId: VertexId;
  readonly vertexName: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly attemptId: ExecutionAttemptId;
  readonly attemptNumber: number;
  readonly slotIndex: number;
  readonly allocationId: AllocationId;
  /** The graph's fingerprint; the TaskManager's rebuild of the program must match it. */
  readonly fingerprint: string;
  readonly inputs: readonly InputGateDescriptor[];
  readonly outputs: readonly ResultPartitionDescriptor[];
  readonly restore: TaskRestoreDescriptor | undefined;
  readonly checkpointing: TaskCheckpointSettings;
  readonly bufferTimeoutMs: number;
  readonly autoWatermarkIntervalMs: number;
}
