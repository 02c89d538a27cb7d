import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreatingExecutionGraph } from '../../../../../../src/jobmanager/scheduler/adaptive/states/creating-execution-graph.js';
import { withTestingContext } from '../../../../../helpers/testing-state-context.js';
import { captureLogs, testingDeployment, testingError, testingExecutionGraph } from '../testing-job.js';

captureLogs();

describe('CreatingExecutionGraph', () => {
  it('reports CREATED and builds nothing in its constructor', () =>
    withTestingContext((context) => {
      context.deploymentResult = { kind: 'ready', deployment: testingDeployment() };
      const state = context.enter(new CreatingExecutionGraph(context, undefined, 'initial-schedule'));
      assert.equal(state.jobStatus, 'CREATED');
      assert.deepEqual(context.createDeploymentCalls, []);
      assert.equal(context.transition, undefined);
      context.expect('Executing');
      context.scheduler.runDue();
    }));

  it('goes to Executing with the new deployment and the cause it was entered with', () =>
    withTestingContext((context) => {
      const deployment = testingDeployment();
      const previous = testingExecutionGraph({ source: 2 });
      context.deploymentResult = { kind: 'ready', deployment };
      context.enter(new CreatingExecutionGraph(context, previous, 'taskmanager-joined'));
      context.expect('Executing', (t) => {
        assert.equal(t.deployment, deployment);
        assert.equal(t.cause, 'taskmanager-joined');
      });
      context.scheduler.runDue();
      assert.deepEqual(context.createDeploymentCalls, [previous], 'the previous graph is handed to the planner');
    }));

  it('waits for resources again, with the previous graph and cause, when the slots went before its turn', () =>
    withTestingContext((context) => {
      const previous = testingExecutionGraph({ source: 2 });
      context.deploymentResult = { kind: 'no-slots', reason: 'Not enough resources available for scheduling: 0 free slot(s).' };
      context.enter(new CreatingExecutionGraph(context, previous, 'taskmanager-joined'));
      context.expect('WaitingForResources', (t) => {
        assert.equal(t.previous, previous);
        assert.equal(t.cause, 'taskmanager-joined');
      });
      context.scheduler.runDue();
    }));

  it('after the resource wait timed out, a shortfall of slots ends the job FAILED (NoResourceAvailableException)', () =>
    withTestingContext((context) => {
      context.deploymentResult = { kind: 'no-slots', reason: 'Not enough resources available for scheduling: 0 free slot(s).' };
      context.enter(new CreatingExecutionGraph(context, undefined, 'initial-schedule', true));
      context.expect('Finished', (t) => {
        assert.equal(t.result.status, 'FAILED');
        assert.equal(t.result.error?.name, 'NoResourceAvailableException');
        assert.match(t.result.error?.message ?? '', /0 free slot/);
      });
      context.scheduler.runDue();
    }));

  it("ends FAILED with the planner's error when the graph cannot be built", () =>
    withTestingContext((context) => {
      const error = testingError('The checkpoint cannot be restored', 'IllegalStateException');
      context.deploymentResult = { kind: 'failed', error };
      context.enter(new CreatingExecutionGraph(context, undefined, 'initial-schedule'));
      context.expect('Finished', (t) => assert.deepEqual(t.result, { status: 'FAILED', error }));
      context.scheduler.runDue();
    }));

  it('builds nothing once canceled before its turn came', () =>
    withTestingContext((context) => {
      context.deploymentResult = { kind: 'ready', deployment: testingDeployment() };
      const state = context.enter(new CreatingExecutionGraph(context, undefined, 'initial-schedule'));
      context.expect('Finished', (t) => assert.equal(t.result.status, 'CANCELED'));
      state.cancel();
      context.scheduler.runDue();
      assert.deepEqual(context.createDeploymentCalls, []);
    }));

  it('ends SUSPENDED when suspended and FAILED on a global failure', async () => {
    await withTestingContext((context) => {
      const state = context.enter(new CreatingExecutionGraph(context, undefined, 'initial-schedule'));
      context.expect('Finished', (t) => assert.equal(t.result.status, 'SUSPENDED'));
      state.suspend();
    });
    await withTestingContext((context) => {
      const state = context.enter(new CreatingExecutionGraph(context, undefined, 'initial-schedule'));
      const error = testingError('boom');
      context.expect('Finished', (t) => assert.deepEqual(t.result, { status: 'FAILED', error }));
      state.handleGlobalFailure(error);
    });
  });
});
