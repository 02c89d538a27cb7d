import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Restarting } from '../../../../../../src/jobmanager/scheduler/adaptive/states/restarting.js';
import { withTestingContext, type TestingGraphDeployment, type TestingStateContext } from '../../../../../helpers/testing-state-context.js';
import { captureLogs, testingDeployment, testingError } from '../testing-job.js';

captureLogs();

function restarting(context: TestingStateContext, backoffMs: number): { state: Restarting; deployment: TestingGraphDeployment } {
  const deployment = testingDeployment();
  const state = context.enter(new Restarting(context, deployment, backoffMs, 'taskmanager-lost-socket'));
  return { state, deployment };
}

describe('Restarting', () => {
  it('reports RESTARTING and cancels the run on entry', () =>
    withTestingContext((context) => {
      const { state, deployment } = restarting(context, 1_000);
      assert.equal(state.jobStatus, 'RESTARTING');
      assert.equal(deployment.cancelCalls, 1);
    }));

  it('waits for the backoff after the tasks are canceled', async () =>
    withTestingContext(async (context) => {
      const { deployment } = restarting(context, 1_000);
      deployment.canceled.resolve();
      await context.settle();
      assert.deepEqual(context.releasedSlots, [deployment], 'the slots go back once the tasks stopped');
      context.scheduler.advance(999);
      assert.equal(context.transition, undefined);
      context.expect('WaitingForResources');
      context.scheduler.advance(1);
    }));

  it('waits for the tasks to be canceled after the backoff', async () =>
    withTestingContext(async (context) => {
      const { deployment } = restarting(context, 0);
      context.scheduler.advance(60_000);
      await context.settle();
      assert.equal(context.transition, undefined, 'no new run while the old tasks may still run');
      assert.deepEqual(context.releasedSlots, []);
      context.expect('WaitingForResources');
      deployment.canceled.resolve();
      await context.settle();
    }));

  it('goes to CreatingExecutionGraph with the old graph when the desired resources are there', async () =>
    withTestingContext(async (context) => {
      const { deployment } = restarting(context, 0);
      context.desiredResources = true;
      context.expect('CreatingExecutionGraph', (t) => {
        assert.equal(t.previous, deployment.graph);
        assert.equal(t.cause, 'taskmanager-lost-socket');
      });
      deployment.canceled.resolve();
      await context.settle();
    }));

  it('goes to WaitingForResources with the old graph otherwise', async () =>
    withTestingContext(async (context) => {
      const { deployment } = restarting(context, 0);
      context.desiredResources = false;
      context.sufficientResources = true;
      context.expect('WaitingForResources', (t) => {
        assert.equal(t.previous, deployment.graph);
        assert.equal(t.cause, 'taskmanager-lost-socket');
      });
      deployment.canceled.resolve();
      await context.settle();
    }));

  it('ignores further failures', async () =>
    withTestingContext(async (context) => {
      const { state, deployment } = restarting(context, 0);
      state.handleGlobalFailure(testingError('another task failed'));
      assert.deepEqual(context.handledFailures, []);
      context.expect('WaitingForResources');
      deployment.canceled.resolve();
      await context.settle();
    }));

  it('goes to Canceling when canceled', () =>
    withTestingContext((context) => {
      const { state, deployment } = restarting(context, 10_000);
      context.expect('Canceling', (t) => assert.equal(t.deployment, deployment));
      state.cancel();
    }));

  it('ends SUSPENDED once the tasks are canceled', async () =>
    withTestingContext(async (context) => {
      const { state, deployment } = restarting(context, 10_000);
      context.expect('Finished', (t) => assert.equal(t.result.status, 'SUSPENDED'));
      state.suspend();
      deployment.canceled.resolve();
      await context.settle();
    }));
});
