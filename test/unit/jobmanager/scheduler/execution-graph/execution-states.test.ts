import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExecutionGraph } from '../../../../../src/jobmanager/scheduler/execution-graph/execution-graph.js';
import { testingJobGraph } from '../adaptive/testing-job.js';
import { asJobId, asVertexId } from '../../../../helpers/ids.js';

describe('the states of an execution', () => {
  const job = testingJobGraph([{ name: 'source' }, { name: 'map' }]);
  const attempt = () =>
    new ExecutionGraph(
      asJobId('job'),
      job,
      new Map([
        ['source', { parallelism: 1, maxParallelism: 128 }],
        ['map', { parallelism: 1, maxParallelism: 128 }],
      ]),
      0,
    ).vertex(asVertexId('map'))!.executions[0]!;
  const error = { name: 'Error', message: 'upstream went away', stack: 'Error: upstream went away' };

  it('counts a failure during a cancel as the cancel completing, as Flink does', () => {
    const execution = attempt();
    execution.transitionTo('RUNNING');
    execution.transitionTo('CANCELING');
    assert.equal(execution.transitionTo('FAILED', error), true);
    assert.equal(execution.state, 'CANCELED');
    assert.equal(execution.failure, undefined);
    assert.equal(execution.stateTimestamps.FAILED, undefined);
  });

  it('keeps a failure while running, and ignores anything after a terminal state', () => {
    const execution = attempt();
    execution.transitionTo('RUNNING');
    execution.transitionTo('FAILED', error);
    assert.equal(execution.state, 'FAILED');
    assert.equal(execution.failure?.message, 'upstream went away');
    assert.equal(execution.transitionTo('CANCELED'), false);
    assert.equal(execution.state, 'FAILED');
  });
});
