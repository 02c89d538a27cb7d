import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Executing } from '../../../../../../src/jobmanager/scheduler/adaptive/states/executing.js';
import type { RescaleCause } from '../../../../../../src/jobmanager/scheduler/adaptive/transitions.js';
import { withTestingContext, type TestingGraphDeployment, type TestingStateContext } from '../../../../../helpers/testing-state-context.js';
import { captureLogs, testingDeployment, testingError } from '../testing-job.js';
import { asJobId } from '../../../../../helpers/ids.js';

captureLogs();

function executing(
  context: TestingStateContext,
  lossCause: () => RescaleCause = () => 'failure',
): { state: Executing; deployment: TestingGraphDeployment } {
  const deployment = testingDeployment();
  const state = context.enter(new Executing(context, deployment, lossCause));
  return { state, deployment };
}

describe('Executing: running the job', () => {
  it('reports RUNNING and deploys every task once, after delay 0', () =>
    withTestingContext((context) => {
      const { state, deployment } = executing(context);
      assert.equal(state.jobStatus, 'RUNNING');
      assert.equal(deployment.deployCalls, 0, 'nothing is deployed from the constructor');
      context.scheduler.runDue();
      assert.equal(deployment.deployCalls, 1);
      context.scheduler.advance(60_000);
      assert.equal(deployment.deployCalls, 1);
    }));

  it('starts checkpointing once every task runs', () =>
    withTestingContext((context) => {
      const { state } = executing(context);
      context.scheduler.runDue();
      assert.equal(context.checkpointing.starts, 0);
      state.onAllRunning();
      assert.equal(context.checkpointing.starts, 1);
    }));

  it('does not deploy again but restarts checkpointing when entered with tasks already running', () =>
    withTestingContext((context) => {
      // This is how Executing is re-entered after a failed stop-with-savepoint.
      const deployment = testingDeployment();
      deployment.setAll('RUNNING');
      context.enter(new Executing(context, deployment, () => 'failure'));
      context.scheduler.runDue();
      assert.equal(deployment.deployCalls, 0);
      assert.equal(context.checkpointing.starts, 1);
    }));

  it('ends FINISHED, with checkpointing stopped and slots released, when every task finished', () =>
    withTestingContext((context) => {
      const { state, deployment } = executing(context);
      context.scheduler.runDue();
      context.expect('Finished', (t) => assert.deepEqual(t.result, { status: 'FINISHED' }));
      state.onAllFinished();
      assert.ok(context.checkpointing.stopped);
      assert.deepEqual(context.releasedSlots, [deployment]);
    }));

  it('passes task reports and lost slots to the deployment and checkpoint messages to checkpointing', () =>
    withTestingContext((context) => {
      const { state, deployment } = executing(context);
      const update = { jobId: asJobId('job'), attemptId: deployment.graph.executions()[0]!.attemptId, state: 'RUNNING' as const };
      assert.equal(state.updateTaskExecutionState(update), true);
      state.onAllocationsLost([deployment.allocations[0]!], 'heartbeat timeout');
      const ack = {
        jobId: asJobId('job'),
        attemptId: update.attemptId,
        checkpointId: 1,
        state: { operators: [], stateSize: 0, alignmentDurationMs: 0, syncDurationMs: 0, asyncDurationMs: 0 },
      };
      const decline = { jobId: asJobId('job'), attemptId: update.attemptId, checkpointId: 2, reason: 'snapshot failed' };
      state.acknowledgeCheckpoint(ack);
      state.declineCheckpoint(decline);
      assert.deepEqual(deployment.updates, [update]);
      assert.deepEqual(deployment.lostAllocations, [{ lost: [deployment.allocations[0]], reason: 'heartbeat timeout' }]);
      assert.deepEqual(context.checkpointing.messages, [ack, decline]);
    }));

  it('takes a savepoint without leaving the state', async () =>
    withTestingContext(async (context) => {
      const { state } = executing(context);
      const path = state.triggerSavepoint('/tmp/savepoints');
      assert.deepEqual(context.checkpointing.savepointRequests, [{ targetDirectory: '/tmp/savepoints', kind: 'SAVEPOINT', drain: false }]);
      context.checkpointing.savepoint.resolve('/tmp/savepoints/savepoint-1');
      assert.equal(await path, '/tmp/savepoints/savepoint-1');
    }));
});

