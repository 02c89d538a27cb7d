import type { ExecutionAttemptId, JobId, VertexId } from '../../../core/ids.js';
import type { JobEdge, JobGraph, JobVertex } from '../../../jobgraph/job-graph.js';
import { Execution } from './execution.js';
import { ExecutionJobVertex } from './execution-job-vertex.js';

/** The parallelism chosen for each vertex of one run. */
export type VertexParallelism = ReadonlyMap<string, { readonly parallelism: number; readonly maxParallelism: number }>;

/** A forward edge between equal parallelism is pointwise (subtask i to i); anything else is all-to-all. */
export function isPointwise(producer: ExecutionJobVertex, consumer: ExecutionJobVertex, edge: JobEdge): boolean {
  return edge.shipStrategy === 'FORWARD' && producer.parallelism === consumer.parallelism;
}

/**
 * One run of a job at fixed parallelism: every subtask's current attempt. A restart or rescale
 * builds a new graph; attempt numbers carry on from `attemptNumber`.
 */
export class ExecutionGraph {
  readonly vertices: ExecutionJobVertex[];
  private readonly byAttempt = new Map<string, Execution>();

  constructor(
    readonly jobId: JobId,
    readonly jobGraph: JobGraph,
    plan: VertexParallelism,
    readonly attemptNumber: number,
  ) {
    this.vertices = jobGraph.vertices.map((vertex) => {
      const chosen = plan.get(vertex.id);
      if (chosen === undefined) throw new Error(`no parallelism planned for vertex ${vertex.name}`);
      return new ExecutionJobVertex(vertex, chosen.parallelism, chosen.maxParallelism, attemptNumber);
    });
    for (const execution of this.executions()) this.byAttempt.set(execution.attemptId, execution);
  }

  executions(): Execution[] {
    return this.vertices.flatMap((vertex) => vertex.executions);
  }

  execution(attemptId: ExecutionAttemptId): Execution | undefined {
    return this.byAttempt.get(attemptId);
  }

  /**
   * Replaces a subtask's attempt with the next one (attempt number + 1) in the same slot, for a
   * region restart. The old attempt stays findable by id, so its late reports are still recognised
   * (and ignored, as it is terminal).
   */
  newAttempt(previous: Execution): Execution {
    const vertex = previous.vertex;
    if (vertex.executions[previous.subtaskIndex] !== previous) throw new Error(`${previous.taskName} is not a current attempt`);
    const next = new Execution(vertex, previous.subtaskIndex, previous.attemptNumber + 1);
    next.allocation = previous.allocation;
    vertex.executions[previous.subtaskIndex] = next;
    this.byAttempt.set(next.attemptId, next);
    return next;
  }

  /** The highest attempt number of any subtask: a region restart raises it for some subtasks only. */
  get latestAttemptNumber(): number {
    return Math.max(this.attemptNumber, ...this.executions().map((execution) => execution.attemptNumber));
  }

  vertex(vertexId: VertexId): ExecutionJobVertex | undefined {
    return this.vertices.find((vertex) => vertex.id === vertexId);
  }

  /**
   * The out edges of a vertex in a fixed order (consumers in topological order, then their inputs);
   * an edge's position is the index of the producer partition it reads.
   */
  outEdges(vertex: JobVertex): Array<{ target: ExecutionJobVertex; edge: JobEdge; edgeIndex: number }> {
    const out: Array<{ target: ExecutionJobVertex; edge: JobEdge; edgeIndex: number }> = [];
    for (const target of this.vertices) {
      for (const edge of target.jobVertex.inputs) if (edge.source === vertex.id) out.push({ target, edge, edgeIndex: out.length });
    }
    return out;
  }

  /**
   * The executions `execution` reads from on `edge`: subtask i of the producer on a pointwise edge,
   * every producer subtask otherwise.
   */
  producersOn(execution: Execution, edge: JobEdge): Execution[] {
    const producer = this.vertex(edge.source);
    if (producer === undefined) throw new Error(`edge from unknown vertex ${edge.source}`);
    return isPointwise(producer, execution.vertex, edge) ? [producer.executions[execution.subtaskIndex]!] : producer.executions;
  }

  /** Every execution `execution` reads from, over all its inputs. */
  producersOf(execution: Execution): Execution[] {
    return execution.vertex.jobVertex.inputs.flatMap((edge) => this.producersOn(execution, edge));
  }

  /** The parallelism of every vertex, for plans and REST. */
  get plan(): VertexParallelism {
    return new Map(this.vertices.map((v) => [v.id, { parallelism: v.parallelism, maxParallelism: v.maxParallelism }]));
  }

  allInState(...states: Array<Execution['state']>): boolean {
    return this.executions().every((execution) => states.includes(execution.state));
  }
}
