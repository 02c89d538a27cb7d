import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  desiredSlots,
  determineParallelism,
  minimumSlots,
} from '../../../../../../src/jobmanager/scheduler/adaptive/allocator/slot-sharing-slot-allocator.js';
import type { VertexBounds } from '../../../../../../src/jobmanager/scheduler/adaptive/allocator/vertex-bounds.js';
import { asVertexId } from '../../../../../helpers/ids.js';

function vertex(name: string, upper: number, group = 'default', lower = 1): VertexBounds {
  return { vertexId: asVertexId(name), name, slotSharingGroup: group, lower, upper, maxParallelism: Math.max(upper, 128) };
}

function plan(vertices: readonly VertexBounds[], slots: number): { parallelism: Record<string, number>; slots: number } | undefined {
  const result = determineParallelism(vertices, slots);
  return result === undefined ? undefined : { parallelism: Object.fromEntries(result.parallelism), slots: result.slots };
}

describe('determineParallelism (Flink 1.17+ SlotSharingSlotAllocator)', () => {
  it('gives every Reactive Mode vertex all slots up to its max parallelism bound', () => {
    const job = [vertex('source', 128), vertex('map', 128), vertex('sink', 128)];
    assert.deepEqual(plan(job, 5), { parallelism: { source: 5, map: 5, sink: 5 }, slots: 5 });
    assert.deepEqual(plan(job, 200), { parallelism: { source: 128, map: 128, sink: 128 }, slots: 128 });
  });

  it('leaves slots unused once every vertex of a group is at its upper bound (4 slots, max parallelism 2)', () => {
    const job = [vertex('source', 2), vertex('sink', 2)];
    assert.deepEqual(plan(job, 4), { parallelism: { source: 2, sink: 2 }, slots: 2 });
  });

  it('lets a narrower vertex of a group run fewer subtasks while the group uses every slot', () => {
    const job = [vertex('source', 1), vertex('map', 128)];
    assert.deepEqual(plan(job, 4), { parallelism: { source: 1, map: 4 }, slots: 4 });
  });

  it('passes what a narrow group cannot use to a wider one (A max 1, B max 128, 4 slots: A=1, B=3)', () => {
    const job = [vertex('a', 1, 'A'), vertex('b', 128, 'B')];
    assert.deepEqual(plan(job, 4), { parallelism: { a: 1, b: 3 }, slots: 4 });
    assert.deepEqual(plan([...job].reverse(), 4), { parallelism: { b: 3, a: 1 }, slots: 4 }, 'the declaration order does not matter');
  });

  it('gives the division remainder to the widest group', () => {
    const job = [vertex('a', 2, 'A'), vertex('b', 128, 'B'), vertex('c', 128, 'C')];
    assert.deepEqual(plan(job, 10), { parallelism: { a: 2, b: 4, c: 4 }, slots: 10 });
    assert.deepEqual(plan(job, 11), { parallelism: { a: 2, b: 4, c: 5 }, slots: 11 });
  });

  it("is undefined when the slots do not cover every group's lower bound", () => {
    const job = [vertex('a', 128, 'A'), vertex('b', 128, 'B')];
    assert.equal(plan(job, 1), undefined);
    assert.equal(plan(job, 0), undefined);
    assert.deepEqual(plan(job, 2), { parallelism: { a: 1, b: 1 }, slots: 2 });
  });

  it('respects REST lower and upper bounds', () => {
    const job = [vertex('source', 3, 'default', 2), vertex('sink', 128)];
    assert.equal(plan(job, 1), undefined, 'the group needs its largest lower bound');
    assert.deepEqual(plan(job, 2), { parallelism: { source: 2, sink: 2 }, slots: 2 });
    assert.deepEqual(plan(job, 10), { parallelism: { source: 3, sink: 10 }, slots: 10 });
  });
});

describe('desiredSlots and minimumSlots', () => {
  it("sum each slot sharing group's largest upper and lower bound", () => {
    const job = [vertex('a', 4, 'A', 2), vertex('a2', 6, 'A', 1), vertex('b', 128, 'B', 3)];
    assert.equal(desiredSlots(job), 6 + 128);
    assert.equal(minimumSlots(job), 2 + 3);
  });

  it('ask for max parallelism slots per group in Reactive Mode, which a standalone cluster rarely has', () => {
    assert.equal(desiredSlots([vertex('source', 128), vertex('sink', 128)]), 128);
    assert.equal(minimumSlots([vertex('source', 128), vertex('sink', 128)]), 1);
  });
});
