/**
 * Placement for task-local recovery: orders a new run's slots so that each subtask lands on the
 * TaskManager that held most of its key groups in the previous run, where the local copy of that
 * state is. Flink's adaptive scheduler does the same from the state sizes of the last checkpoint
 * (FLIP-138's StateLocalitySlotAssigner); here the measure is key groups kept, so a scale-up from p
 * to p + 1 leaves about p/(p + 1) of the state where it was.
 */
import type { ResourceId } from '../../../core/ids.js';
import { computeKeyGroupRangeForOperatorIndex } from '../../../runtime/keygroups/index.js';
import type { Allocation } from '../../slotpool/slot-pool.js';
import type { ExecutionGraph } from '../execution-graph/execution-graph.js';
import { slotSharingLayout } from './slot-sharing.js';

/** Per vertex id, the TaskManager of every key group in the previous run. */
type PreviousOwners = Map<string, { readonly maxParallelism: number; readonly owner: (ResourceId | undefined)[] }>;

function previousOwners(previous: ExecutionGraph): PreviousOwners {
  const owners: PreviousOwners = new Map();
  for (const vertex of previous.vertices) {
    const owner = new Array<ResourceId | undefined>(vertex.maxParallelism);
    for (const execution of vertex.executions) {
      const taskManager = execution.allocation?.taskManager.resourceId;
      const range = computeKeyGroupRangeForOperatorIndex(vertex.maxParallelism, vertex.parallelism, execution.subtaskIndex);
      for (let kg = range.startKeyGroup; kg <= range.endKeyGroup; kg++) owner[kg] = taskManager;
    }
    owners.set(vertex.id, { maxParallelism: vertex.maxParallelism, owner });
  }
  return owners;
}

/** One slot position of the new run and how many key groups each TaskManager would keep there. */
interface Position {
  readonly index: number;
  readonly kept: Map<ResourceId, number>;
}

/** Key groups each TaskManager held of what the subtasks at `subtask` of the group's vertices will own. */
function keptAt(graph: ExecutionGraph, group: string, subtask: number, owners: PreviousOwners): Map<ResourceId, number> {
  const kept = new Map<ResourceId, number>();
  for (const vertex of graph.vertices) {
    if (vertex.jobVertex.slotSharingGroup !== group || subtask >= vertex.parallelism) continue;
    const before = owners.get(vertex.id);
    // A changed max parallelism gives key groups another meaning: nothing of it stays in place.
    if (before === undefined || before.maxParallelism !== vertex.maxParallelism) continue;
    const range = computeKeyGroupRangeForOperatorIndex(vertex.maxParallelism, vertex.parallelism, subtask);
    for (let kg = range.startKeyGroup; kg <= range.endKeyGroup; kg++) {
      const taskManager = before.owner[kg];
      if (taskManager !== undefined) kept.set(taskManager, (kept.get(taskManager) ?? 0) + 1);
    }
  }
  return kept;
}

/**
 * `allocations` reordered for `assignSlots` so that the most key groups stay on the TaskManager
 * that held them: the pairs of slot position and TaskManager that keep the most are placed first,
 * each position and each slot once; what is left keeps the pool's order.
 */
export function orderForLocality(
  graph: ExecutionGraph,
  allocations: readonly Allocation[],
  previous: ExecutionGraph | undefined,
): Allocation[] {
  if (previous === undefined) return [...allocations];
  const owners = previousOwners(previous);
  const positions: Position[] = [];
  for (const { group, base, size } of slotSharingLayout(graph)) {
    for (let subtask = 0; subtask < size; subtask++) positions.push({ index: base + subtask, kept: keptAt(graph, group, subtask, owners) });
  }
  const candidates = positions.flatMap((position) =>
    [...position.kept].map(([taskManager, kept]) => ({ position: position.index, taskManager, kept })),
  );
  // Most kept first; ties by position, so the order is deterministic.
  candidates.sort((a, b) => b.kept - a.kept || a.position - b.position);
  const free = [...allocations];
  const placed: (Allocation | undefined)[] = Array.from({ length: allocations.length }, () => undefined);
  for (const { position, taskManager } of candidates) {
    if (placed[position] !== undefined) continue;
    const at = free.findIndex((allocation) => allocation.taskManager.resourceId === taskManager);
    if (at < 0) continue;
    placed[position] = free.splice(at, 1)[0];
  }
  return placed.map((allocation) => allocation ?? free.shift()!);
}
