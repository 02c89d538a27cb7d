import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Created } from '../../../../../src/jobmanager/scheduler/adaptive/states/created.js';
import { ManualScheduler, TestingStateContext } from '../../../../helpers/testing-state-context.js';
import { captureLogs } from './testing-job.js';

captureLogs();

describe('TestingStateContext', () => {
  it('fails a transition nobody expected', () => {
    const context = new TestingStateContext();
    const state = context.enter(new Created(context));
    assert.throws(() => state.cancel(), /unexpected transition to Finished \(CANCELED\)/);
    assert.throws(() => context.close(), /every transition must be the one expected/);
  });

  it('fails a transition other than the expected one', () => {
    const context = new TestingStateContext();
    const state = context.enter(new Created(context));
    context.expect('WaitingForResources');
    assert.throws(() => state.suspend(), /Finished \(SUSPENDED\) where one to WaitingForResources was expected/);
  });

  it('fails at close when the expected transition did not happen', () => {
    const context = new TestingStateContext();
    context.enter(new Created(context));
    context.expect('WaitingForResources');
    assert.throws(() => context.close(), /expected a transition to WaitingForResources, but none happened/);
  });

  it('fails a second transition', () => {
    const context = new TestingStateContext();
    const state = context.enter(new Created(context));
    context.expect('WaitingForResources');
    state.startScheduling();
    assert.throws(() => state.cancel(), /a second transition, to Finished/);
  });

  it('fails when the check on the expected transition fails', () => {
    const context = new TestingStateContext();
    const state = context.enter(new Created(context));
    context.expect('Finished', (t) => assert.equal(t.result.status, 'FAILED'));
    assert.throws(() => state.cancel());
    assert.throws(() => context.close());
  });
});

describe('ManualScheduler', () => {
  it('runs due actions in time order, including those scheduled while running', () => {
    const scheduler = new ManualScheduler();
    const ran: string[] = [];
    scheduler.schedule(() => ran.push('b@20'), 20);
    scheduler.schedule(() => {
      ran.push('a@10');
      scheduler.schedule(() => ran.push('c@15'), 5);
    }, 10);
    scheduler.schedule(() => ran.push('d@30'), 30);
    scheduler.advance(25);
    assert.deepEqual(ran, ['a@10', 'c@15', 'b@20']);
    assert.equal(scheduler.now, 25);
    assert.deepEqual(scheduler.pendingDelays, [5]);
  });

  it('runs actions of the same time in the order they were scheduled', () => {
    const scheduler = new ManualScheduler();
    const ran: number[] = [];
    for (const n of [1, 2, 3]) scheduler.schedule(() => ran.push(n), 0);
    scheduler.runDue();
    assert.deepEqual(ran, [1, 2, 3]);
  });
});
