import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Created } from '../../../../../../src/jobmanager/scheduler/adaptive/states/created.js';
import { withTestingContext } from '../../../../../helpers/testing-state-context.js';
import { captureLogs, testingError } from '../testing-job.js';

captureLogs();

describe('Created', () => {
  it('reports INITIALIZING and does nothing until scheduling starts', () =>
    withTestingContext((context) => {
      const state = context.enter(new Created(context));
      assert.equal(state.jobStatus, 'INITIALIZING');
      context.scheduler.advance(60_000);
      assert.equal(context.transition, undefined);
    }));

  it('goes to WaitingForResources without a previous graph when scheduling starts', () =>
    withTestingContext((context) => {
      const state = context.enter(new Created(context));
      context.expect('WaitingForResources', (t) => {
        assert.equal(t.previous, undefined);
        assert.equal(t.cause, 'initial-schedule');
      });
      state.startScheduling();
    }));

  it('ends CANCELED when canceled', () =>
    withTestingContext((context) => {
      const state = context.enter(new Created(context));
      context.expect('Finished', (t) => assert.deepEqual(t.result, { status: 'CANCELED' }));
      state.cancel();
    }));

  it('ends SUSPENDED when suspended', () =>
    withTestingContext((context) => {
      const state = context.enter(new Created(context));
      context.expect('Finished', (t) => assert.deepEqual(t.result, { status: 'SUSPENDED' }));
      state.suspend();
    }));

  it('ends FAILED with the cause on a global failure, without a restart', () =>
    withTestingContext((context) => {
      const state = context.enter(new Created(context));
      const error = testingError('checkpoint store unreachable');
      context.expect('Finished', (t) => assert.deepEqual(t.result, { status: 'FAILED', error }));
      state.handleGlobalFailure(error);
    }));
});
