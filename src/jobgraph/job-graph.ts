import type { JobId, OperatorId, VertexId } from '../core/ids.js';
import type { TypeDescriptor } from './type-descriptor.js';

/** How records of an edge are spread over the consumer's subtasks (Flink's ship strategies). */
export type ShipStrategy = 'FORWARD' | 'HASH' | 'REBALANCE' | 'RESCALE' | 'BROADCAST';

/** One operator inside a vertex's chain, head first. Plain data: no user code. */
export interface OperatorDescriptor {
  /** Stable across runs of the same program: from `uid()` when set, otherwise from the graph's shape. */
  readonly id: OperatorId;
  readonly uid: string | undefined;
  readonly name: string;
  /** What the operator does, e.g. `source`, `map`, `keyed-process`, `window`, `sink`. */
  readonly kind: string;
  /** True when it keeps keyed state (its input is keyed). */
  readonly keyed: boolean;
}

/** A data connection from a producer vertex to a consumer vertex. */
export interface JobEdge {
  readonly source: VertexId;
  readonly target: VertexId;
  readonly shipStrategy: ShipStrategy;
  /** Index of this edge among the target's inputs (0 for the first). */
  readonly inputIndex: number;
  /** Type of the records on the edge, from which both ends build the serializer. */
  readonly type: TypeDescriptor;
}

/** A unit of scheduling: a chain of operators that runs as one task per subtask. */
export interface JobVertex {
  readonly id: VertexId;
  /** Flink style: `Source: gen -> Timestamps/Watermarks`. */
  readonly name: string;
  /** Configured parallelism; -1 means `parallelism.default`. */
  readonly parallelism: number;
  /** Configured max parallelism; -1 means derived by Flink's default formula. */
  readonly maxParallelism: number;
  readonly slotSharingGroup: string;
  readonly operators: readonly OperatorDescriptor[];
  /** Edges feeding this vertex; empty for sources. */
  readonly inputs: readonly JobEdge[];
  readonly isSource: boolean;
}

/** Settings a job carries from its environment (the program's own choices beat the cluster's). */
export interface JobGraphSettings {
  /** -1: not set by the program, the cluster's `parallelism.default` applies. */
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly autoWatermarkIntervalMs: number;
  /** Checkpoint interval set by the program; undefined: the cluster's option applies. */
  readonly checkpointIntervalMs: number | undefined;
  readonly bufferTimeoutMs: number;
  /** Program arguments, as the main received them. */
  readonly programArgs: readonly string[];
}

/** The job as the JobManager schedules it: vertices in topological order, edges, settings. */
export interface JobGraph {
  readonly jobName: string;
  readonly jobType: 'STREAMING' | 'BATCH';
  readonly vertices: readonly JobVertex[];
  readonly settings: JobGraphSettings;
  /** sha256 of the graph's shape; TaskManagers rebuild the graph and must get the same. */
  readonly fingerprint: string;
}

/** A JobGraph bound to the id it runs under. */
export interface SubmittedJob {
  readonly jobId: JobId;
  readonly graph: JobGraph;
}
