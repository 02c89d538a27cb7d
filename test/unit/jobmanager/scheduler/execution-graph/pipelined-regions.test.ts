import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecutionGraph } from '../../../../../src/jobmanager/scheduler/execution-graph/execution-graph.js';
import { pipelinedRegions, regionOf } from '../../../../../src/jobmanager/scheduler/execution-graph/pipelined-regions.js';
import { testingExecutionGraph } from '../adaptive/testing-job.js';
import { asVertexId } from '../../../../helpers/ids.js';

/** The regions as task names, for readable comparisons. */
function names(graph: ExecutionGraph): string[][] {
  return pipelinedRegions(graph).map((region) => region.map((execution) => execution.taskName).sort());
}

describe('pipelined regions', () => {
  it('are one per subtask index when every edge is forward between equal parallelism', () => {
    const graph = testingExecutionGraph({ source: 3, map: 3, sink: 3 }, 0, ['map', 'sink']);
    assert.deepEqual(names(graph), [
      ['map (1/3)#0', 'sink (1/3)#0', 'source (1/3)#0'],
      ['map (2/3)#0', 'sink (2/3)#0', 'source (2/3)#0'],
      ['map (3/3)#0', 'sink (3/3)#0', 'source (3/3)#0'],
    ]);
  });

  it('are the whole job when an all-to-all edge joins the pipelines', () => {
    const graph = testingExecutionGraph({ source: 2, map: 2, sink: 2 }, 0, ['map']);
    assert.equal(pipelinedRegions(graph).length, 1);
    assert.equal(pipelinedRegions(graph)[0]!.length, 6);
  });

  it('are the whole job when a forward edge changes the parallelism (it is all-to-all then)', () => {
    const graph = testingExecutionGraph({ source: 2, map: 3 }, 0, ['map']);
    assert.deepEqual(
      pipelinedRegions(graph).map((region) => region.length),
      [5],
    );
  });

  it('are each subtask alone in a job of one vertex', () => {
    const graph = testingExecutionGraph({ pipeline: 4 });
    assert.deepEqual(
      pipelinedRegions(graph).map((region) => region.length),
      [1, 1, 1, 1],
    );
  });

  it('put every execution into exactly one region', () => {
    const graph = testingExecutionGraph({ source: 4, map: 4, sink: 2 }, 0, ['map']);
    const all = pipelinedRegions(graph).flat();
    assert.equal(all.length, graph.executions().length);
    assert.equal(new Set(all).size, all.length);
  });

  it("give a failed execution's region, found from any of its members", () => {
    const graph = testingExecutionGraph({ source: 2, sink: 2 }, 0, ['sink']);
    const sink = graph.vertex(asVertexId('sink'))!.executions[1]!;
    const source = graph.vertex(asVertexId('source'))!.executions[1]!;
    assert.deepEqual(new Set(regionOf(graph, sink)), new Set([source, sink]));
    assert.deepEqual(new Set(regionOf(graph, source)), new Set([source, sink]));
  });

  it('follow new attempts: a replaced execution is no longer part of the run', () => {
    const graph = testingExecutionGraph({ source: 2, sink: 2 }, 0, ['sink']);
    const old = graph.vertex(asVertexId('source'))!.executions[0]!;
    const fresh = graph.newAttempt(old);
    assert.equal(fresh.attemptNumber, 1);
    assert.equal(graph.execution(old.attemptId), old, 'the old attempt is still known by its id');
    assert.ok(regionOf(graph, fresh).includes(fresh));
    assert.throws(() => regionOf(graph, old), /not part of this run/);
    assert.equal(graph.latestAttemptNumber, 1);
  });
});
