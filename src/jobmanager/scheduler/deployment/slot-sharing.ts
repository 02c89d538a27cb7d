import type { Allocation } from '../../slotpool/slot-pool.js';
import type { ExecutionGraph } from '../execution-graph/execution-graph.js';

/** Slots a run needs with slot sharing: per slot sharing group, its largest vertex parallelism. */
export function requiredSlots(graph: ExecutionGraph): number {
  const perGroup = new Map<string, number>();
  for (const vertex of graph.vertices) {
    const group = vertex.jobVertex.slotSharingGroup;
    perGroup.set(group, Math.max(perGroup.get(group) ?? 0, vertex.parallelism));
  }
  let total = 0;
  for (const count of perGroup.values()) total += count;
  return total;
}

/**
 * Puts subtask i of every vertex of a slot sharing group into the group's i-th slot (Flink's
 * execution slot sharing groups), consuming `allocations` group by group.
 */
export function assignSlots(graph: ExecutionGraph, allocations: readonly Allocation[]): void {
  const groups = new Map<string, number>();
  let next = 0;
  for (const vertex of graph.vertices) {
    const group = vertex.jobVertex.slotSharingGroup;
    if (!groups.has(group)) {
      const size = Math.max(...graph.vertices.filter((v) => v.jobVertex.slotSharingGroup === group).map((v) => v.parallelism));
      groups.set(group, next);
      next += size;
    }
    const base = groups.get(group)!;
    for (const execution of vertex.executions) {
      const allocation = allocations[base + execution.subtaskIndex];
      if (allocation === undefined) throw new Error(`not enough slots for ${execution.taskName}`);
      execution.allocation = allocation;
    }
  }
}
