import type { JobGraph } from '../../jobgraph/job-graph.js';
import { computeDefaultMaxParallelism } from '../../runtime/keygroups/index.js';
import type { VertexParallelism } from './execution-graph/execution-graph.js';

/** A vertex's configured parallelism, or the job's, or the cluster's `parallelism.default`. */
export function configuredParallelism(graph: JobGraph, vertexParallelism: number, clusterDefault: number): number {
  if (vertexParallelism > 0) return vertexParallelism;
  return graph.settings.parallelism > 0 ? graph.settings.parallelism : clusterDefault;
}

/** A vertex's max parallelism: set on the operator, else on the job, else Flink's default formula. */
export function configuredMaxParallelism(graph: JobGraph, vertexMaxParallelism: number, parallelism: number): number {
  if (vertexMaxParallelism > 0) return vertexMaxParallelism;
  if (graph.settings.maxParallelism > 0) return graph.settings.maxParallelism;
  return computeDefaultMaxParallelism(parallelism);
}

/** The default scheduler's plan: every vertex at its configured parallelism. */
export function configuredPlan(graph: JobGraph, clusterDefault: number): VertexParallelism {
  return new Map(
    graph.vertices.map((vertex) => {
      const parallelism = configuredParallelism(graph, vertex.parallelism, clusterDefault);
      return [vertex.id, { parallelism, maxParallelism: configuredMaxParallelism(graph, vertex.maxParallelism, parallelism) }];
    }),
  );
}
