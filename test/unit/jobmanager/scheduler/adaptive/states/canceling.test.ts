import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Canceling } from '../../../../../../src/jobmanager/scheduler/adaptive/states/canceling.js';
import { withTestingContext } from '../../../../../helpers/testing-state-context.js';
import { captureLogs, testingDeployment, testingError } from '../testing-job.js';

captureLogs();

describe('Canceling', () => {
  it('reports CANCELLING and ends CANCELED, slots released, once every task has stopped', async () =>
    withTestingContext(async (context) => {
      const deployment = testingDeployment();
      const state = context.enter(new Canceling(context, deployment));
      assert.equal(state.jobStatus, 'CANCELLING');
      assert.equal(deployment.cancelCalls, 1);
      context.scheduler.advance(60_000);
      await context.settle();
      assert.equal(context.transition, undefined, 'the job is not canceled while tasks may still run');
      assert.deepEqual(context.releasedSlots, []);
      context.expect('Finished', (t) => assert.deepEqual(t.result, { status: 'CANCELED' }));
      deployment.canceled.resolve();
      await context.settle();
      assert.deepEqual(context.releasedSlots, [deployment]);
    }));

  it('ignores cancel, suspend and failures while it waits', async () =>
    withTestingContext(async (context) => {
      const deployment = testingDeployment();
      const state = context.enter(new Canceling(context, deployment));
      state.cancel();
      state.suspend();
      state.handleGlobalFailure(testingError('a task failed while canceling'));
      assert.equal(context.transition, undefined);
      assert.equal(deployment.cancelCalls, 1);
      context.expect('Finished', (t) => assert.equal(t.result.status, 'CANCELED'));
      deployment.canceled.resolve();
      await context.settle();
    }));
});
