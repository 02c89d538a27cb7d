import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RescalingOnCheckpoint } from '../../../../../../src/jobmanager/scheduler/adaptive/states/rescaling-on-checkpoint.js';
import type { PlannedRescale } from '../../../../../../src/jobmanager/scheduler/adaptive/transitions.js';
import { withTestingContext, type TestingGraphDeployment, type TestingStateContext } from '../../../../../helpers/testing-state-context.js';
import { captureLogs, testingDeployment, testingError } from '../testing-job.js';
import { asJobId } from '../../../../../helpers/ids.js';

const logs = captureLogs();

function rescaling(
  context: TestingStateContext,
  reason: PlannedRescale,
  deadlineMs = 5_000,
  running = true,
): { state: RescalingOnCheckpoint; deployment: TestingGraphDeployment } {
  const deployment = testingDeployment();
  if (running) deployment.setAll('RUNNING');
  const cause = reason === 'leave' ? 'taskmanager-stopped' : 'taskmanager-joined';
  const state = context.enter(new RescalingOnCheckpoint(context, deployment, cause, reason, deadlineMs));
  return { state, deployment };
}

describe('RescalingOnCheckpoint', () => {
  it('reports RUNNING and triggers one rescale checkpoint after delay 0, without periodic checkpoints', () =>
    withTestingContext((context) => {
      const { state } = rescaling(context, 'scale-up');
      assert.equal(state.jobStatus, 'RUNNING');
      assert.equal(context.checkpointing.rescaleCheckpointRequests, 0, 'nothing is triggered from the constructor');
      context.scheduler.runDue();
      assert.equal(context.checkpointing.rescaleCheckpointRequests, 1);
      assert.equal(context.checkpointing.starts, 0, 'no periodic checkpoints while rescaling');
      state.onAllRunning();
      assert.equal(context.checkpointing.rescaleCheckpointRequests, 1, 'one checkpoint per rescale');
    }));

  it('waits for every task to run before it triggers', () =>
    withTestingContext((context) => {
      const { state } = rescaling(context, 'scale-up', 5_000, false);
      context.scheduler.runDue();
      assert.equal(context.checkpointing.rescaleCheckpointRequests, 0);
      state.onAllRunning();
      assert.equal(context.checkpointing.rescaleCheckpointRequests, 1);
    }));

  for (const reason of ['scale-up', 'leave'] as const) {
    it(`restarts without back-off and without a failure once the checkpoint completes (${reason})`, async () =>
      withTestingContext(async (context) => {
        const { deployment } = rescaling(context, reason);
        context.scheduler.runDue();
        context.expect('Restarting', (t) => {
          assert.equal(t.deployment, deployment);
          assert.equal(t.backoffMs, 0);
          assert.equal(t.failure, undefined, 'a planned rescale is no failure');
          assert.equal(t.cause, reason === 'leave' ? 'taskmanager-stopped' : 'taskmanager-joined');
        });
        context.checkpointing.rescaleCheckpoint.resolve(7);
        await context.settle();
        assert.deepEqual(context.handledFailures, [], 'the restart strategy is not asked');
        assert.deepEqual(context.refusedLeaves, []);
        assert.ok(context.checkpointing.stopped, 'its checkpointing is stopped when it is left');
      }));
  }

  it('a scale-up whose checkpoint fails rescales from the latest completed checkpoint, and says why', async () =>
    withTestingContext(async (context) => {
      const { deployment } = rescaling(context, 'scale-up');
      context.scheduler.runDue();
      context.expect('Restarting', (t) => {
        assert.equal(t.deployment, deployment);
        assert.equal(t.backoffMs, 0);
        assert.equal(t.failure, undefined);
      });
      context.checkpointing.rescaleCheckpoint.reject(new Error('declined by subtask 0'));
      await context.settle();
      assert.ok(logs.lines.some((line) => line.includes('latest completed checkpoint instead') && line.includes('declined by subtask 0')));
    }));

  it('a scale-up whose checkpoint does not complete by the deadline rescales anyway', () =>
    withTestingContext((context) => {
      rescaling(context, 'scale-up', 30_000);
      context.scheduler.runDue();
      context.scheduler.advance(29_999);
      assert.equal(context.transition, undefined, 'still waiting just before the deadline');
      context.expect('Restarting', (t) => assert.equal(t.backoffMs, 0));
      context.scheduler.advance(1);
      assert.ok(logs.lines.some((line) => line.includes('no checkpoint completed within 30000 ms')));
    }));

  it('a scale-up whose checkpoint is still being written waits once more, as long as the last checkpoint took, then rescales anyway', () =>
    withTestingContext((context) => {
      rescaling(context, 'scale-up', 3_000);
      context.checkpointing.lastCompletedDurationMs = 4_000;
      context.scheduler.runDue();
      assert.equal(context.checkpointing.rescaleCheckpointRequests, 1);
      context.scheduler.advance(3_000);
      assert.equal(context.transition, undefined, 'the halted sources wait for the checkpoint past the deadline');
      assert.ok(logs.lines.some((line) => line.includes('waiting up to 4000 ms more')));
      context.scheduler.advance(3_999);
      assert.equal(context.transition, undefined);
      context.expect('Restarting', (t) => assert.equal(t.backoffMs, 0));
      context.scheduler.advance(1);
      assert.ok(logs.lines.some((line) => line.includes('no checkpoint completed within 7000 ms')));
    }));

  it('a leave whose checkpoint does not complete in time is refused and the same run goes on', () =>
    withTestingContext((context) => {
      const { deployment } = rescaling(context, 'leave', 5_000);
      context.scheduler.runDue();
      context.expect('Executing', (t) => assert.equal(t.deployment, deployment));
      context.scheduler.advance(5_000);
      assert.deepEqual(context.refusedLeaves, ['no checkpoint completed within 5000 ms']);
      assert.equal(deployment.cancelCalls, 0, 'the tasks keep running');
      assert.ok(context.checkpointing.stopped, 'the pending checkpoint is aborted, so the sources go on');
    }));

  it('a leave whose checkpoint fails is refused with the reason', async () =>
    withTestingContext(async (context) => {
      rescaling(context, 'leave');
      context.scheduler.runDue();
      context.expect('Executing');
      context.checkpointing.rescaleCheckpoint.reject(new Error('Checkpoint expired before completing.'));
      await context.settle();
      assert.equal(context.refusedLeaves.length, 1);
      assert.match(context.refusedLeaves[0]!, /Checkpoint expired before completing/);
    }));

  it('ignores a checkpoint outcome that arrives after the state was left', async () =>
    withTestingContext(async (context) => {
      const { state, deployment } = rescaling(context, 'scale-up');
      context.scheduler.runDue();
      context.expect('Canceling', (t) => assert.equal(t.deployment, deployment));
      state.cancel();
      context.checkpointing.rescaleCheckpoint.resolve(3);
      await context.settle();
    }));

  it('hands a task failure to the restart strategy, with its back-off', () =>
    withTestingContext((context) => {
      const { state, deployment } = rescaling(context, 'leave');
      context.failureHandling = { restart: true, backoffMs: 1_000 };
      const error = testingError('task failed');
      context.expect('Restarting', (t) => {
        assert.equal(t.deployment, deployment);
        assert.equal(t.backoffMs, 1_000);
        assert.equal(t.cause, 'failure');
        assert.deepEqual(t.failure, error);
      });
      state.onFailure(undefined, error);
      assert.equal(context.handledFailures.length, 1);
    }));

  it('fails the job when the restart strategy says no', () =>
    withTestingContext((context) => {
      const { state } = rescaling(context, 'scale-up');
      context.expect('Failing');
      state.handleGlobalFailure(testingError('checkpoint tolerance exceeded'));
    }));

  it('passes task reports to the run and checkpoint messages to its checkpointing', () =>
    withTestingContext((context) => {
      const { state, deployment } = rescaling(context, 'leave');
      const attemptId = deployment.graph.executions()[0]!.attemptId;
      const update = { jobId: asJobId('job'), attemptId, state: 'RUNNING' as const };
      const decline = { jobId: asJobId('job'), attemptId, checkpointId: 4, reason: 'snapshot failed' };
      state.updateTaskExecutionState(update);
      state.declineCheckpoint(decline);
      assert.deepEqual(deployment.updates, [update]);
      assert.deepEqual(context.checkpointing.messages, [decline]);
    }));

  it('ends SUSPENDED at once, telling the tasks to stop and releasing the slots', () =>
    withTestingContext((context) => {
      const { state, deployment } = rescaling(context, 'leave');
      context.expect('Finished', (t) => assert.deepEqual(t.result, { status: 'SUSPENDED' }));
      state.suspend();
      assert.equal(deployment.cancelCalls, 1);
      assert.deepEqual(context.releasedSlots, [deployment]);
    }));
});
