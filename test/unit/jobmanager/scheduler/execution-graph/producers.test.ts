import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobGraph } from '../../../../../src/jobgraph/job-graph.js';
import { ExecutionGraph } from '../../../../../src/jobmanager/scheduler/execution-graph/execution-graph.js';
import { testingJobGraph, withShipStrategy } from '../adaptive/testing-job.js';
import { asJobId, asVertexId } from '../../../../helpers/ids.js';

function run(graph: JobGraph, parallelism: Record<string, number>): ExecutionGraph {
  const plan = new Map(Object.entries(parallelism).map(([id, p]) => [id, { parallelism: p, maxParallelism: 128 }]));
  return new ExecutionGraph(asJobId('job'), graph, plan, 0);
}

describe('the producers an execution reads from', () => {
  const job = testingJobGraph([{ name: 'source' }, { name: 'map' }]);

  it('is the same subtask of the producer on a forward edge between equal parallelism', () => {
    const graph = run(withShipStrategy(job, 'map', 'FORWARD'), { source: 3, map: 3 });
    const consumer = graph.vertex(asVertexId('map'))!.executions[1]!;
    assert.deepEqual(
      graph.producersOf(consumer).map((e) => e.taskName),
      [graph.vertex(asVertexId('source'))!.executions[1]!.taskName],
    );
  });

  it('is every producer subtask on a forward edge whose parallelism changes, and on any other edge', () => {
    for (const [strategy, parallelism] of [
      ['FORWARD', { source: 2, map: 3 }],
      ['REBALANCE', { source: 3, map: 3 }],
    ] as const) {
      const graph = run(withShipStrategy(job, 'map', strategy), parallelism);
      const consumer = graph.vertex(asVertexId('map'))!.executions[0]!;
      assert.equal(graph.producersOf(consumer).length, parallelism.source, strategy);
    }
  });

  it('is nothing for a source', () => {
    const graph = run(job, { source: 2, map: 2 });
    assert.deepEqual(graph.producersOf(graph.vertex(asVertexId('source'))!.executions[0]!), []);
  });
});
