import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobGraph } from '../../../../../src/jobgraph/job-graph.js';
import { AdaptiveResources } from '../../../../../src/jobmanager/scheduler/adaptive/adaptive-resources.js';
import { ExecutionGraph } from '../../../../../src/jobmanager/scheduler/execution-graph/execution-graph.js';
import { SlotPool } from '../../../../../src/jobmanager/slotpool/slot-pool.js';
import { captureLogs, testingJobGraph, testingTaskManager } from './testing-job.js';
import { asJobId } from '../../../../helpers/ids.js';

captureLogs();

const JOB = asJobId('job');

/** A slot pool with `held` slots of the job and `free` free ones, plus the job's resources over it. */
function setup(options: { graph: JobGraph; held: number; free: number; minIncrease?: number; reactive?: boolean }): {
  resources: AdaptiveResources;
  pool: SlotPool;
} {
  const pool = new SlotPool();
  pool.onTaskManagerRegistered(testingTaskManager(options.held + options.free).taskManager);
  if (options.held > 0) assert.ok(pool.allocate(JOB, options.held));
  const resources = new AdaptiveResources(options.graph, pool, JOB, options.reactive ?? true, 1, options.minIncrease ?? 1);
  return { resources, pool };
}

/** The running run: every vertex of `graph` at `parallelism`. */
function running(graph: JobGraph, parallelism: Readonly<Record<string, number>>): ExecutionGraph {
  return new ExecutionGraph(
    JOB,
    graph,
    new Map(graph.vertices.map((v) => [v.id, { parallelism: parallelism[v.id]!, maxParallelism: 128 }])),
    0,
  );
}

const oneVertex = testingJobGraph([{ name: 'source' }]);
const twoGroups = testingJobGraph([
  { name: 'source', slotSharingGroup: 'A' },
  { name: 'sink', slotSharingGroup: 'B' },
]);

describe('AdaptiveResources.judgeRescale (min-parallelism-increase, Flink 1.13-1.17)', () => {
  it('rescales for an increase of one with min-parallelism-increase 1', () => {
    const { resources } = setup({ graph: oneVertex, held: 2, free: 1 });
    assert.equal(resources.judgeRescale(running(oneVertex, { source: 2 })), 'rescale');
  });

  it('calls an increase below min-parallelism-increase too small, and rescales once it is reached', () => {
    const small = setup({ graph: oneVertex, held: 2, free: 1, minIncrease: 2 });
    assert.equal(small.resources.judgeRescale(running(oneVertex, { source: 2 })), 'too-small-increase');
    const enough = setup({ graph: oneVertex, held: 2, free: 2, minIncrease: 2 });
    assert.equal(enough.resources.judgeRescale(running(oneVertex, { source: 2 })), 'rescale');
  });

  it('adds up the increase over all vertices', () => {
    // Two slot sharing groups, each one subtask wider: +2 in total.
    const { resources } = setup({ graph: twoGroups, held: 2, free: 2, minIncrease: 2 });
    assert.equal(resources.judgeRescale(running(twoGroups, { source: 1, sink: 1 })), 'rescale');
  });

  it('sees nothing to do when the slots allow the parallelism that runs', () => {
    const { resources } = setup({ graph: oneVertex, held: 2, free: 0 });
    assert.equal(resources.judgeRescale(running(oneVertex, { source: 2 })), 'unchanged');
  });

  it('always rescales when a vertex must shrink, whatever min-parallelism-increase says', () => {
    const { resources } = setup({ graph: oneVertex, held: 2, free: 0, minIncrease: 100 });
    assert.equal(resources.judgeRescale(running(oneVertex, { source: 4 })), 'rescale');
  });

  it('rescales when REST lowers an upper bound below the running parallelism', () => {
    const { resources } = setup({ graph: oneVertex, held: 4, free: 0, minIncrease: 100 });
    resources.requirements = new Map([['source', { lowerBound: 1, upperBound: 2 }]]);
    assert.equal(resources.judgeRescale(running(oneVertex, { source: 4 })), 'rescale');
  });

  it('does not rescale to something the slots cannot run', () => {
    const { resources } = setup({ graph: oneVertex, held: 2, free: 1 });
    resources.requirements = new Map([['source', { lowerBound: 5, upperBound: 8 }]]);
    assert.equal(resources.judgeRescale(running(oneVertex, { source: 2 })), 'unchanged');
  });
});

describe('AdaptiveResources: desired and sufficient resources', () => {
  it("counts the job's own slots and the free ones, not other jobs' slots", () => {
    const { resources, pool } = setup({ graph: oneVertex, held: 1, free: 2 });
    assert.ok(pool.allocate(asJobId('other-job'), 2));
    assert.equal(resources.usableSlots, 1);
    assert.equal(resources.hasSufficientResources(), true);
  });

  it('never has the desired resources in Reactive Mode with fewer slots than the max parallelism', () => {
    const { resources } = setup({ graph: oneVertex, held: 0, free: 127 });
    assert.equal(resources.hasDesiredResources(), false);
    assert.equal(resources.hasSufficientResources(), true);
  });

  it('has the desired resources at the configured parallelism outside Reactive Mode', () => {
    const graph = testingJobGraph([{ name: 'source', parallelism: 3 }]);
    assert.equal(setup({ graph, held: 0, free: 2, reactive: false }).resources.hasDesiredResources(), false);
    assert.equal(setup({ graph, held: 0, free: 3, reactive: false }).resources.hasDesiredResources(), true);
  });

  it('is insufficient below the REST lower bounds', () => {
    const { resources } = setup({ graph: oneVertex, held: 0, free: 2 });
    resources.requirements = new Map([['source', { lowerBound: 3, upperBound: 4 }]]);
    assert.equal(resources.hasSufficientResources(), false);
  });

  it('plans only with the free slots', () => {
    const { resources } = setup({ graph: oneVertex, held: 2, free: 3 });
    assert.equal(resources.planForFreeSlots()?.parallelism.get('source'), 3);
  });
});
