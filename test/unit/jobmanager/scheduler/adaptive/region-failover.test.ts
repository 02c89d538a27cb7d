import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Executing } from '../../../../../src/jobmanager/scheduler/adaptive/states/executing.js';
import { GraphDeployment, type RestoreAssignment } from '../../../../../src/jobmanager/scheduler/deployment/graph-deployment.js';
import type { Execution } from '../../../../../src/jobmanager/scheduler/execution-graph/execution.js';
import type { ExecutionGraph } from '../../../../../src/jobmanager/scheduler/execution-graph/execution-graph.js';
import type { Allocation } from '../../../../../src/jobmanager/slotpool/slot-pool.js';
import { newAllocationId } from '../../../../../src/core/ids.js';
import { requiredSlots } from '../../../../../src/jobmanager/scheduler/deployment/slot-sharing.js';
import { TESTING_DEPLOYMENT_SETTINGS, withTestingContext, type TestingStateContext } from '../../../../helpers/testing-state-context.js';
import { asJobId, asVertexId } from '../../../../helpers/ids.js';
import { captureLogs, testingError, testingExecutionGraph, testingTaskManager, type TestingTaskExecutorGateway } from './testing-job.js';

captureLogs();

/** A running job in Executing over a real GraphDeployment whose TaskManager gateway records what it is asked. */
interface RunningJob {
  readonly state: Executing;
  readonly deployment: GraphDeployment;
  readonly graph: ExecutionGraph;
  readonly gateway: TestingTaskExecutorGateway;
}

/**
 * Enters Executing with `parallelism` (inputs of `forward` vertices are forward edges), deploys,
 * and reports every task RUNNING, so checkpointing has started once.
 */
function running(context: TestingStateContext, parallelism: Record<string, number>, forward: readonly string[]): RunningJob {
  const graph = testingExecutionGraph(parallelism, 0, forward);
  const { taskManager, gateway } = testingTaskManager(requiredSlots(graph));
  const allocations: Allocation[] = Array.from({ length: requiredSlots(graph) }, (_, slotIndex) => ({
    allocationId: newAllocationId(),
    jobId: asJobId('job'),
    taskManager,
    slotIndex,
  }));
  let state: Executing | undefined;
  const deployment = new GraphDeployment(graph, allocations, TESTING_DEPLOYMENT_SETTINGS, undefined, {
    onAllRunning: () => state?.onAllRunning(),
    onAllFinished: () => state?.onAllFinished(),
    onFailure: (execution, error) => state?.onFailure(execution, error),
  });
  state = context.enter(new Executing(context, deployment, () => 'failure'));
  context.scheduler.runDue();
  reportAll(deployment, graph.executions(), 'RUNNING');
  assert.equal(context.checkpointing.starts, 1);
  return { state, deployment, graph, gateway };
}

function reportAll(deployment: GraphDeployment, executions: readonly Execution[], state: Execution['state']): void {
  for (const execution of executions) deployment.updateState({ jobId: asJobId('job'), attemptId: execution.attemptId, state });
}

function fail(deployment: GraphDeployment, execution: Execution, name = 'Error'): void {
  deployment.updateState({
    jobId: asJobId('job'),
    attemptId: execution.attemptId,
    state: 'FAILED',
    error: testingError('user code threw', name),
  });
}

function subtask(graph: ExecutionGraph, vertex: string, index: number): Execution {
  return graph.vertex(asVertexId(vertex))!.executions[index]!;
}

/** A restore assignment naming the checkpoint and the subtask, so a test can tell which one a task got. */
function restoreOf(graph: ExecutionGraph): RestoreAssignment {
  return new Map(
    graph.vertices.map((vertex) => [
      vertex.id,
      vertex.executions.map((e) => ({ checkpointId: 7, operators: [{ operatorId: `${vertex.id}-${e.subtaskIndex}` }] }) as never),
    ]),
  );
}

const TWO_PIPELINES = { source: 2, sink: 2 };

