import type { VertexBounds } from './vertex-bounds.js';

/** The parallelism of each vertex for a number of slots, and how many slots that uses. */
export interface ParallelismPlan {
  readonly parallelism: ReadonlyMap<string, number>;
  readonly slots: number;
}

interface SlotSharingGroupBounds {
  readonly group: string;
  readonly lower: number;
  readonly upper: number;
}

function groupsOf(vertices: readonly VertexBounds[]): SlotSharingGroupBounds[] {
  const groups = new Map<string, { lower: number; upper: number }>();
  for (const vertex of vertices) {
    const group = groups.get(vertex.slotSharingGroup) ?? { lower: 0, upper: 0 };
    group.lower = Math.max(group.lower, vertex.lower);
    group.upper = Math.max(group.upper, vertex.upper);
    groups.set(vertex.slotSharingGroup, group);
  }
  return [...groups].map(([group, bounds]) => ({ group, ...bounds }));
}

/** Slots the job wants at its upper bounds (Flink's "desired resources"). */
export function desiredSlots(vertices: readonly VertexBounds[]): number {
  return groupsOf(vertices).reduce((sum, group) => sum + group.upper, 0);
}

/** Slots below which the job cannot run at all (Flink's "sufficient resources"). */
export function minimumSlots(vertices: readonly VertexBounds[]): number {
  return groupsOf(vertices).reduce((sum, group) => sum + group.lower, 0);
}

/**
 * Flink's SlotSharingSlotAllocator.determineParallelism (1.17+): give every slot sharing group its
 * lower bound, then share the remaining slots out, narrowest groups first so their leftovers flow to
 * the wider ones. A vertex gets min(its upper bound, its group's slots). Undefined when the slots
 * are fewer than the lower bounds need; slots beyond every upper bound stay unused.
 */
export function determineParallelism(vertices: readonly VertexBounds[], availableSlots: number): ParallelismPlan | undefined {
  const groups = groupsOf(vertices).sort((a, b) => a.upper - a.lower - (b.upper - b.lower));
  let stillNeeded = groups.reduce((sum, group) => sum + group.lower, 0);
  if (availableSlots < stillNeeded) return undefined;
  let unassigned = availableSlots;
  let groupsLeft = groups.length;
  const groupSlots = new Map<string, number>();
  for (const group of groups) {
    const share = Math.floor((unassigned - stillNeeded) / groupsLeft);
    const slots = group.lower + Math.min(group.upper - group.lower, share);
    groupSlots.set(group.group, slots);
    stillNeeded -= group.lower;
    unassigned -= slots;
    groupsLeft--;
  }
  const parallelism = new Map(
    vertices.map((vertex) => [vertex.vertexId, Math.min(vertex.upper, groupSlots.get(vertex.slotSharingGroup)!)]),
  );
  const slots = [...groupSlots.values()].reduce((a, b) => a + b, 0);
  return { parallelism, slots };
}
