/** How records cross an edge, as Flink's plan names it; HASH (keyBy) edges make a vertex align to key groups. */
export type ShipStrategy = 'HASH' | 'FORWARD' | 'REBALANCE' | 'RESCALE' | 'BROADCAST' | 'UNKNOWN';

/** One input edge of a vertex. */
export interface VertexInput {
  readonly from: string;
  readonly ship: ShipStrategy;
}

/** A job vertex as the autoscaler sees it: its current and maximum parallelism and its inputs. */
export interface VertexInfo {
  readonly id: string;
  readonly name: string;
  readonly parallelism: number;
  /** The number of key groups (Flink's max parallelism); no parallelism may exceed it. */
  readonly maxParallelism: number;
  readonly inputs: readonly VertexInput[];
}

/** The job's vertices in topological order (every vertex after all of its inputs). */
export interface JobTopology {
  readonly vertices: readonly VertexInfo[];
}

/** Whether a vertex reads from outside the job (it has no input edges). */
export function isSource(vertex: VertexInfo): boolean {
  return vertex.inputs.length === 0;
}

/** A key that changes exactly when some vertex's parallelism changes (a rescale happened). */
export function parallelismSignature(topology: JobTopology): string {
  return topology.vertices.map((v) => `${v.id}=${v.parallelism}`).join(',');
}
