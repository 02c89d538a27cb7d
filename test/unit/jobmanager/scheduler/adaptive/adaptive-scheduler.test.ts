import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Configuration } from '../../../../../src/config/configuration.js';
import { createJobCheckpointServices } from '../../../../../src/jobmanager/checkpoint/checkpoint-services.js';
import type { CheckpointSettings } from '../../../../../src/jobmanager/checkpoint/checkpoint-settings.js';
import { createRestartStrategy } from '../../../../../src/jobmanager/failover/restart-strategy.js';
import { ExceptionHistory } from '../../../../../src/jobmanager/jobmaster/exception-history.js';
import { JobStatusTracker } from '../../../../../src/jobmanager/jobmaster/job-status-tracker.js';
import { RescaleTimeline } from '../../../../../src/jobmanager/jobmaster/rescale-timeline.js';
import { createScheduler } from '../../../../../src/jobmanager/jobmaster/scheduler-factory.js';
import { AdaptiveScheduler } from '../../../../../src/jobmanager/scheduler/adaptive/adaptive-scheduler.js';
import { JobCheckpointing } from '../../../../../src/jobmanager/scheduler/checkpointing/job-checkpointing.js';
import type { ExecutionState } from '../../../../../src/rpc/gateways/job-master-gateway.js';
import { SlotPool } from '../../../../../src/jobmanager/slotpool/slot-pool.js';
import { waitUntil } from '../../../../helpers/wait-until.js';
import { captureLogs, testingJobGraph, testingTaskManager } from './testing-job.js';
import { asJobId } from '../../../../helpers/ids.js';

captureLogs();

const JOB = asJobId('job');

const CHECKPOINTS_OFF: CheckpointSettings = {
  intervalMs: undefined,
  mode: 'EXACTLY_ONCE',
  timeoutMs: 60_000,
  minPauseMs: 0,
  maxConcurrent: 1,
  numRetained: 1,
  tolerableFailures: 0,
  storage: { kind: 'memory' },
  savepointDirectory: undefined,
  retention: 'NO_EXTERNALIZED_CHECKPOINTS',
  historySize: 10,
};

/** A Reactive Mode job (source → sink) on a real SlotPool with fake TaskManagers, rescaling without cooldown. */
async function reactiveJob(overrides: Record<string, string | number> = {}, checkpointSettings: CheckpointSettings = CHECKPOINTS_OFF) {
  const configuration = Configuration.empty().withOverrides({
    'scheduler-mode': 'reactive',
    'jobmanager.adaptive-scheduler.executing.cooldown-after-rescaling': '0 ms',
    'jobmanager.adaptive-scheduler.executing.resource-stabilization-timeout': '0 ms',
    ...overrides,
  });
  const slotPool = new SlotPool();
  const graph = testingJobGraph([{ name: 'source' }, { name: 'sink' }]);
  const status = new JobStatusTracker(JOB, graph.jobName);
  const exceptions = new ExceptionHistory(16);
  const checkpointing = new JobCheckpointing(JOB, checkpointSettings, await createJobCheckpointServices(checkpointSettings, JOB), false);
  const timeline = new RescaleTimeline();
  const scheduler = createScheduler(
    configuration,
    {
      jobId: JOB,
      graph,
      slotPool,
      status,
      exceptions,
      deployment: {
        jobName: graph.jobName,
        checkpointing: { enabled: false, mode: 'EXACTLY_ONCE', checkpointDirectory: undefined },
        bufferTimeoutMs: 100,
        autoWatermarkIntervalMs: 200,
      },
      restartStrategy: createRestartStrategy(configuration, false),
      defaultParallelism: 1,
      slotRequestTimeoutMs: 300_000,
    },
    checkpointing,
    timeline,
  );
  assert.ok(scheduler instanceof AdaptiveScheduler);
  return { scheduler, slotPool, status, exceptions, timeline };
}

type Job = Awaited<ReturnType<typeof reactiveJob>>;

/** The scheduler moves on in timer and promise callbacks; this checks after each of them, never on a polling timer. */
const waitFor = waitUntil;

