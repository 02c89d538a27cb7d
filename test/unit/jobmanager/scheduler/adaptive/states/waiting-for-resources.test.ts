import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WaitingForResources } from '../../../../../../src/jobmanager/scheduler/adaptive/states/waiting-for-resources.js';
import { withTestingContext, type TestingStateContext } from '../../../../../helpers/testing-state-context.js';
import { captureLogs, testingError, testingExecutionGraph } from '../testing-job.js';

captureLogs();

function waiting(context: TestingStateContext, previous = testingExecutionGraph({ source: 2 })): WaitingForResources {
  return context.enter(new WaitingForResources(context, previous, 'taskmanager-lost-heartbeat'));
}

describe('WaitingForResources', () => {
  it('reports CREATED', () =>
    withTestingContext((context) => {
      assert.equal(waiting(context).jobStatus, 'CREATED');
    }));

  it('goes on at once, with the previous graph and cause, when the desired resources are there', () =>
    withTestingContext((context) => {
      context.desiredResources = true;
      const previous = testingExecutionGraph({ source: 3 });
      waiting(context, previous);
      assert.equal(context.transition, undefined, 'a state never transitions from its constructor');
      context.expect('CreatingExecutionGraph', (t) => {
        assert.equal(t.previous, previous);
        assert.equal(t.cause, 'taskmanager-lost-heartbeat');
      });
      context.scheduler.runDue();
    }));

  it('goes on at once with sufficient resources when the stabilization timeout is 0 (Reactive Mode)', () =>
    withTestingContext((context) => {
      context.sufficientResources = true;
      context.resourceStabilizationTimeoutMs = 0;
      waiting(context);
      context.expect('CreatingExecutionGraph');
      context.scheduler.runDue();
    }));

  it('waits out the stabilization timeout with sufficient resources, however often new slots arrive', () =>
    withTestingContext((context) => {
      context.sufficientResources = true;
      context.resourceStabilizationTimeoutMs = 10_000;
      const state = waiting(context);
      context.scheduler.advance(4_000);
      state.onNewResources();
      context.scheduler.advance(5_999);
      assert.equal(context.transition, undefined);
      context.expect('CreatingExecutionGraph');
      context.scheduler.advance(1);
    }));

  it('does not go on after the stabilization timeout when resources are no longer sufficient', () =>
    withTestingContext((context) => {
      context.sufficientResources = true;
      context.resourceStabilizationTimeoutMs = 10_000;
      waiting(context);
      context.scheduler.runDue();
      context.sufficientResources = false;
      context.scheduler.advance(20_000);
    }));

  it('restarts the stabilization when resources stop being sufficient in between', () =>
    withTestingContext((context) => {
      context.sufficientResources = true;
      context.resourceStabilizationTimeoutMs = 10_000;
      const state = waiting(context);
      context.scheduler.advance(5_000);
      context.sufficientResources = false;
      state.onNewResources();
      context.scheduler.advance(2_500);
      context.sufficientResources = true;
      state.onNewResources();
      // The first arming's deadline (t = 10 s) passes; only the new one (t = 17.5 s) counts.
      context.scheduler.advance(9_999);
      assert.equal(context.transition, undefined);
      context.expect('CreatingExecutionGraph');
      context.scheduler.advance(1);
    }));

  it('goes on when new slots make the desired resources complete during the stabilization', () =>
    withTestingContext((context) => {
      context.sufficientResources = true;
      context.resourceStabilizationTimeoutMs = 10_000;
      const state = waiting(context);
      context.scheduler.advance(1_000);
      context.desiredResources = true;
      context.expect('CreatingExecutionGraph');
      state.onNewResources();
    }));

  it('gives up waiting after the resource wait timeout and tries with what there is', () =>
    withTestingContext((context) => {
      context.resourceWaitTimeoutMs = 300_000;
      waiting(context);
      context.scheduler.advance(299_999);
      assert.equal(context.transition, undefined);
      context.expect('CreatingExecutionGraph', (t) => {
        assert.equal(t.cause, 'taskmanager-lost-heartbeat');
        assert.equal(t.lastChance, true, 'a plan short of the minimum now fails the job');
      });
      context.scheduler.advance(1);
    }));

  it('waits forever with a negative resource wait timeout', () =>
    withTestingContext((context) => {
      context.resourceWaitTimeoutMs = -1;
      waiting(context);
      context.scheduler.advance(30 * 24 * 3_600_000);
      assert.deepEqual(context.scheduler.pendingDelays, []);
    }));

  it('drops its timers once it has been left', () =>
    withTestingContext((context) => {
      context.resourceWaitTimeoutMs = 1_000;
      context.sufficientResources = true;
      context.resourceStabilizationTimeoutMs = 500;
      const state = waiting(context);
      context.expect('Finished', (t) => assert.equal(t.result.status, 'CANCELED'));
      state.cancel();
      // The stabilization and the wait timeout both fall due now; a second transition would fail the test.
      context.scheduler.advance(5_000);
    }));

  it('ends SUSPENDED when suspended', () =>
    withTestingContext((context) => {
      const state = waiting(context);
      context.expect('Finished', (t) => assert.equal(t.result.status, 'SUSPENDED'));
      state.suspend();
    }));

  it('ends FAILED on a global failure', () =>
    withTestingContext((context) => {
      const state = waiting(context);
      const error = testingError('boom');
      context.expect('Finished', (t) => assert.deepEqual(t.result, { status: 'FAILED', error }));
      state.handleGlobalFailure(error);
    }));
});
