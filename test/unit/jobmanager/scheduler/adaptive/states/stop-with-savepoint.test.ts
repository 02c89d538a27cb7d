import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StopWithSavepoint } from '../../../../../../src/jobmanager/scheduler/adaptive/states/stop-with-savepoint.js';
import { withTestingContext, type TestingGraphDeployment, type TestingStateContext } from '../../../../../helpers/testing-state-context.js';
import { captureLogs, testingDeployment, testingError } from '../testing-job.js';
import { asJobId } from '../../../../../helpers/ids.js';

captureLogs();

interface Stopping {
  readonly state: StopWithSavepoint;
  readonly deployment: TestingGraphDeployment;
  /** What the caller of stop-with-savepoint gets. */
  readonly outcome: Promise<{ path?: string; error?: Error }>;
}

function stopping(context: TestingStateContext, targetDirectory: string | undefined = '/tmp/sp', drain = false): Stopping {
  const deployment = testingDeployment();
  let settle!: (outcome: { path?: string; error?: Error }) => void;
  const outcome = new Promise<{ path?: string; error?: Error }>((resolve) => {
    settle = resolve;
  });
  const state = context.enter(
    new StopWithSavepoint(
      context,
      deployment,
      { targetDirectory, drain },
      (path) => settle({ path }),
      (error) => settle({ error }),
    ),
  );
  return { state, deployment, outcome };
}

describe('StopWithSavepoint', () => {
  it('reports RUNNING and triggers the synchronous savepoint after delay 0', () =>
    withTestingContext((context) => {
      const { state } = stopping(context, '/tmp/target');
      assert.equal(state.jobStatus, 'RUNNING');
      assert.deepEqual(context.checkpointing.savepointRequests, []);
      context.scheduler.runDue();
      assert.deepEqual(context.checkpointing.savepointRequests, [{ targetDirectory: '/tmp/target', kind: 'SYNC_SAVEPOINT', drain: false }]);
    }));

  it('asks the savepoint to drain the sources when the stop says so', () =>
    withTestingContext((context) => {
      stopping(context, '/tmp/target', true);
      context.scheduler.runDue();
      assert.deepEqual(context.checkpointing.savepointRequests, [{ targetDirectory: '/tmp/target', kind: 'SYNC_SAVEPOINT', drain: true }]);
    }));

  it('ends FINISHED once the savepoint is complete and the tasks have stopped; the caller gets the path', async () =>
    withTestingContext(async (context) => {
      const { deployment, outcome } = stopping(context);
      context.scheduler.runDue();
      context.checkpointing.savepoint.resolve('/tmp/sp/savepoint-3');
      await context.settle();
      assert.equal(deployment.cancelCalls, 1, 'the tasks are stopped after the savepoint');
      assert.equal(context.transition, undefined, 'not finished while tasks may still run');
      context.expect('Finished', (t) => assert.deepEqual(t.result, { status: 'FINISHED' }));
      deployment.canceled.resolve();
      await context.settle();
      assert.deepEqual(await outcome, { path: '/tmp/sp/savepoint-3' });
      assert.deepEqual(context.releasedSlots, [deployment]);
    }));

  it('goes back to Executing with the same run when the savepoint fails; the caller gets the error', async () =>
    withTestingContext(async (context) => {
      const { deployment, outcome } = stopping(context);
      context.scheduler.runDue();
      context.expect('Executing', (t) => {
        assert.equal(t.deployment, deployment);
        assert.equal(t.cause, 'failure');
      });
      context.checkpointing.savepoint.reject(new Error('Checkpoint expired before completing.'));
      await context.settle();
      assert.equal((await outcome).error?.message, 'Checkpoint expired before completing.');
      assert.equal(deployment.cancelCalls, 0, 'the job keeps running');
    }));

  it('fails the job on a failure while the savepoint is taken', () =>
    withTestingContext((context) => {
      const { state, deployment } = stopping(context);
      const error = testingError('task failed');
      context.expect('Failing', (t) => {
        assert.equal(t.deployment, deployment);
        assert.deepEqual(t.error, error);
      });
      state.handleGlobalFailure(error);
    }));

  it('goes to Canceling when canceled', () =>
    withTestingContext((context) => {
      const { state, deployment } = stopping(context);
      context.expect('Canceling', (t) => assert.equal(t.deployment, deployment));
      state.cancel();
    }));

  it('passes task reports to the run and checkpoint messages to its checkpointing, and stops that when left', () =>
    withTestingContext((context) => {
      const { state, deployment } = stopping(context);
      const attemptId = deployment.graph.executions()[0]!.attemptId;
      const update = { jobId: asJobId('job'), attemptId, state: 'FINISHED' as const };
      const decline = { jobId: asJobId('job'), attemptId, checkpointId: 4, reason: 'snapshot failed' };
      state.updateTaskExecutionState(update);
      state.declineCheckpoint(decline);
      assert.deepEqual(deployment.updates, [update]);
      assert.deepEqual(context.checkpointing.messages, [decline]);
      state.onLeave();
      assert.ok(context.checkpointing.stopped);
    }));
});