/** Waits for a run at `parallelism` to be in Executing and reports every task of it in `state`. */
async function runAt(job: Job, parallelism: number, state: ExecutionState = 'RUNNING'): Promise<string[]> {
  await waitFor(
    () => job.scheduler.currentState.name === 'Executing' && job.scheduler.currentGraph()?.vertices[0]?.parallelism === parallelism,
    `a run at parallelism ${parallelism}`,
  );
  const graph = job.scheduler.currentGraph()!;
  await waitFor(() => graph.allInState('DEPLOYING'), 'the tasks to be deployed');
  const attempts = graph.executions().map((e) => e.attemptId);
  for (const attemptId of attempts) job.scheduler.updateTaskExecutionState({ jobId: JOB, attemptId, state });
  return attempts;
}

const statuses = (job: Job): string[] => job.status.history.map((entry) => entry.status);

describe('AdaptiveScheduler in Reactive Mode', () => {
  it('runs the job with every slot the TaskManagers offer', async () => {
    const job = await reactiveJob();
    const tm = testingTaskManager(2);
    job.slotPool.onTaskManagerRegistered(tm.taskManager);
    assert.equal(job.scheduler.currentState.name, 'Created');
    job.scheduler.startScheduling();
    await runAt(job, 2);
    assert.equal(tm.gateway.submitted.length, 4, 'two source and two sink subtasks, sharing two slots');
    assert.deepEqual(statuses(job), ['INITIALIZING', 'CREATED', 'RUNNING']);
    assert.equal(job.slotPool.freeSlots, 0);
  });

  it('rescales when a TaskManager joins: RUNNING → RESTARTING → CREATED → RUNNING, counted as a rescale', async () => {
    const job = await reactiveJob();
    const first = testingTaskManager(2);
    job.slotPool.onTaskManagerRegistered(first.taskManager);
    job.scheduler.startScheduling();
    const oldAttempts = await runAt(job, 2);
    job.slotPool.onTaskManagerRegistered(testingTaskManager(2).taskManager);
    await runAt(job, 4);
    assert.deepEqual(statuses(job), ['INITIALIZING', 'CREATED', 'RUNNING', 'RESTARTING', 'CREATED', 'RUNNING']);
    assert.deepEqual(first.gateway.canceled.sort(), [...oldAttempts].sort(), 'the old run is canceled before the new one starts');
    assert.equal(job.scheduler.currentGraph()!.attemptNumber, 1);
    assert.equal(job.timeline.numRestarts, 1);
    assert.equal(job.timeline.numRescales, 1);
    assert.deepEqual(
      job.timeline.changes.map((c) => [c.cause, c.parallelism]),
      [
        ['initial-schedule', { source: 2, sink: 2 }],
        ['taskmanager-joined', { source: 4, sink: 4 }],
      ],
    );
  });

  it('restarts at a lower parallelism when a TaskManager is lost and the restart strategy allows', async () => {
    const job = await reactiveJob({ 'restart-strategy.type': 'fixed-delay', 'restart-strategy.fixed-delay.delay': '0 ms' });
    const kept = testingTaskManager(2);
    const lost = testingTaskManager(2);
    job.slotPool.onTaskManagerRegistered(kept.taskManager);
    job.slotPool.onTaskManagerRegistered(lost.taskManager);
    job.scheduler.startScheduling();
    await runAt(job, 4);
    job.slotPool.onTaskManagerLost(lost.taskManager, 'heartbeat-timeout', 'The heartbeat of TaskManager timed out.');
    await runAt(job, 2);
    assert.equal(job.timeline.numRestarts, 1);
    assert.equal(job.timeline.numRescales, 0, 'a failure is not a rescale');
    assert.deepEqual(
      job.timeline.changes.map((c) => c.cause),
      ['initial-schedule', 'taskmanager-lost-heartbeat'],
    );
    assert.equal(job.exceptions.list()[0]?.exceptionName, 'TaskManagerLostException');
    assert.ok(
      job.scheduler
        .currentGraph()!
        .executions()
        .every((e) => e.allocation?.taskManager === kept.taskManager),
    );
  });

  it('fails the job when a TaskManager is lost and no restart strategy is set (checkpointing off)', async () => {
    const job = await reactiveJob();
    const kept = testingTaskManager(1);
    const lost = testingTaskManager(1);
    job.slotPool.onTaskManagerRegistered(kept.taskManager);
    job.slotPool.onTaskManagerRegistered(lost.taskManager);
    job.scheduler.startScheduling();
    await runAt(job, 2);
    job.slotPool.onTaskManagerLost(lost.taskManager, 'socket-closed', 'connection closed');
    const result = await job.scheduler.whenTerminated();
    assert.equal(result.status, 'FAILED');
    assert.equal(result.error?.name, 'TaskManagerLostException');
    assert.deepEqual(statuses(job).slice(-2), ['FAILING', 'FAILED']);
    assert.equal(job.slotPool.freeSlots, 1, 'the remaining slot is given back');
  });

  it('ends FINISHED and gives its slots back when every task finished', async () => {
    const job = await reactiveJob();
    job.slotPool.onTaskManagerRegistered(testingTaskManager(2).taskManager);
    job.scheduler.startScheduling();
    await runAt(job, 2);
    const graph = job.scheduler.currentGraph()!;
    for (const execution of graph.executions())
      job.scheduler.updateTaskExecutionState({ jobId: JOB, attemptId: execution.attemptId, state: 'FINISHED' });
    assert.deepEqual(await job.scheduler.whenTerminated(), { status: 'FINISHED' });
    assert.equal(job.slotPool.freeSlots, 2);
  });

  it('cancels: CANCELLING, every task canceled, then CANCELED with the slots back', async () => {
    const job = await reactiveJob();
    const tm = testingTaskManager(2);
    job.slotPool.onTaskManagerRegistered(tm.taskManager);
    job.scheduler.startScheduling();
    const attempts = await runAt(job, 2);
    job.scheduler.cancel();
    assert.equal(job.status.status, 'CANCELLING');
    assert.deepEqual(await job.scheduler.whenTerminated(), { status: 'CANCELED' });
    assert.deepEqual(tm.gateway.canceled.sort(), [...attempts].sort());
    assert.equal(job.slotPool.freeSlots, 2);
  });

  it('keeps the run going, without deploying it again, when a stop-with-savepoint fails', async () => {
    const job = await reactiveJob();
    const tm = testingTaskManager(2);
    job.slotPool.onTaskManagerRegistered(tm.taskManager);
    job.scheduler.startScheduling();
    await runAt(job, 2);
    const graph = job.scheduler.currentGraph();
    await assert.rejects(job.scheduler.stopWithSavepoint(undefined), /savepoint/i);
    await waitFor(() => job.scheduler.currentState.name === 'Executing', 'the job to execute again');
    // Executing's entry work is due after delay 0: wait until it has run.
    await waitFor(() => job.scheduler.pendingStateActions === 0, "Executing's entry work to run");
    assert.equal(job.scheduler.currentGraph(), graph);
    assert.equal(tm.gateway.submitted.length, 4, 'running tasks are not submitted twice');
    assert.ok(graph!.allInState('RUNNING'));
    assert.equal(job.timeline.changes.length, 1, 'no new run started');
  });
});

