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

/** Where each slot sharing group's slots start in a run's allocations, and how many it takes. */
export function slotSharingLayout(graph: ExecutionGraph): Array<{ readonly group: string; readonly base: number; readonly size: number }> {
  const layout: Array<{ group: string; base: number; size: number }> = [];
  let next = 0;
  for (const vertex of graph.vertices) {
    const group = vertex.jobVertex.slotSharingGroup;
    if (layout.some((entry) => entry.group === group)) continue;
    const size = Math.max(...graph.vertices.filter((v) => v.jobVertex.slotSharingGroup === group).map((v) => v.parallelism));
    layout.push({ group, base: next, size });
    next += size;
  }
  return layout;
}

/**
 * Puts subtask i of every vertex of a slot sharing group into the group's i-th slot (Flink's
 * execution slot sharing groups), consuming `allocations` group by group.
 */
export function assignSlots(graph: ExecutionGraph, allocations: readonly Allocation[]): void {
  const bases = new Map(slotSharingLayout(graph).map((entry) => [entry.group, entry.base]));
  for (const vertex of graph.vertices) {
    const base = bases.get(vertex.jobVertex.slotSharingGroup)!;
    for (const execution of vertex.executions) {
      const allocation = allocations[base + execution.subtaskIndex];
      if (allocation === undefined) throw new Error(`not enough slots for ${execution.taskName}`);
      execution.allocation = allocation;
    }
  }
}
