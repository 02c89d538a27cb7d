import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitForProcessExit } from '../helpers/cluster-probes.js';
import { getJson, restUrlFrom, TestDist, waitFor } from '../helpers/test-dist.js';
import { assertConforms } from '../unit/rest/rest-conformance.js';

const TOP_SPEED = 'org.apache.flink.streaming.examples.windowing.TopSpeedWindowing';

// REST bodies are open JSON; each assertion reads only the fields it checks.
type Json = any;

/** Calls a path of the running JobManager and checks the answer against the snapshot's `template`. */
async function conforms(baseUrl: string, method: string, template: string, path: string, body?: unknown): Promise<Json> {
  const response = await fetch(`${baseUrl}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const json: Json = text === '' ? undefined : JSON.parse(text);
  assertConforms(method, template, response.status, json);
  return json;
}

describe('the REST API of a Reactive Mode standalone job on a real TaskManager', () => {
  const dist = TestDist.create({ config: { 'heartbeat.interval': '500 ms', 'heartbeat.timeout': '5 s' } });
  const savepoints = join(dist.dir, 'savepoints');
  let url = '';
  let jobId = '';
  let vertexIds: string[] = [];

  before(async () => {
    dist.writeConfig({ 'state.checkpoints.dir': join(dist.dir, 'checkpoints'), 'state.savepoints.dir': savepoints });
    dist.addExampleJar('TopSpeedWindowing');
    const start = await dist.run('standalone-job.sh', [
      'start',
      '-Dscheduler-mode=reactive',
      '-Dexecution.checkpointing.interval=500ms',
      '-j',
      TOP_SPEED,
    ]);
    assert.equal(start.exitCode, 0, start.stderr);
    url = restUrlFrom(start.stdout);
    jobId = (await getJson<{ jobs: Array<{ id: string }> }>(url, '/jobs')).jobs[0]!.id;
  });
  after(() => dist.destroy());

  it('shows the job waiting for slots, every vertex at its max parallelism', async () => {
    const details = await conforms(url, 'GET', '/jobs/:jobid', `/jobs/${jobId}`);
    assert.equal(details.state, 'CREATED');
    assert.ok(details.vertices.length >= 2);
    for (const vertex of details.vertices) assert.equal(vertex.parallelism, vertex.maxParallelism);
    vertexIds = details.vertices.map((vertex: Json) => vertex.id);
    await conforms(url, 'GET', '/jobs/:jobid/vertices/:vertexid', `/jobs/${jobId}/vertices/${vertexIds[0]}`);
  });

  it('answers every call like Flink once the job runs, checkpoints and takes a savepoint', async () => {
    assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    await waitFor(
      'the job to run and complete a checkpoint',
      async () => {
        const checkpoints = await getJson<Json>(url, `/jobs/${jobId}/checkpoints`);
        return checkpoints.counts.completed > 0 ? true : undefined;
      },
      30_000,
    );
    const trigger = await conforms(url, 'POST', '/jobs/:jobid/savepoints', `/jobs/${jobId}/savepoints`, { 'cancel-job': false });
    const savepoint = await waitFor(
      'the savepoint',
      async () => {
        const status = await conforms(
          url,
          'GET',
          '/jobs/:jobid/savepoints/:triggerid',
          `/jobs/${jobId}/savepoints/${trigger['request-id']}`,
        );
        return status.status.id === 'COMPLETED' ? status : undefined;
      },
      30_000,
    );
    const location: string = savepoint.operation.location;
    assert.ok(location.startsWith(`file:${savepoints}/savepoint-`), location);
    assert.ok(existsSync(join(location.slice('file:'.length), '_metadata')));

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
    const job = (suffix: string) => `/jobs/${jobId}${suffix}`;
    const jobCalls: Array<[string, string]> = [
      ['/jobs/:jobid', ''],
      ['/jobs/:jobid/status', '/status'],
      ['/jobs/:jobid/plan', '/plan'],
      ['/jobs/:jobid/config', '/config'],
      ['/jobs/:jobid/exceptions', '/exceptions'],
      ['/jobs/:jobid/checkpoints/config', '/checkpoints/config'],
      ['/jobs/:jobid/resource-requirements', '/resource-requirements'],
    ];
    for (const [template, suffix] of jobCalls) await conforms(url, 'GET', template, job(suffix));
    for (const vertexId of vertexIds) {
      await conforms(url, 'GET', '/jobs/:jobid/vertices/:vertexid', job(`/vertices/${vertexId}`));
      await conforms(url, 'GET', '/jobs/:jobid/vertices/:vertexid/taskmanagers', job(`/vertices/${vertexId}/taskmanagers`));
    }
    const checkpoints = await conforms(url, 'GET', '/jobs/:jobid/checkpoints', job('/checkpoints'));
    assert.equal(checkpoints.latest.savepoint.external_path, location);
    await conforms(
      url,
      'GET',
      '/jobs/:jobid/checkpoints/details/:checkpointid',
      job(`/checkpoints/details/${checkpoints.latest.completed.id}`),
    );
    await conforms(
      url,
      'GET',
      '/jobs/:jobid/checkpoints/details/:checkpointid/subtasks/:vertexid',
      job(`/checkpoints/details/${checkpoints.latest.completed.id}/subtasks/${vertexIds[0]}`),
    );
    const { taskmanagers } = await getJson<Json>(url, '/taskmanagers');
    await conforms(url, 'GET', '/taskmanagers/:taskmanagerid', `/taskmanagers/${encodeURIComponent(taskmanagers[0].id)}`);
  });

  it('names the real TaskManager of every subtask', async () => {
    const { taskmanagers } = await getJson<Json>(url, '/taskmanagers');
    assert.equal(taskmanagers.length, 1);
    const details = await getJson<Json>(url, `/jobs/${jobId}`);
    assert.ok(
      details.vertices.every((vertex: Json) => vertex.parallelism === 1 && vertex.status === 'RUNNING'),
      'one TaskManager slot: parallelism 1',
    );
    const vertex = await getJson<Json>(url, `/jobs/${jobId}/vertices/${vertexIds[0]}`);
    assert.equal(vertex.subtasks[0]['taskmanager-id'], taskmanagers[0].id);
    assert.match(vertex.subtasks[0].endpoint, /^unix:\/|:\d+$/);
    const history = await getJson<Json>(url, `/jobs/${jobId}/parallelism-history`);
    assert.deepEqual(
      Object.values(history.changes.at(-1).parallelism),
      vertexIds.map(() => 1),
    );
  });

  it('answers errors like Flink on the real server', async () => {
    const status = async (method: string, path: string, body?: string) => (await fetch(`${url}${path}`, { method, body })).status;
    assert.equal(await status('GET', `/jobs/${'0'.repeat(32)}`), 404);
    assert.equal(await status('GET', '/jobs/12345'), 400);
    assert.equal(await status('GET', `/jobs/${jobId}/vertices/${'0'.repeat(32)}`), 404);
    assert.equal(await status('DELETE', `/jobs/${jobId}`), 405);
    assert.equal(await status('GET', `/jobs/${jobId}/exceptions?maxExceptions=x`), 400);
    assert.equal(await status('PATCH', `/jobs/${jobId}/rescaling?parallelism=2`), 503);
    const bounds = Object.fromEntries(vertexIds.map((id) => [id, { parallelism: { lowerBound: 1, upperBound: 1 } }]));
    const refused = await fetch(`${url}/jobs/${jobId}/resource-requirements`, { method: 'PUT', body: JSON.stringify(bounds) });
    assert.equal(refused.status, 500);
    assert.deepEqual(((await refused.json()) as Json).errors, [
      'Internal server error.',
      'Cannot change the parallelism of a job running in reactive mode.',
    ]);
  });

  it('cancels the job with 202, after which the application cluster shuts down', async () => {
    const [pid] = dist.pids('standalonejob');
    const cancel = await conforms(url, 'PATCH', '/jobs/:jobid', `/jobs/${jobId}?mode=cancel`);
    assert.deepEqual(cancel, {});
    assert.ok(await waitForProcessExit(pid!, 20_000), 'the JobManager exits once its job is canceled');
    assert.match(dist.log('standalonejob', 0), /switched from state (RUNNING|CANCELLING) to CANCELED/);
  });
});
