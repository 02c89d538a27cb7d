import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TaskMailbox } from '../../../../src/taskmanager/task/task-mailbox.js';

describe('TaskMailbox', () => {
  it('runs queued actions before the step, and steps again while the step asks to', (t) => {
    t.mock.timers.enable({ apis: ['setImmediate'] });
    const log: string[] = [];
    let steps = 0;
    const mailbox = new TaskMailbox(
      () => {
        log.push(`step${++steps}`);
        return steps < 3;
      },
      (e) => assert.fail(String(e)),
    );
    mailbox.execute(() => log.push('a'));
    mailbox.execute(() => log.push('b'));
    assert.deepEqual(log, [], 'nothing runs inside execute');
    for (let i = 0; i < 5; i++) t.mock.timers.tick(0);
    assert.deepEqual(log, ['a', 'b', 'step1', 'step2', 'step3'], 'the step stops once it returns false');
  });

  it('reports what an action throws and drops everything once closed', (t) => {
    t.mock.timers.enable({ apis: ['setImmediate'] });
    const errors: unknown[] = [];
    let steps = 0;
    const mailbox = new TaskMailbox(
      () => {
        steps++;
        return false;
      },
      (e) => errors.push(e),
    );
    mailbox.execute(() => {
      throw new Error('timer callback failed');
    });
    t.mock.timers.tick(0);
    assert.match(String(errors[0]), /timer callback failed/);
    mailbox.close();
    let ran = false;
    mailbox.execute(() => {
      ran = true;
    });
    mailbox.wake();
    t.mock.timers.tick(0);
    assert.equal(ran, false);
    assert.equal(steps, 0, 'the step after a throwing action did not run');
  });

  it('drain runs queued actions at once (a cancel keeps a queued commit)', () => {
    const mailbox = new TaskMailbox(
      () => false,
      (e) => assert.fail(String(e)),
    );
    const log: string[] = [];
    mailbox.execute(() => log.push('commit'));
    assert.deepEqual(mailbox.drain(), []);
    assert.deepEqual(log, ['commit']);
    mailbox.close();
  });

  it('drain runs the actions behind one that throws and returns what was thrown', () => {
    const mailbox = new TaskMailbox(
      () => false,
      (e) => assert.fail(String(e)),
    );
    const log: string[] = [];
    const failure = new Error('the producer released its partition');
    mailbox.execute(() => {
      throw failure;
    });
    mailbox.execute(() => log.push('commit'));
    assert.deepEqual(mailbox.drain(), [failure]);
    assert.deepEqual(log, ['commit'], 'the commit queued behind the failure still ran');
    mailbox.close();
  });
});