describe('Executing: failures', () => {
  it("restarts with the strategy's backoff and the loss cause when the strategy allows", () =>
    withTestingContext((context) => {
      const { state, deployment } = executing(context, () => 'taskmanager-lost-heartbeat');
      context.scheduler.runDue();
      context.failureHandling = { restart: true, backoffMs: 1_234 };
      const execution = deployment.graph.executions()[1]!;
      const error = testingError('TaskManager tm-1 was lost', 'TaskManagerLostException');
      context.expect('Restarting', (t) => {
        assert.equal(t.deployment, deployment);
        assert.equal(t.backoffMs, 1_234);
        assert.equal(t.cause, 'taskmanager-lost-heartbeat');
        assert.deepEqual(t.failure, error);
      });
      state.onFailure(execution, error);
      assert.deepEqual(context.handledFailures, [{ execution, error }]);
      assert.ok(context.checkpointing.stopped);
    }));

  it('fails the job when the strategy does not allow a restart', () =>
    withTestingContext((context) => {
      const { state, deployment } = executing(context);
      context.failureHandling = { restart: false };
      const error = testingError('user code threw');
      context.expect('Failing', (t) => {
        assert.equal(t.deployment, deployment);
        assert.deepEqual(t.error, error);
      });
      state.onFailure(deployment.graph.executions()[0], error);
    }));

  it('treats a checkpointing failure of the job as a failure without a task', () =>
    withTestingContext((context) => {
      executing(context);
      context.failureHandling = { restart: true, backoffMs: 0 };
      const error = testingError('Exceeded checkpoint tolerable failure threshold.');
      context.expect('Restarting', (t) => assert.deepEqual(t.failure, error));
      context.checkpointing.onGlobalFailure(error);
      assert.deepEqual(context.handledFailures, [{ execution: undefined, error }]);
    }));
});

describe('Executing: rescaling', () => {
  it('restarts with backoff 0 and no failure when new resources are judged a rescale', () =>
    withTestingContext((context) => {
      const { state, deployment } = executing(context);
      context.scheduler.runDue();
      context.rescaleVerdict = 'rescale';
      context.expect('Restarting', (t) => {
        assert.equal(t.deployment, deployment);
        assert.equal(t.backoffMs, 0);
        assert.equal(t.cause, 'taskmanager-joined');
        assert.equal(t.failure, undefined);
      });
      state.onNewResources('taskmanager-joined');
      assert.ok(context.checkpointing.stopped);
    }));

  it('with checkpointing and fresh checkpoints on, rescales through a fresh checkpoint bounded by the max delay', () =>
    withTestingContext((context) => {
      context.checkpointingEnabled = true;
      context.freshCheckpointDelayMs = 30_000;
      const { state, deployment } = executing(context);
      context.scheduler.runDue();
      context.rescaleVerdict = 'rescale';
      context.expect('RescalingOnCheckpoint', (t) => {
        assert.equal(t.deployment, deployment);
        assert.equal(t.cause, 'taskmanager-joined');
        assert.equal(t.reason, 'scale-up');
        assert.equal(t.deadlineMs, 30_000);
      });
      state.onNewResources('taskmanager-joined');
      assert.ok(context.checkpointing.stopped, 'periodic checkpoints stop: the rescale takes its own');
    }));

  it('rescales from the latest checkpoint at once (Flink 1.x) when fresh checkpoints are off', () =>
    withTestingContext((context) => {
      context.checkpointingEnabled = true;
      context.freshCheckpointDelayMs = undefined;
      const { state } = executing(context);
      context.scheduler.runDue();
      context.rescaleVerdict = 'rescale';
      context.expect('Restarting', (t) => assert.equal(t.backoffMs, 0));
      state.onNewResources('taskmanager-joined');
    }));

  it('moves off a leaving TaskManager through a fresh checkpoint within its deadline', () =>
    withTestingContext((context) => {
      context.checkpointingEnabled = true;
      const { state, deployment } = executing(context);
      context.scheduler.runDue();
      context.expect('RescalingOnCheckpoint', (t) => {
        assert.equal(t.deployment, deployment);
        assert.equal(t.cause, 'taskmanager-stopped');
        assert.equal(t.reason, 'leave');
        assert.equal(t.deadlineMs, 4_000);
      });
      state.onTaskManagerLeaving(4_000);
      assert.deepEqual(context.handledFailures, [], 'a planned leave is no failure');
    }));

  it('refuses a leave without checkpointing, saying why, and keeps running', () =>
    withTestingContext((context) => {
      context.checkpointingEnabled = false;
      const { state, deployment } = executing(context);
      context.scheduler.runDue();
      state.onTaskManagerLeaving(4_000);
      assert.equal(context.refusedLeaves.length, 1);
      assert.match(context.refusedLeaves[0]!, /checkpointing is disabled/);
      assert.equal(deployment.cancelCalls, 0);
      assert.equal(context.transition, undefined);
    }));

  it('names changed requirements as the cause of a rescale they asked for', () =>
    withTestingContext((context) => {
      const { state } = executing(context);
      context.scheduler.runDue();
      context.rescaleVerdict = 'rescale';
      context.expect('Restarting', (t) => assert.equal(t.cause, 'requirements-changed'));
      state.onNewResources('requirements-changed');
    }));

  it('checks once on entry for slots that appeared while the graph was built', () =>
    withTestingContext((context) => {
      context.rescaleVerdict = 'rescale';
      executing(context);
      assert.equal(context.judgeRescaleCalls, 0);
      context.expect('Restarting', (t) => assert.equal(t.backoffMs, 0));
      context.scheduler.runDue();
    }));

  it('keeps running when the new resources change nothing', () =>
    withTestingContext((context) => {
      const { state } = executing(context);
      context.scheduler.runDue();
      state.onNewResources('taskmanager-joined');
      context.scheduler.advance(3_600_000);
      assert.equal(context.judgeRescaleCalls, 2);
      assert.equal(context.checkpointing.stopped, false);
    }));

  it('decides only when the cooldown after the last (re)start has passed', () =>
    withTestingContext((context) => {
      context.cooldownMs = 30_000;
      context.rescaleVerdict = 'rescale';
      const { state } = executing(context);
      context.scheduler.advance(10_000);
      state.onNewResources('taskmanager-joined');
      context.scheduler.advance(19_999);
      assert.equal(context.judgeRescaleCalls, 0);
      assert.equal(context.transition, undefined);
      context.expect('Restarting', (t) => assert.equal(t.cause, 'taskmanager-joined'));
      context.scheduler.advance(1);
      assert.equal(context.judgeRescaleCalls, 1);
    }));

  it('judges once at the end of the cooldown the changes seen during it, and keeps running when nothing changed', () =>
    withTestingContext((context) => {
      context.cooldownMs = 30_000;
      const { deployment } = executing(context);
      context.scheduler.advance(60_000);
      // The entry check counts as a change, as in Flink; a change judged 'unchanged' keeps the job running.
      assert.equal(context.judgeRescaleCalls, 1);
      assert.equal(deployment.deployCalls, 1, 'deploying does not wait for the cooldown');
    }));

  it('debounces repeated changes over the executing stabilization timeout', () =>
    withTestingContext((context) => {
      context.executingStabilizationMs = 1_000;
      context.rescaleVerdict = 'rescale';
      const { state } = executing(context);
      context.scheduler.advance(600);
      state.onNewResources('taskmanager-joined');
      context.scheduler.advance(600);
      state.onNewResources('taskmanager-joined');
      context.scheduler.advance(999);
      assert.equal(context.judgeRescaleCalls, 0, 'each change restarts the stabilization');
      context.expect('Restarting');
      context.scheduler.advance(1);
      assert.equal(context.judgeRescaleCalls, 1);
    }));

  it('forces a too-small increase after scaling-interval.max', () =>
    withTestingContext((context) => {
      context.scalingIntervalMaxMs = 60_000;
      context.rescaleVerdict = 'too-small-increase';
      const { state } = executing(context);
      context.scheduler.runDue();
      context.scheduler.advance(30_000);
      state.onNewResources('taskmanager-joined');
      context.scheduler.advance(29_999);
      assert.equal(context.transition, undefined, 'a too-small increase does not rescale at once');
      context.expect('Restarting', (t) => {
        assert.equal(t.backoffMs, 0);
        assert.equal(t.failure, undefined);
      });
      context.scheduler.advance(1);
    }));

  it('never forces a too-small increase without scaling-interval.max', () =>
    withTestingContext((context) => {
      context.rescaleVerdict = 'too-small-increase';
      executing(context);
      context.scheduler.advance(24 * 3_600_000);
      assert.deepEqual(context.scheduler.pendingDelays, []);
    }));

  it('does not force a rescale when the parallelism no longer differs by then', () =>
    withTestingContext((context) => {
      context.scalingIntervalMaxMs = 60_000;
      context.rescaleVerdict = 'too-small-increase';
      executing(context);
      context.scheduler.runDue();
      context.rescaleVerdict = 'unchanged';
      context.scheduler.advance(120_000);
    }));
});

