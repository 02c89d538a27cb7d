import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configureLogging, MemoryLogSink } from '../../../src/core/logging.js';
import type { TaskDeploymentDescriptor } from '../../../src/rpc/gateways/task-deployment-descriptor.js';
import { getJson, waitFor } from '../../helpers/test-dist.js';
import { SINK_ID, TestingJobManager, twoVertexGraph } from './testing-job-manager.js';
import { asJobId } from '../../helpers/ids.js';

interface Change {
  cause: string;
  downtimeMs: number;
  downtimeStart: number;
  downtimeBasis: string;
}

configureLogging(new MemoryLogSink(), 'INFO');

/**
 * The wiring of the downtime figure through the real JobManager: the gateway TaskManagers call, the
 * JobMaster, the Adaptive Scheduler's runs (which attempts are sinks) and the REST endpoint.
 */
describe('parallelism-history downtime from task reports', () => {
  const jm = new TestingJobManager({ 'scheduler-mode': 'reactive' });
  const taskManagers: Array<{ deployed: TaskDeploymentDescriptor[] }> = [];
  let url = '';
  let jobId = '';

  /** Adds a one-slot TaskManager whose testing gateway lists what is deployed to it. */
  const addTaskManager = (): void => {
    taskManagers.push(jm.addTaskManager(1).gateway as unknown as { deployed: TaskDeploymentDescriptor[] });
  };
  const deployedAll = (): TaskDeploymentDescriptor[] => taskManagers.flatMap((tm) => tm.deployed);

  const history = async (): Promise<Change[]> => (await getJson<{ changes: Change[] }>(url, `/jobs/${jobId}/parallelism-history`)).changes;

  before(async () => {
    url = await jm.startRest();
    jobId = (await jm.submit(twoVertexGraph())).jobId;
  });
  after(() => jm.close());

  it('settles the entry once every sink of the new run reported its first record', async () => {
    addTaskManager();
    await waitFor('the first run to be deployed', () => (deployedAll().length === 2 ? true : undefined));
    const firstRun = deployedAll();
    addTaskManager();
    await waitFor('the rescale to 2 to be deployed', () => (deployedAll().length === 6 ? true : undefined));
    const secondRun = deployedAll().filter((tdd) => !firstRun.includes(tdd));
    const newSinks = secondRun.filter((tdd) => tdd.vertexId === SINK_ID);
    const newSource = secondRun.find((tdd) => tdd.vertexId !== SINK_ID)!;
    assert.equal(newSinks.length, 2);
    assert.deepEqual(
      (await history()).map((change) => [change.cause, change.downtimeBasis]),
      [
        ['initial-schedule', 'none'],
        ['taskmanager-joined', 'pending'],
      ],
    );

    const gateway = jm.dispatcher.jobMasterGateway;
    const lastRecord = Date.now();
    const oldSink = firstRun.find((tdd) => tdd.vertexId === SINK_ID)!;
    await gateway.updateTaskExecutionState({
      jobId: asJobId(jobId),
      attemptId: oldSink.attemptId,
      state: 'CANCELED',
      lastRecordAt: lastRecord,
    });
    // A source's record does not end the outage; neither does a notice from an attempt of another run.
    gateway.reportFirstActivity({ jobId: asJobId(jobId), attemptId: newSource.attemptId, at: lastRecord + 10, kind: 'record' });
    gateway.reportFirstActivity({ jobId: asJobId(jobId), attemptId: oldSink.attemptId, at: lastRecord + 20, kind: 'record' });
    gateway.reportFirstActivity({ jobId: asJobId(jobId), attemptId: newSinks[0]!.attemptId, at: lastRecord + 120, kind: 'record' });
    assert.equal((await history())[1]?.downtimeBasis, 'pending');
    gateway.reportFirstActivity({ jobId: asJobId(jobId), attemptId: newSinks[1]!.attemptId, at: lastRecord + 300, kind: 'record' });
    const settled = (await history())[1];
    assert.deepEqual([settled?.downtimeStart, settled?.downtimeMs, settled?.downtimeBasis], [lastRecord, 300, 'records']);
  });

  it('drops malformed first-activity notices at the gateway', async () => {
    const gateway = jm.dispatcher.jobMasterGateway;
    const before = await history();
    for (const notice of [
      null,
      'x',
      { jobId, attemptId: 7, at: 1, kind: 'record' },
      { jobId, attemptId: 'a', at: 'soon', kind: 'record' },
      { jobId, attemptId: 'a', at: 1, kind: 'other' },
    ]) {
      gateway.reportFirstActivity(notice as never);
    }
    assert.deepEqual(await history(), before);
  });
});
