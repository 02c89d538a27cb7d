import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configureLogging, MemoryLogSink } from '../../../src/core/logging.js';
import type { JobMaster } from '../../../src/jobmanager/jobmaster/job-master.js';
import type { TaskMetricsReport, TaskMetricsSnapshot } from '../../../src/rpc/gateways/task-metrics-report.js';
import { createRestRouter } from '../../../src/rest/rest-routes.js';
import { RestServer } from '../../../src/rest/rest-server.js';
import { waitFor } from '../../helpers/test-dist.js';
import { SINK_ID, SOURCE_ID, TestingJobManager, twoVertexGraph } from '../rest/testing-job-manager.js';
import { asAttemptId, asResourceId } from '../../helpers/ids.js';

configureLogging(new MemoryLogSink(), 'INFO');

// REST bodies are open JSON; each assertion reads only the fields it checks.
type Json = any;

/** A JobManager in this process with the real REST router and metric endpoints on a real HTTP server. */
async function startJobManager(overrides: Record<string, string>): Promise<{ jm: TestingJobManager; server: RestServer; url: string }> {
  const jm = new TestingJobManager(overrides);
  const server = new RestServer(createRestRouter(jm.dispatcher, jm.dispatcher.metricQuery), {
    bindAddress: '127.0.0.1',
    port: 0,
    maxContentLength: 1 << 20,
    allowOrigin: '*',
  });
  return { jm, server, url: `http://127.0.0.1:${await server.start()}` };
}

async function get(url: string, path: string, status = 200): Promise<Json> {
  const response = await fetch(`${url}${path}`);
  assert.equal(response.status, status, `${path}: ${response.status}`);
  return response.json();
}

/** What a TaskManager would report for every running attempt of `job`: subtask i read 100·(i+1) records. */
function reportFor(job: JobMaster): TaskMetricsReport {
  const tasks: TaskMetricsSnapshot[] = job.scheduler
    .currentGraph()!
    .executions()
    .map((execution) => ({
      vertexId: execution.vertex.id,
      subtaskIndex: execution.subtaskIndex,
      attemptNumber: execution.attemptNumber,
      attemptId: execution.attemptId,
      metrics: {
        numRecordsIn: 100 * (execution.subtaskIndex + 1),
        numRecordsOut: 10,
        numRecordsInPerSecond: 5 * (execution.subtaskIndex + 1),
        numBytesIn: 2048,
        numBytesOut: 1024,
        accumulatedBusyTime: 7,
        accumulatedIdleTime: 900,
        accumulatedBackPressuredTime: 3,
        currentInputWatermark: -(2 ** 63),
      },
      operators: [{ id: 'op', name: execution.vertex.jobVertex.name, metrics: { numRecordsIn: 100 * (execution.subtaskIndex + 1) } }],
    }));
  return { jobId: job.jobId, resourceId: asResourceId('testing-tm-1'), tasks };
}

