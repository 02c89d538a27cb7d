import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newAllocationId } from '../../../../../src/core/ids.js';
import type { RegisteredTaskManager } from '../../../../../src/jobmanager/resourcemanager/registered-task-manager.js';
import { orderForLocality } from '../../../../../src/jobmanager/scheduler/deployment/local-placement.js';
import { assignSlots } from '../../../../../src/jobmanager/scheduler/deployment/slot-sharing.js';
import type { ExecutionGraph } from '../../../../../src/jobmanager/scheduler/execution-graph/execution-graph.js';
import type { Allocation } from '../../../../../src/jobmanager/slotpool/slot-pool.js';
import { computeKeyGroupRangeForOperatorIndex } from '../../../../../src/runtime/keygroups/index.js';
import { asJobId } from '../../../../helpers/ids.js';
import { testingExecutionGraph, testingTaskManager } from '../adaptive/testing-job.js';

function slotsOf(...taskManagers: RegisteredTaskManager[]): Allocation[] {
  return taskManagers.map((taskManager, slotIndex) => ({ allocationId: newAllocationId(), jobId: asJobId('job'), taskManager, slotIndex }));
}

/** Key groups (of 128) whose subtask runs on the same TaskManager in both runs. */
function keptKeyGroups(before: ExecutionGraph, after: ExecutionGraph, vertexId = 'counter'): number {
  const ownerBefore = new Map<number, string>();
  const vertex = before.vertices.find((v) => v.id === vertexId)!;
  for (const e of vertex.executions) {
    const range = computeKeyGroupRangeForOperatorIndex(128, vertex.parallelism, e.subtaskIndex);
    for (let kg = range.startKeyGroup; kg <= range.endKeyGroup; kg++) ownerBefore.set(kg, e.allocation!.taskManager.resourceId);
  }
  const next = after.vertices.find((v) => v.id === vertexId)!;
  let kept = 0;
  for (const e of next.executions) {
    const range = computeKeyGroupRangeForOperatorIndex(128, next.parallelism, e.subtaskIndex);
    for (let kg = range.startKeyGroup; kg <= range.endKeyGroup; kg++)
      if (ownerBefore.get(kg) === e.allocation!.taskManager.resourceId) kept++;
  }
  return kept;
}

describe('placement for task-local recovery', () => {
  const [a, b, c] = [testingTaskManager(1).taskManager, testingTaskManager(1).taskManager, testingTaskManager(1).taskManager];

  it('a scale-up from 2 to 3 keeps about 2/3 of the key groups on their TaskManager, whatever order the pool gives the slots in', () => {
    const before = testingExecutionGraph({ source: 2, counter: 2 });
    assignSlots(before, slotsOf(a, b)); // a: key groups 0–63, b: 64–127
    for (const pool of [slotsOf(c, b, a), slotsOf(b, a, c), slotsOf(a, c, b)]) {
      const after = testingExecutionGraph({ source: 3, counter: 3 }, 1);
      assignSlots(after, orderForLocality(after, pool, before));
      // New ranges 0–42, 43–85, 86–127: the best keeps 43 + 42 of them on a and b, and moves 43.
      assert.equal(keptKeyGroups(before, after), 85);
      const naive = testingExecutionGraph({ source: 3, counter: 3 }, 1);
      assignSlots(naive, pool);
      assert.ok(keptKeyGroups(before, naive) <= 85);
    }
  });

  it('a scale-down from 3 to 2 keeps the groups of the TaskManagers that stay, and a restart in place keeps all', () => {
    const before = testingExecutionGraph({ source: 3, counter: 3 });
    assignSlots(before, slotsOf(a, b, c));
    const down = testingExecutionGraph({ source: 2, counter: 2 }, 1);
    assignSlots(down, orderForLocality(down, slotsOf(c, a), before)); // b left
    // New ranges 0–63 on a (held 0–42) and 64–127 on c (held 86–127).
    assert.equal(keptKeyGroups(before, down), 43 + 42);
    const again = testingExecutionGraph({ source: 3, counter: 3 }, 2);
    assignSlots(again, orderForLocality(again, slotsOf(c, b, a), before));
    assert.equal(keptKeyGroups(before, again), 128);
  });

  it('keeps the pool order when there is no previous run', () => {
    const graph = testingExecutionGraph({ source: 2, counter: 2 });
    const pool = slotsOf(b, a);
    assert.deepEqual(orderForLocality(graph, pool, undefined), pool);
  });
});
