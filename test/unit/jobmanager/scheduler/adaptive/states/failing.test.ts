import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Failing } from '../../../../../../src/jobmanager/scheduler/adaptive/states/failing.js';
import { withTestingContext } from '../../../../../helpers/testing-state-context.js';
import { captureLogs, testingDeployment, testingError } from '../testing-job.js';

captureLogs();

describe('Failing', () => {
  it('reports FAILING and ends FAILED with the cause, slots released, once every task has stopped', async () =>
    withTestingContext(async (context) => {
      const deployment = testingDeployment();
      const error = testingError('Recovery is suppressed by NoRestartBackoffTimeStrategy');
      const state = context.enter(new Failing(context, deployment, error));
      assert.equal(state.jobStatus, 'FAILING');
      assert.equal(deployment.cancelCalls, 1);
      await context.settle();
      assert.equal(context.transition, undefined);
      assert.deepEqual(context.releasedSlots, []);
      context.expect('Finished', (t) => assert.deepEqual(t.result, { status: 'FAILED', error }));
      deployment.canceled.resolve();
      await context.settle();
      assert.deepEqual(context.releasedSlots, [deployment]);
    }));

  it('goes to Canceling when canceled', () =>
    withTestingContext((context) => {
      const deployment = testingDeployment();
      const state = context.enter(new Failing(context, deployment, testingError('boom')));
      context.expect('Canceling', (t) => assert.equal(t.deployment, deployment));
      state.cancel();
    }));

  it('ignores further failures', async () =>
    withTestingContext(async (context) => {
      const deployment = testingDeployment();
      const error = testingError('first');
      const state = context.enter(new Failing(context, deployment, error));
      state.handleGlobalFailure(testingError('second'));
      context.expect('Finished', (t) => assert.deepEqual(t.result, { status: 'FAILED', error }));
      deployment.canceled.resolve();
      await context.settle();
    }));
});