describe('REST metric endpoints of an in-process JobManager', () => {
  let jm: TestingJobManager;
  let server: RestServer;
  let url = '';
  let job: JobMaster;

  before(async () => {
    ({ jm, server, url } = await startJobManager({
      'jobmanager.scheduler': 'adaptive',
      'jobmanager.adaptive-scheduler.submission.resource-stabilization-timeout': '0 ms',
    }));
    job = await jm.submit(twoVertexGraph({ parallelism: 2 }));
    jm.addTaskManager(2);
    await waitFor('the job to run', () => (job.scheduler.currentGraph()?.allInState('RUNNING') ? true : undefined));
    assert.equal(await jm.dispatcher.jobMasterGateway.reportTaskMetrics(reportFor(job)), true);
  });
  after(async () => {
    await server.stop();
    await jm.close();
  });

  it('lists job metrics as ids and answers get= with string values in the requested order, skipping unknown ids', async () => {
    const ids = (await get(url, `/jobs/${job.jobId}/metrics`)).map((entry: Json) => entry.id);
    for (const name of [
      'numRestarts',
      'numRescales',
      'uptime',
      'downtime',
      'restartingTime',
      'numberOfCompletedCheckpoints',
      'lastCheckpointRestoreTimestamp',
    ])
      assert.ok(ids.includes(name), name);
    const values = await get(url, `/jobs/${job.jobId}/metrics?get=numRestarts,nope,lastCheckpointRestoreTimestamp,downtime`);
    assert.deepEqual(values, [
      { id: 'numRestarts', value: '0' },
      { id: 'lastCheckpointRestoreTimestamp', value: '-1' },
      { id: 'downtime', value: '0' },
    ]);
  });

  it('names vertex metrics by subtask, operator metrics by subtask and operator', async () => {
    const ids: string[] = (await get(url, `/jobs/${job.jobId}/vertices/${SINK_ID}/metrics`)).map((entry: Json) => entry.id);
    assert.ok(ids.includes('0.numRecordsIn') && ids.includes('1.numRecordsIn'));
    assert.ok(ids.includes('1.Sink__collect.numRecordsIn'), 'operator names as Flink writes them in ids');
    const values = await get(url, `/jobs/${job.jobId}/vertices/${SINK_ID}/metrics?get=1.numRecordsIn,0.currentInputWatermark`);
    assert.deepEqual(values, [
      { id: '1.numRecordsIn', value: '200' },
      { id: '0.currentInputWatermark', value: '-9223372036854775808' },
    ]);
  });

  it('sums an unprefixed vertex metric over the subtasks (what the web UI asks for)', async () => {
    const values = await get(url, `/jobs/${job.jobId}/vertices/${SINK_ID}/metrics?get=numRecordsInPerSecond,numRecordsOutPerSecond`);
    assert.deepEqual(values, [{ id: 'numRecordsInPerSecond', value: '15' }]);
  });

  it('aggregates over subtasks with get, agg and subtasks; lists the names without get', async () => {
    const all = await get(url, `/jobs/${job.jobId}/vertices/${SINK_ID}/subtasks/metrics?get=numRecordsIn`);
    assert.deepEqual(all, [{ id: 'numRecordsIn', min: 100, max: 200, avg: 150, sum: 300, skew: 25 }]);
    assert.deepEqual(await get(url, `/jobs/${job.jobId}/vertices/${SINK_ID}/subtasks/metrics?get=numRecordsIn&agg=SUM,max&subtasks=1`), [
      { id: 'numRecordsIn', max: 200, sum: 200 },
    ]);
    const names = (await get(url, `/jobs/${job.jobId}/vertices/${SINK_ID}/subtasks/metrics`)).map((entry: Json) => entry.id);
    assert.ok(names.includes('numRecordsIn') && !names.some((name: string) => /^\d/.test(name)));
    assert.deepEqual(await get(url, `/jobs/${job.jobId}/vertices/${SINK_ID}/subtasks/0/metrics?get=numRecordsIn`), [
      { id: 'numRecordsIn', value: '100' },
    ]);
    await get(url, `/jobs/${job.jobId}/vertices/${SINK_ID}/subtasks/metrics?get=numRecordsIn&agg=median`, 400);
    await get(url, `/jobs/${job.jobId}/vertices/${SINK_ID}/subtasks/metrics?get=numRecordsIn&subtasks=a-b`, 400);
  });

  it('feeds the I/O counters of /jobs/:jobid and of the vertex details from the reports', async () => {
    const details = await get(url, `/jobs/${job.jobId}`);
    const sink = details.vertices.find((vertex: Json) => vertex.id === SINK_ID);
    assert.equal(sink.metrics['read-records'], 300);
    assert.equal(sink.metrics['read-records-complete'], true);
    assert.equal(sink.metrics['write-bytes'], 2048);
    const vertex = await get(url, `/jobs/${job.jobId}/vertices/${SOURCE_ID}`);
    assert.deepEqual(
      vertex.subtasks.map((subtask: Json) => subtask.metrics['accumulated-busy-time']),
      [7, 7],
    );
  });

  it("answers the JobManager's own metrics and aggregates job metrics over jobs", async () => {
    const values = await get(url, '/jobmanager/metrics?get=taskSlotsTotal,taskSlotsAvailable,numRunningJobs,Status.JVM.Memory.Heap.Used');
    assert.deepEqual(values.slice(0, 3), [
      { id: 'taskSlotsTotal', value: '2' },
      { id: 'taskSlotsAvailable', value: '0' },
      { id: 'numRunningJobs', value: '1' },
    ]);
    assert.ok(Number(values[3].value) > 0);
    assert.deepEqual(await get(url, `/jobs/metrics?get=numRestarts&agg=sum&jobs=${job.jobId.toUpperCase()}`), [
      { id: 'numRestarts', sum: 0 },
    ]);
  });

  it('answers an empty list for an unknown job, vertex or TaskManager and 400 for a malformed id, as Flink', async () => {
    assert.deepEqual(await get(url, '/jobs/00000000000000000000000000000000/metrics'), []);
    assert.deepEqual(await get(url, `/jobs/${job.jobId}/vertices/00000000000000000000000000000000/metrics?get=0.numRecordsIn`), []);
    assert.deepEqual(await get(url, '/taskmanagers/nobody/metrics'), []);
    assert.deepEqual(await get(url, '/taskmanagers/metrics'), []);
    assert.deepEqual(await get(url, `/jobs/${job.jobId}/vertices/${SINK_ID}/jm-operator-metrics`), []);
    await get(url, '/jobs/not-a-job/metrics', 400);
  });

  it('forgets attempts of an earlier run once a new run exists', async () => {
    const store = job.metrics.tasks;
    const stale: TaskMetricsReport = {
      jobId: job.jobId,
      resourceId: asResourceId('gone'),
      tasks: [
        { vertexId: SINK_ID, subtaskIndex: 0, attemptNumber: 0, attemptId: asAttemptId('an-old-attempt'), metrics: {}, operators: [] },
      ],
    };
    await jm.dispatcher.jobMasterGateway.reportTaskMetrics(stale);
    assert.equal(store.get(asAttemptId('an-old-attempt')), undefined);
    assert.equal(store.size, 4);
  });
});

