import type { VertexId } from '../../../../core/ids.js';
import type { JobGraph } from '../../../../jobgraph/job-graph.js';
import { computeDefaultMaxParallelism } from '../../../../runtime/keygroups/index.js';
import { configuredMaxParallelism, configuredParallelism } from '../../parallelism-plan.js';

/** The parallelism range the Adaptive Scheduler may give one vertex. */
export interface VertexBounds {
  readonly vertexId: VertexId;
  readonly name: string;
  readonly slotSharingGroup: string;
  readonly lower: number;
  readonly upper: number;
  readonly maxParallelism: number;
}

/** Per-vertex bounds set through REST (Flink's JobResourceRequirements); -1 means the default. */
export type ResourceRequirements = ReadonlyMap<string, { readonly lowerBound: number; readonly upperBound: number }>;

/**
 * Each vertex's bounds: in Reactive Mode the configured parallelism is ignored and the max
 * parallelism is the only ceiling (Flink's computeReactiveModeVertexParallelismStore); otherwise the
 * configured parallelism is the ceiling. REST requirements narrow both.
 */
export function vertexBounds(
  graph: JobGraph,
  reactive: boolean,
  clusterDefaultParallelism: number,
  requirements: ResourceRequirements | undefined,
): VertexBounds[] {
  return graph.vertices.map((vertex) => {
    const configured = configuredParallelism(graph, vertex.parallelism, clusterDefaultParallelism);
    // Reactive mode derives the default max parallelism from the configured parallelism with
    // "default" counted as 1, so key-group counts never depend on the cluster's size.
    const maxParallelism = reactive
      ? vertex.maxParallelism > 0
        ? vertex.maxParallelism
        : graph.settings.maxParallelism > 0
          ? graph.settings.maxParallelism
          : computeDefaultMaxParallelism(Math.max(1, vertex.parallelism))
      : configuredMaxParallelism(graph, vertex.maxParallelism, configured);
    const requested = requirements?.get(vertex.id);
    const upperDefault = reactive ? maxParallelism : Math.min(configured, maxParallelism);
    const upper = requested !== undefined && requested.upperBound > 0 ? Math.min(requested.upperBound, maxParallelism) : upperDefault;
    const lower = requested !== undefined && requested.lowerBound > 0 ? Math.min(requested.lowerBound, upper) : 1;
    return { vertexId: vertex.id, name: vertex.name, slotSharingGroup: vertex.slotSharingGroup, lower, upper, maxParallelism };
  });
}