describe('AdaptiveScheduler: a TaskManager leaving on purpose', () => {
  /** Checkpoints on (in memory), periodic ones far apart so only the rescale's is taken. */
  const CHECKPOINTS_ON: CheckpointSettings = { ...CHECKPOINTS_OFF, intervalMs: 3_600_000 };

  it('takes a checkpoint, rescales from it without back-off or failure, and only then lets it go', async () => {
    const job = await reactiveJob({}, CHECKPOINTS_ON);
    const kept = testingTaskManager(1);
    const leaving = testingTaskManager(1);
    job.slotPool.onTaskManagerRegistered(kept.taskManager);
    job.slotPool.onTaskManagerRegistered(leaving.taskManager);
    job.scheduler.startScheduling();
    await runAt(job, 2);
    let answer: unknown;
    job.slotPool.announceLeave(leaving.taskManager, 5_000).then(
      (outcome) => (answer = outcome),
      (error: unknown) => (answer = error),
    );
    await waitFor(() => job.scheduler.currentState.name === 'RescalingOnCheckpoint', 'the rescale on a checkpoint');
    await waitFor(() => kept.gateway.triggers.length + leaving.gateway.triggers.length === 2, 'the checkpoint at both sources');
    const trigger = kept.gateway.triggers[0]!;
    assert.equal(trigger.haltSources, true, 'the sources halt after its barrier');
    assert.equal(job.status.status, 'RUNNING', 'the job keeps running while the checkpoint is taken');
    assert.equal(answer, undefined, 'not released before the job moved');
    const state = { operators: [], stateSize: 0, alignmentDurationMs: 0, syncDurationMs: 0, asyncDurationMs: 0 };
    for (const execution of job.scheduler.currentGraph()!.executions())
      job.scheduler.acknowledgeCheckpoint({ jobId: JOB, attemptId: execution.attemptId, checkpointId: trigger.checkpointId, state });
    await runAt(job, 1);
    assert.deepEqual(answer, { released: true });
    assert.ok(
      job.scheduler
        .currentGraph()!
        .executions()
        .every((e) => e.allocation?.taskManager === kept.taskManager),
      'the new run is on the TaskManager that stays',
    );
    const change = job.timeline.changes.at(-1)!;
    assert.equal(change.cause, 'taskmanager-stopped');
    assert.equal(change.restoredCheckpointId, trigger.checkpointId, 'restored from the checkpoint taken for the leave');
    assert.equal(change.restartBackoffMs, 0);
    assert.equal(job.timeline.numRescales, 1);
    assert.equal(job.timeline.numRestarts, 1, "Flink's numRestarts counts the rescale too");
    assert.deepEqual(job.exceptions.list(), [], 'no failure recorded');
  });

  it('refuses at once without checkpointing, and the job keeps running on the TaskManager', async () => {
    const job = await reactiveJob();
    const leaving = testingTaskManager(2);
    job.slotPool.onTaskManagerRegistered(leaving.taskManager);
    job.scheduler.startScheduling();
    await runAt(job, 2);
    const outcome = await job.slotPool.announceLeave(leaving.taskManager, 5_000);
    assert.equal(outcome.released, false);
    assert.match(outcome.released ? '' : outcome.reason, /checkpointing is disabled/);
    assert.equal(job.scheduler.currentState.name, 'Executing');
    assert.equal(job.timeline.changes.length, 1);
  });
});