describe('job metrics of the default scheduler', () => {
  let jm: TestingJobManager;
  let server: RestServer;
  let url = '';
  after(async () => {
    await server.stop();
    await jm.close();
  });

  it('counts a restart after a task failure and restarts uptime', async () => {
    ({ jm, server, url } = await startJobManager({
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.delay': '10 ms',
      'restart-strategy.fixed-delay.attempts': '5',
    }));
    const job = await jm.submit(twoVertexGraph({ parallelism: 1 }));
    jm.addTaskManager(2);
    await waitFor('the job to run', () => (job.scheduler.currentGraph()?.allInState('RUNNING') ? true : undefined));
    const failed = job.scheduler.currentGraph()!.executions()[0]!;
    await jm.dispatcher.jobMasterGateway.updateTaskExecutionState({
      jobId: job.jobId,
      attemptId: failed.attemptId,
      state: 'FAILED',
      error: { code: 'TEST', name: 'Error', message: 'injected failure', stack: '' },
    });
    const values = await waitFor('the job to run again', async () => {
      const graph = job.scheduler.currentGraph();
      if (
        graph === undefined ||
        graph.execution(failed.attemptId) !== undefined ||
        !graph.allInState('RUNNING') ||
        job.status.status !== 'RUNNING'
      )
        return undefined;
      return get(url, `/jobs/${job.jobId}/metrics?get=numRestarts,numRescales,restartingTime,downtime`);
    });
    assert.deepEqual(values.slice(0, 2), [
      { id: 'numRestarts', value: '1' },
      { id: 'numRescales', value: '0' },
    ]);
    assert.ok(Number(values[2].value) >= 0);
    assert.equal(values[3].value, '0');
  });
});
