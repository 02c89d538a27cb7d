import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CheckpointError } from '../../../../src/jobmanager/checkpoint/checkpoint-failure.js';
import { CheckpointFailureManager } from '../../../../src/jobmanager/checkpoint/checkpoint-failure-manager.js';
import { captureLogs } from './testing-clock.js';

captureLogs();

function manager(tolerable: number): { manager: CheckpointFailureManager; failures: Error[] } {
  const failures: Error[] = [];
  return { manager: new CheckpointFailureManager(tolerable, (error) => failures.push(error)), failures };
}

const expired = (id: number) => new CheckpointError('CHECKPOINT_EXPIRED', undefined, { checkpointId: id });

describe('CheckpointFailureManager', () => {
  it('fails the job once the consecutive failures exceed the tolerance', () => {
    const { manager: m, failures } = manager(2);
    m.handleFailure(expired(1), 1, false);
    m.handleFailure(expired(2), 2, false);
    assert.equal(failures.length, 0);
    m.handleFailure(expired(3), 3, false);
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.message, 'Exceeded checkpoint tolerable failure threshold.');
    assert.equal((failures[0] as Error & { code: string }).code, 'CHECKPOINT_TOLERANCE_EXCEEDED');
    assert.equal((failures[0]!.cause as CheckpointError).reason, 'CHECKPOINT_EXPIRED');
    m.handleFailure(expired(4), 4, false);
    assert.equal(failures.length, 1, 'the job is failed once');
  });

  it('fails at the first counted failure with the default tolerance of 0', () => {
    const { manager: m, failures } = manager(0);
    m.handleFailure(new CheckpointError('CHECKPOINT_DECLINED', 'boom', { checkpointId: 1 }), 1, false);
    assert.equal(failures.length, 1);
  });

  it('resets the count on a completed checkpoint', () => {
    const { manager: m, failures } = manager(1);
    m.handleFailure(expired(1), 1, false);
    m.handleSuccess(2);
    assert.equal(m.failureCount, 0);
    m.handleFailure(expired(3), 3, false);
    assert.equal(failures.length, 0);
    m.handleFailure(expired(4), 4, false);
    assert.equal(failures.length, 1);
  });

  it("ignores savepoints, reasons that are not the checkpoint's fault, repeats and checkpoints older than the last success", () => {
    const { manager: m, failures } = manager(0);
    m.handleFailure(expired(1), 1, true);
    for (const reason of [
      'CHECKPOINT_COORDINATOR_SUSPEND',
      'CHECKPOINT_COORDINATOR_SHUTDOWN',
      'TASK_FAILURE',
      'CHECKPOINT_SUBSUMED',
      'NOT_ALL_REQUIRED_TASKS_RUNNING',
      'MINIMUM_TIME_BETWEEN_CHECKPOINTS',
    ] as const) {
      m.handleFailure(new CheckpointError(reason), 2, false);
    }
    m.handleSuccess(5);
    m.handleFailure(expired(4), 4, false);
    assert.equal(failures.length, 0);
    assert.equal(m.failureCount, 0);
    const { manager: once, failures: onceFailures } = manager(1);
    once.handleFailure(expired(7), 7, false);
    once.handleFailure(new CheckpointError('FINALIZE_CHECKPOINT_FAILURE', 'x', { checkpointId: 7 }), 7, false);
    assert.equal(once.failureCount, 1, 'one checkpoint counts once');
    assert.equal(onceFailures.length, 0);
    for (const reason of [
      'IO_EXCEPTION',
      'FINALIZE_CHECKPOINT_FAILURE',
      'CHECKPOINT_DECLINED',
      'CHECKPOINT_EXPIRED',
      'TRIGGER_CHECKPOINT_FAILURE',
    ] as const) {
      assert.equal(new CheckpointError(reason).countsAsFailure, true, reason);
    }
  });
});
