import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { IDLE_NOTICE_MS, RecordActivity, type FirstActivity } from '../../../../src/taskmanager/task/record-activity.js';

describe('RecordActivity', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 10_000 }));
  afterEach(() => mock.timers.reset());

  /** A step that takes `ms` of virtual time and leaves the running record count at `records`. */
  function step(activity: RecordActivity, ms: number, records: number): void {
    activity.beforeStep();
    mock.timers.tick(ms);
    activity.afterStep(records);
  }

  it('reports the first record once, dated at the start of its step, and the last at the end of its step', () => {
    const firsts: FirstActivity[] = [];
    const activity = new RecordActivity((first) => firsts.push(first));
    step(activity, 5, 0);
    assert.deepEqual(firsts, [], 'a step without records is no activity');
    step(activity, 3, 2048);
    assert.deepEqual(firsts, [{ at: 10_005, kind: 'record' }]);
    step(activity, 4, 4096);
    step(activity, 6, 4096);
    assert.equal(firsts.length, 1);
    assert.deepEqual(activity.end(), { lastRecordAt: 10_012 });
  });

  it('reports an idle source after IDLE_NOTICE_MS without records, dated when it first found nothing', () => {
    const firsts: FirstActivity[] = [];
    const activity = new RecordActivity((first) => firsts.push(first));
    mock.timers.tick(7);
    activity.sourceIdle();
    mock.timers.tick(IDLE_NOTICE_MS - 1);
    activity.sourceIdle();
    assert.deepEqual(firsts, []);
    mock.timers.tick(1);
    assert.deepEqual(firsts, [{ at: 10_007, kind: 'idle' }]);
    step(activity, 2, 10);
    assert.equal(firsts.length, 1, 'a later first record is not reported again');
    assert.deepEqual(activity.end(), { lastRecordAt: 10_007 + IDLE_NOTICE_MS + 2 });
  });

  it('sends no idle notice when the first record comes within IDLE_NOTICE_MS', () => {
    const firsts: FirstActivity[] = [];
    const activity = new RecordActivity((first) => firsts.push(first));
    activity.beforeStep();
    activity.sourceIdle();
    activity.afterStep(0);
    mock.timers.tick(IDLE_NOTICE_MS / 2);
    step(activity, 1, 1);
    mock.timers.tick(IDLE_NOTICE_MS * 2);
    assert.deepEqual(firsts, [{ at: 10_000 + IDLE_NOTICE_MS / 2, kind: 'record' }]);
  });

  it('sends no idle notice for a source that emitted, however long its records take to reach a sink', () => {
    const firsts: FirstActivity[] = [];
    const activity = new RecordActivity((first) => firsts.push(first));
    activity.sourceEmitted();
    activity.sourceIdle();
    mock.timers.tick(IDLE_NOTICE_MS * 3);
    assert.deepEqual(firsts, []);
    assert.deepEqual(activity.end(), { idleAtEnd: true }, 'a source does not date records: only sinks do');
  });

  it('says at its end whether it was a source waiting for input', () => {
    const activity = new RecordActivity(() => undefined);
    step(activity, 1, 3);
    activity.sourceIdle();
    assert.deepEqual(activity.end(), { lastRecordAt: 10_001, idleAtEnd: true });
    const never = new RecordActivity(() => undefined);
    assert.deepEqual(never.end(), {}, 'a task that processed nothing reports no time');
  });

  it('does not call a source halted for a planned rescale idle, even if its last call found nothing', () => {
    const activity = new RecordActivity(() => undefined);
    step(activity, 1, 3);
    activity.sourceIdle();
    assert.deepEqual(activity.end(true), { lastRecordAt: 10_001 });
  });
});