describe('Executing with failover-strategy region', () => {
  it('restarts only the failed subtask region after the back-off, from the latest checkpoint, and keeps the job RUNNING', () =>
    withTestingContext(async (context) => {
      context.failoverStrategy = 'region';
      context.failureHandling = { restart: true, backoffMs: 1_000 };
      context.restore = restoreOf;
      const { state, deployment, graph, gateway } = running(context, TWO_PIPELINES, ['sink']);
      const untouched = [subtask(graph, 'source', 0), subtask(graph, 'sink', 0)];
      const failed = [subtask(graph, 'source', 1), subtask(graph, 'sink', 1)];
      gateway.submitted.length = 0;

      fail(deployment, failed[1]!);
      assert.equal(context.handledFailures.length, 1, 'the restart strategy counts the failure');
      assert.equal(context.regionRestarts, 1);
      assert.deepEqual(context.checkpointing.pauses.length, 1, 'pending checkpoints are aborted');
      assert.equal(context.checkpointing.stopped, false);
      assert.deepEqual(gateway.canceled, [failed[0]!.attemptId], 'only the live task of the region is canceled');
      assert.equal(state.jobStatus, 'RUNNING');

      await context.settle();
      assert.equal(gateway.submitted.length, 0, 'nothing is deployed before the back-off');
      // A late failure report of the canceled task counts no second failure.
      fail(deployment, failed[0]!);
      assert.equal(context.handledFailures.length, 1);

      context.scheduler.advance(1_000);
      assert.deepEqual(
        gateway.submitted.map((d) => [d.vertexName, d.subtaskIndex, d.attemptNumber, d.slotIndex, d.restore?.operators[0]?.operatorId]),
        [
          ['sink', 1, 1, failed[1]!.allocation!.slotIndex, 'sink-1'],
          ['source', 1, 1, failed[0]!.allocation!.slotIndex, 'source-1'],
        ],
        'new attempts of just the region, consumers first, in the same slots, each with its own restore',
      );
      const sink = gateway.submitted[0]!;
      assert.equal(sink.inputs[0]!.channels[0]!.producerAttemptId, gateway.submitted[1]!.attemptId, 'the new sink reads the new source');
      assert.deepEqual(
        graph.executions().map((e) => [e.taskName, e.state]),
        [
          ['source (1/2)#0', 'RUNNING'],
          ['source (2/2)#1', 'DEPLOYING'],
          ['sink (1/2)#0', 'RUNNING'],
          ['sink (2/2)#1', 'DEPLOYING'],
        ],
      );
      assert.deepEqual([subtask(graph, 'source', 0), subtask(graph, 'sink', 0)], untouched, 'the other region keeps its attempts');

      reportAll(deployment, [subtask(graph, 'sink', 1), subtask(graph, 'source', 1)], 'RUNNING');
      assert.equal(context.checkpointing.starts, 2, 'periodic checkpoints resume once the region runs again');
      assert.equal(context.transition, undefined, 'the job never left Executing');
    }));

  it('restarts a region again when it fails again after it was redeployed', () =>
    withTestingContext(async (context) => {
      context.failoverStrategy = 'region';
      context.failureHandling = { restart: true, backoffMs: 0 };
      const { deployment, graph, gateway } = running(context, TWO_PIPELINES, ['sink']);
      fail(deployment, subtask(graph, 'source', 0));
      await context.settle();
      reportAll(deployment, [subtask(graph, 'sink', 0), subtask(graph, 'source', 0)], 'RUNNING');
      fail(deployment, subtask(graph, 'sink', 0));
      await context.settle();
      assert.equal(context.regionRestarts, 2);
      assert.deepEqual(
        graph.executions().map((e) => e.attemptNumber),
        [2, 0, 2, 0],
      );
      assert.equal(gateway.submitted.filter((d) => d.attemptNumber === 2).length, 2);
    }));

  it('waits for a checkpoint that is being finalized before it reads the latest one', () =>
    withTestingContext(async (context) => {
      context.failoverStrategy = 'region';
      context.failureHandling = { restart: true, backoffMs: 0 };
      const reads: number[] = [];
      context.restore = () => {
        reads.push(context.scheduler.now);
        return undefined;
      };
      const { deployment, graph, gateway } = running(context, TWO_PIPELINES, ['sink']);
      gateway.submitted.length = 0;
      context.checkpointing.finalizing = true;
      fail(deployment, subtask(graph, 'sink', 1));
      await context.settle();
      context.scheduler.advance(100);
      assert.deepEqual(reads, []);
      assert.equal(gateway.submitted.length, 0);
      context.checkpointing.finalizing = false;
      context.scheduler.advance(10);
      assert.equal(reads.length, 1);
      assert.equal(gateway.submitted.length, 2);
    }));

  it('restarts the whole job when a second region fails while the first restarts', () =>
    withTestingContext(async (context) => {
      context.failoverStrategy = 'region';
      context.failureHandling = { restart: true, backoffMs: 1_000 };
      const { deployment, graph } = running(context, TWO_PIPELINES, ['sink']);
      fail(deployment, subtask(graph, 'sink', 0));
      await context.settle();
      context.expect('Restarting', (t) => assert.equal(t.backoffMs, 1_000));
      fail(deployment, subtask(graph, 'sink', 1));
      assert.equal(context.handledFailures.length, 2);
      assert.ok(context.checkpointing.stopped);
      context.scheduler.advance(1_000);
    }));

  it('restarts the whole job when the failed region cannot be given its checkpoint', () =>
    withTestingContext(async (context) => {
      context.failoverStrategy = 'region';
      context.failureHandling = { restart: true, backoffMs: 0 };
      context.restore = () => {
        throw new Error('checkpoint 7 cannot be read');
      };
      const { deployment, graph, gateway } = running(context, TWO_PIPELINES, ['sink']);
      gateway.submitted.length = 0;
      context.expect('Restarting', (t) => assert.match(t.failure?.message ?? '', /checkpoint 7 cannot be read/));
      fail(deployment, subtask(graph, 'sink', 1));
      await context.settle();
      assert.equal(gateway.submitted.length, 0);
    }));

  it('restarts the whole job for a lost TaskManager, which changes the parallelism', () =>
    withTestingContext((context) => {
      context.failoverStrategy = 'region';
      context.failureHandling = { restart: true, backoffMs: 0 };
      const { deployment, graph } = running(context, TWO_PIPELINES, ['sink']);
      context.expect('Restarting');
      fail(deployment, subtask(graph, 'sink', 1), 'TaskManagerLostException');
      assert.equal(context.regionRestarts, 0);
    }));

  it('restarts the whole job when an all-to-all edge makes the region the whole job', () =>
    withTestingContext((context) => {
      context.failoverStrategy = 'region';
      context.failureHandling = { restart: true, backoffMs: 0 };
      const { deployment, graph } = running(context, TWO_PIPELINES, []);
      context.expect('Restarting');
      fail(deployment, subtask(graph, 'sink', 1));
      assert.equal(context.regionRestarts, 0);
    }));

  it('fails the job when the restart strategy allows no restart', () =>
    withTestingContext((context) => {
      context.failoverStrategy = 'region';
      context.failureHandling = { restart: false };
      const { deployment, graph } = running(context, TWO_PIPELINES, ['sink']);
      context.expect('Failing');
      fail(deployment, subtask(graph, 'sink', 1));
    }));

  it('refuses to stop with a savepoint while a region is down, and stops once it is deployed again', () =>
    withTestingContext(async (context) => {
      context.failoverStrategy = 'region';
      context.failureHandling = { restart: true, backoffMs: 500 };
      const { state, deployment, graph } = running(context, TWO_PIPELINES, ['sink']);
      fail(deployment, subtask(graph, 'sink', 1));
      await assert.rejects(state.stopWithSavepoint('/tmp/savepoints'), /a region of the job is restarting/);
      await context.settle();
      context.scheduler.advance(500);
      context.expect('StopWithSavepoint');
      state.stopWithSavepoint('/tmp/savepoints').catch(() => undefined);
    }));

  it('refuses a TaskManager leave while a region is down: it leaves the old way', () =>
    withTestingContext(async (context) => {
      context.failoverStrategy = 'region';
      context.failureHandling = { restart: true, backoffMs: 500 };
      context.checkpointingEnabled = true;
      const { state, deployment, graph } = running(context, TWO_PIPELINES, ['sink']);
      fail(deployment, subtask(graph, 'sink', 1));
      state.onTaskManagerLeaving(10_000);
      assert.deepEqual(context.refusedLeaves, ['a region of the job is restarting, so no checkpoint can be taken now']);
      assert.equal(context.transition, undefined);
      await context.settle();
      context.scheduler.advance(500);
      assert.equal(subtask(graph, 'sink', 1).attemptNumber, 1, 'the region is deployed again');
    }));

  it('rescales from the latest checkpoint, not a fresh one, while a region is down', () =>
    withTestingContext((context) => {
      context.failoverStrategy = 'region';
      context.failureHandling = { restart: true, backoffMs: 500 };
      context.checkpointingEnabled = true;
      context.freshCheckpointDelayMs = 3_000;
      const { state, deployment, graph } = running(context, TWO_PIPELINES, ['sink']);
      fail(deployment, subtask(graph, 'sink', 1));
      context.rescaleVerdict = 'rescale';
      context.expect('Restarting', (t) => assert.equal(t.backoffMs, 0));
      state.onNewResources('taskmanager-joined');
    }));

  it('deploys nothing once the job left Executing during the region restart', () =>
    withTestingContext(async (context) => {
      context.failoverStrategy = 'region';
      context.failureHandling = { restart: true, backoffMs: 500 };
      const { state, deployment, graph, gateway } = running(context, TWO_PIPELINES, ['sink']);
      gateway.submitted.length = 0;
      fail(deployment, subtask(graph, 'sink', 1));
      context.expect('Canceling');
      state.cancel();
      await context.settle();
      context.scheduler.advance(500);
      assert.equal(gateway.submitted.length, 0);
    }));
});

describe('Executing with failover-strategy full', () => {
  it('restarts the whole job even when the pipelines are independent', () =>
    withTestingContext((context) => {
      context.failureHandling = { restart: true, backoffMs: 0 };
      const { deployment, graph } = running(context, TWO_PIPELINES, ['sink']);
      context.expect('Restarting');
      fail(deployment, subtask(graph, 'sink', 1));
      assert.equal(context.regionRestarts, 0);
      assert.deepEqual(context.checkpointing.pauses, []);
    }));
});