describe('Executing: leaving', () => {
  it('goes to Canceling and stops checkpointing when canceled', () =>
    withTestingContext((context) => {
      const { state, deployment } = executing(context);
      context.expect('Canceling', (t) => assert.equal(t.deployment, deployment));
      state.cancel();
      assert.ok(context.checkpointing.stopped);
    }));

  it('goes to StopWithSavepoint with the target directory; the promise settles from there', async () =>
    withTestingContext(async (context) => {
      const { state, deployment } = executing(context);
      let resolveStop: ((path: string) => void) | undefined;
      context.expect('StopWithSavepoint', (t) => {
        assert.equal(t.deployment, deployment);
        assert.deepEqual(t.request, { targetDirectory: '/tmp/sp', drain: true });
        resolveStop = t.resolve;
      });
      const stopped = state.stopWithSavepoint('/tmp/sp', true);
      assert.ok(context.checkpointing.stopped, 'periodic checkpoints stop before the synchronous savepoint');
      resolveStop!('/tmp/sp/savepoint-7');
      assert.equal(await stopped, '/tmp/sp/savepoint-7');
    }));

  it('stops checkpointing when it is left', () =>
    withTestingContext((context) => {
      const { state } = executing(context);
      state.onAllRunning();
      state.onLeave();
      assert.ok(context.checkpointing.stopped);
    }));

  it('ends SUSPENDED at once (the JobManager is going away), telling the tasks to stop and releasing the slots', () =>
    withTestingContext((context) => {
      const { state, deployment } = executing(context);
      context.expect('Finished', (t) => assert.equal(t.result.status, 'SUSPENDED'));
      state.suspend();
      assert.equal(deployment.cancelCalls, 1);
      assert.ok(context.releasedSlots.includes(deployment));
      assert.ok(context.checkpointing.stopped);
    }));
});
