import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configureLogging, MemoryLogSink } from '../../../src/core/logging.js';
import { waitFor } from '../../helpers/test-dist.js';
import { assertConforms } from './rest-conformance.js';
import { SINK_ID, SOURCE_ID, TestingJobManager, twoVertexGraph } from './testing-job-manager.js';

configureLogging(new MemoryLogSink(), 'INFO');

/** Calls `path` and checks the answer against the snapshot's call `template`. */
async function conforms(baseUrl: string, method: string, template: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${baseUrl}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const json: unknown = text === '' ? undefined : JSON.parse(text);
  assertConforms(method, template, response.status, json);
  return json;
}

describe("responses of an in-process JobManager against Flink's REST snapshot", () => {
  const jm = new TestingJobManager({
    'jobmanager.scheduler': 'adaptive',
    'jobmanager.adaptive-scheduler.submission.resource-wait-timeout': '-1',
    'jobmanager.adaptive-scheduler.submission.resource-stabilization-timeout': '0 ms',
    'execution.checkpointing.savepoint-dir': '/tmp/tsflink-conformance-never-written',
    's3.secret-key': 'hidden',
  });
  let url = '';
  let jobId = '';
  const job = (path = ''): string => `/jobs/${jobId}${path}`;

  before(async () => {
    url = await jm.startRest();
    jobId = (await jm.submit(twoVertexGraph({ parallelism: 2 }))).jobId;
  });
  after(() => jm.close());

  it('cluster-wide calls', async () => {
    for (const path of [
      '/config',
      '/overview',
      '/jobs',
      '/jobs/overview',
      '/taskmanagers',
      '/jobmanager/config',
      '/jobmanager/environment',
    ]) {
      await conforms(url, 'GET', path, path);
    }
  });

  it('job calls before the job has slots', async () => {
    await conforms(url, 'GET', '/jobs/:jobid', job());
    await conforms(url, 'GET', '/jobs/:jobid/vertices/:vertexid', job(`/vertices/${SOURCE_ID}`));
    await conforms(url, 'GET', '/jobs/:jobid/vertices/:vertexid/taskmanagers', job(`/vertices/${SOURCE_ID}/taskmanagers`));
  });

  it('job calls while the job runs', async () => {
    jm.addTaskManager(2);
    await waitFor('the job to run', async () =>
      ((await (await fetch(`${url}${job()}`)).json()) as { 'status-counts': { RUNNING: number } })['status-counts'].RUNNING === 4
        ? true
        : undefined,
    );
    const calls: Array<[string, string]> = [
      ['/jobs/:jobid', ''],
      ['/jobs/:jobid/status', '/status'],
      ['/jobs/:jobid/plan', '/plan'],
      ['/jobs/:jobid/config', '/config'],
      ['/jobs/:jobid/exceptions', '/exceptions?maxExceptions=5'],
      ['/jobs/:jobid/checkpoints', '/checkpoints'],
      ['/jobs/:jobid/checkpoints/config', '/checkpoints/config'],
      ['/jobs/:jobid/vertices/:vertexid', `/vertices/${SINK_ID}`],
      ['/jobs/:jobid/vertices/:vertexid/taskmanagers', `/vertices/${SINK_ID}/taskmanagers`],
      ['/jobs/:jobid/resource-requirements', '/resource-requirements'],
      ['/jobs/:jobid/jobmanager/config', '/jobmanager/config'],
      ['/jobs/:jobid/jobmanager/environment', '/jobmanager/environment'],
    ];
    for (const [template, suffix] of calls) await conforms(url, 'GET', template, job(suffix));
    await conforms(url, 'GET', '/jobs/overview', '/jobs/overview');
  });

  it('commands', async () => {
    const bounds = { parallelism: { lowerBound: 1, upperBound: 2 } };
    await conforms(url, 'PUT', '/jobs/:jobid/resource-requirements', job('/resource-requirements'), {
      [SOURCE_ID]: bounds,
      [SINK_ID]: bounds,
    });
    // No TaskManager here takes part in checkpoints, so the savepoint stays in progress: its status is polled, not awaited.
    const { 'request-id': requestId } = (await conforms(url, 'POST', '/jobs/:jobid/savepoints', job('/savepoints'), {})) as {
      'request-id': string;
    };
    await conforms(url, 'GET', '/jobs/:jobid/savepoints/:triggerid', job(`/savepoints/${requestId}`));
    await conforms(url, 'PATCH', '/jobs/:jobid', job('?mode=cancel'));
    await waitFor('the job to be canceled', async () =>
      ((await (await fetch(`${url}${job('/status')}`)).json()) as { status: string }).status === 'CANCELED' ? true : undefined,
    );
    // Canceling ends the savepoint with a failure: the completed form with its failure cause.
    const ended = (await conforms(url, 'GET', '/jobs/:jobid/savepoints/:triggerid', job(`/savepoints/${requestId}`))) as {
      status: { id: string };
      operation: Record<string, unknown>;
    };
    assert.equal(ended.status.id, 'COMPLETED');
    assert.ok('failure-cause' in ended.operation);
    await conforms(url, 'GET', '/jobs/:jobid', job());
    await conforms(url, 'POST', '/jobs/:jobid/stop', job('/stop'), { targetDirectory: '/tmp/tsflink-conformance-never-written' });
  });
});