describe('AdaptiveScheduler transitions', () => {
  it('refuses a transition while another one is in progress', async () => {
    const job = await reactiveJob();
    const refused: unknown[] = [];
    job.status.addListener((status) => {
      if (status !== 'CREATED') return;
      try {
        job.scheduler.cancel();
      } catch (error) {
        refused.push(error);
      }
    });
    job.scheduler.startScheduling();
    assert.equal(refused.length, 1);
    assert.match(String(refused[0]), /a transition out of .* is already in progress/);
    assert.equal(job.scheduler.currentState.name, 'WaitingForResources');
    job.scheduler.cancel();
    assert.deepEqual(await job.scheduler.whenTerminated(), { status: 'CANCELED' });
  });

  it('never leaves Finished', async () => {
    const job = await reactiveJob();
    job.scheduler.startScheduling();
    job.scheduler.cancel();
    assert.equal(job.scheduler.currentState.name, 'Finished');
    job.scheduler.goToWaitingForResources(undefined, 'initial-schedule');
    job.scheduler.cancel();
    job.scheduler.suspend('shutdown');
    const tm = testingTaskManager(2);
    job.slotPool.onTaskManagerRegistered(tm.taskManager);
    // Whatever the new slots scheduled has run (or was dropped with its state) once no state action is pending.
    await waitFor(() => job.scheduler.pendingStateActions === 0, 'the scheduled state actions to run');
    assert.equal(job.scheduler.currentState.name, 'Finished');
    assert.equal(job.status.status, 'CANCELED');
    assert.deepEqual(tm.gateway.submitted, []);
    assert.deepEqual(await job.scheduler.whenTerminated(), { status: 'CANCELED' });
  });
});
