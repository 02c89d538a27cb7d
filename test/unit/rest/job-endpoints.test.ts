import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configureLogging, MemoryLogSink } from '../../../src/core/logging.js';
import { waitFor } from '../../helpers/test-dist.js';
import { SINK_ID, SOURCE_ID, TestingJobManager, twoVertexGraph } from './testing-job-manager.js';
import { asJobId } from '../../helpers/ids.js';

// REST bodies are open JSON; each assertion below checks the fields it reads.
type Json = any;

/** Status and parsed body of one REST call. */
async function call(baseUrl: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${baseUrl}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
}

async function get(baseUrl: string, path: string): Promise<Json> {
  const reply = await call(baseUrl, 'GET', path);
  assert.equal(reply.status, 200, `GET ${path}: ${JSON.stringify(reply.json)}`);
  return reply.json;
}

configureLogging(new MemoryLogSink(), 'INFO');

describe('a reactive job through the REST API, from submission to cancellation', () => {
  const jm = new TestingJobManager({ 'scheduler-mode': 'reactive' });
  let url = '';
  let jobId = '';

  before(async () => {
    url = await jm.startRest();
    jobId = (await jm.submit(twoVertexGraph())).jobId;
  });
  after(() => jm.close());

  it('shows the job CREATED with every vertex at its max parallelism and no tasks yet before any slot exists, as Flink', async () => {
    assert.deepEqual(await get(url, `/jobs/${jobId}/status`), { status: 'CREATED' });
    const details = await get(url, `/jobs/${jobId}`);
    assert.equal(details.state, 'CREATED');
    assert.equal(details.schedulerType, 'Adaptive');
    assert.equal(details['end-time'], -1);
    assert.deepEqual(
      details.vertices.map((v: Json) => [v.id, v.parallelism, v.maxParallelism, v.status, v.tasks.CREATED]),
      [
        [SOURCE_ID, 128, 128, 'CREATED', 0],
        [SINK_ID, 128, 128, 'CREATED', 0],
      ],
    );
    assert.deepEqual(
      details.plan.nodes.map((n: Json) => n.parallelism),
      [128, 128],
    );
    const vertex = await get(url, `/jobs/${jobId}/vertices/${SOURCE_ID}`);
    assert.deepEqual(vertex.subtasks, []);
    assert.equal(vertex.parallelism, 128);
    const [overview] = (await get(url, '/jobs/overview')).jobs;
    assert.equal(overview.tasks.total, 0, 'waiting for resources, the job has no subtasks yet');
    assert.equal(overview.tasks.created, 0);
  });

  it('runs on the slots a TaskManager offers and names the TaskManager of every subtask', async () => {
    jm.addTaskManager(2);
    await waitFor('the job to run', async () =>
      (await get(url, `/jobs/${jobId}`)).vertices.every((v: Json) => v.status === 'RUNNING') ? true : undefined,
    );
    const details = await get(url, `/jobs/${jobId}`);
    assert.equal(details.state, 'RUNNING');
    assert.deepEqual(
      details.vertices.map((v: Json) => [v.parallelism, v.tasks.RUNNING]),
      [
        [2, 2],
        [2, 2],
      ],
    );
    assert.equal(details['status-counts'].RUNNING, 4);
    assert.ok(details.timestamps.RUNNING >= details.timestamps.CREATED && details.timestamps.CREATED > 0);
    assert.equal(details.timestamps.FINISHED, 0);
    assert.deepEqual(details.plan.nodes[1].inputs, [{ num: 0, id: SOURCE_ID, ship_strategy: 'HASH', exchange: 'pipelined_bounded' }]);
    assert.equal(details.plan.nodes[0].inputs, undefined);
    const vertex = await get(url, `/jobs/${jobId}/vertices/${SINK_ID}`);
    assert.deepEqual(
      vertex.subtasks.map((s: Json) => [s.subtask, s.status, s['taskmanager-id'], s.endpoint]),
      [
        [0, 'RUNNING', 'testing-tm-1', 'localhost:40001'],
        [1, 'RUNNING', 'testing-tm-1', 'localhost:40001'],
      ],
    );
    const subtask = vertex.subtasks[0];
    assert.ok(subtask['start-time'] > 0 && subtask['end-time'] === -1 && subtask.duration >= 0);
    // Fields Flink 1.20 still serves: the deprecated host and the (speculative) concurrent attempts.
    assert.equal(subtask.host, 'localhost');
    assert.deepEqual(subtask['other-concurrent-attempts'], []);
    const exceptions = await get(url, `/jobs/${jobId}/exceptions`);
    assert.deepEqual(
      [exceptions['root-exception'], exceptions.timestamp, exceptions['all-exceptions'], exceptions.truncated],
      [null, null, [], false],
    );
    assert.deepEqual(Object.keys(subtask['status-duration']), ['CREATED', 'SCHEDULED', 'DEPLOYING', 'INITIALIZING', 'RUNNING']);
    const byTaskManager = await get(url, `/jobs/${jobId}/vertices/${SINK_ID}/taskmanagers`);
    assert.deepEqual(
      byTaskManager.taskmanagers.map((t: Json) => [t['taskmanager-id'], t['status-counts'].RUNNING, t.status]),
      [['testing-tm-1', 2, 'RUNNING']],
    );
    assert.equal(byTaskManager.taskmanagers[0].aggregated.metrics['read-records'].sum, 0);
  });

  it('reports the run in the parallelism history and the bounds of Reactive Mode as resource requirements', async () => {
    const history = await get(url, `/jobs/${jobId}/parallelism-history`);
    assert.equal(history.changes.length, 1);
    assert.deepEqual(history.changes[0].parallelism, { [SOURCE_ID]: 2, [SINK_ID]: 2 });
    assert.equal(history.changes[0].cause, 'initial-schedule');
    assert.equal(history.changes[0].restoredCheckpointId, null);
    assert.deepEqual([history.changes[0].downtimeMs, history.changes[0].downtimeBasis], [0, 'none'], 'no outage before the first run');
    assert.equal(typeof history.changes[0].downtimeStart, 'number');
    assert.deepEqual(await get(url, `/jobs/${jobId}/resource-requirements`), {
      [SOURCE_ID]: { parallelism: { lowerBound: 1, upperBound: 128 } },
      [SINK_ID]: { parallelism: { lowerBound: 1, upperBound: 128 } },
    });
  });

  it('validates new requirements first, then refuses them in Reactive Mode', async () => {
    const invalid = await call(url, 'PUT', `/jobs/${jobId}/resource-requirements`, {
      [SOURCE_ID]: { parallelism: { lowerBound: 3, upperBound: 2 } },
    });
    assert.equal(invalid.status, 400);
    assert.deepEqual(invalid.json.errors[0].split('\n'), [
      `The requested lower bound [3] for job vertex [${SOURCE_ID}] is higher than the upper bound [2].`,
      `The request is incomplete, missing job vertex [${SINK_ID}] resource requirements.`,
    ]);
    const valid = {
      [SOURCE_ID]: { parallelism: { lowerBound: 1, upperBound: 1 } },
      [SINK_ID]: { parallelism: { lowerBound: 1, upperBound: 1 } },
    };
    const refused = await call(url, 'PUT', `/jobs/${jobId}/resource-requirements`, valid);
    assert.equal(refused.status, 500);
    assert.deepEqual(refused.json.errors, ['Internal server error.', 'Cannot change the parallelism of a job running in reactive mode.']);
  });

  it('cancels with 202 and then shows the last run, CANCELED, with an end time', async () => {
    const cancel = await call(url, 'PATCH', `/jobs/${jobId}?mode=cancel`);
    assert.equal(cancel.status, 202);
    assert.deepEqual(cancel.json, {});
    await waitFor('the job to be canceled', async () =>
      (await get(url, `/jobs/${jobId}/status`)).status === 'CANCELED' ? true : undefined,
    );
    const details = await get(url, `/jobs/${jobId}`);
    assert.ok(details['end-time'] >= details['start-time']);
    assert.equal(details.duration, details['end-time'] - details['start-time']);
    assert.deepEqual(
      details.vertices.map((v: Json) => [v.parallelism, v.status, v.tasks.CANCELED]),
      [
        [2, 'CANCELED', 2],
        [2, 'CANCELED', 2],
      ],
    );
    const vertex = await get(url, `/jobs/${jobId}/vertices/${SOURCE_ID}`);
    assert.ok(vertex.subtasks.every((s: Json) => s['end-time'] > 0 && s.status === 'CANCELED'));
    assert.equal((await call(url, 'PATCH', `/jobs/${jobId}?mode=cancel`)).status, 202, 'cancelling a canceled job is not an error');
    assert.deepEqual((await get(url, '/jobs')).jobs, [{ id: jobId, status: 'CANCELED' }]);
  });
});

describe('resource requirements of an Adaptive Scheduler job outside Reactive Mode', () => {
  const jm = new TestingJobManager({
    'jobmanager.scheduler': 'adaptive',
    'jobmanager.adaptive-scheduler.submission.resource-wait-timeout': '-1',
    'jobmanager.adaptive-scheduler.submission.resource-stabilization-timeout': '0 ms',
  });
  let url = '';
  let jobId = '';
  const both = (lower: number, upper: number) => ({
    [SOURCE_ID]: { parallelism: { lowerBound: lower, upperBound: upper } },
    [SINK_ID]: { parallelism: { lowerBound: lower, upperBound: upper } },
  });

  before(async () => {
    url = await jm.startRest();
    jobId = (await jm.submit(twoVertexGraph({ parallelism: 2, maxParallelism: 8 }))).jobId;
  });
  after(() => jm.close());

  it('reports the configured parallelism as the upper bound', async () => {
    assert.deepEqual(await get(url, `/jobs/${jobId}/resource-requirements`), both(1, 2));
  });

  it("answers every rule violation with Flink's message and 400", async () => {
    const put = (body: unknown) => call(url, 'PUT', `/jobs/${jobId}/resource-requirements`, body);
    const unknownVertex = 'abcdefabcdefabcdefabcdefabcdefab';
    const cases: Array<[unknown, string[]]> = [
      [
        both(0, 2),
        [
          `Both, the requested lower bound [0] and upper bound [2] for job vertex [${SOURCE_ID}] must be greater than zero.`,
          `Both, the requested lower bound [0] and upper bound [2] for job vertex [${SINK_ID}] must be greater than zero.`,
        ],
      ],
      [
        both(1, 9),
        [
          `The newly requested parallelism 9 for the job vertex ${SOURCE_ID} exceeds its maximum parallelism 8.`,
          `The newly requested parallelism 9 for the job vertex ${SINK_ID} exceeds its maximum parallelism 8.`,
        ],
      ],
      [
        { ...both(1, 2), [unknownVertex]: { parallelism: { lowerBound: 1, upperBound: 1 } } },
        [`Job vertex [${unknownVertex}] was not found in the JobGraph.`],
      ],
      [{}, ['Request body does not specify resource requirements.']],
    ];
    for (const [body, expected] of cases) {
      const reply = await put(body);
      assert.equal(reply.status, 400, JSON.stringify(body));
      assert.deepEqual(reply.json.errors[0].split('\n'), expected);
    }
    const malformed = await put({ [SOURCE_ID]: { parallelism: { lowerBound: 'one', upperBound: 2 } } });
    assert.equal(malformed.status, 400);
    assert.match(malformed.json.errors[0], /lowerBound/);
    assert.equal((await put({ 'not-a-vertex': { parallelism: { lowerBound: 1, upperBound: 1 } } })).status, 400);
    assert.equal((await put([1, 2])).status, 400);
  });

  it('refuses a second update while one is being applied with 409', async () => {
    const gateway = jm.dispatcher.jobGateway;
    const first = gateway.updateResourceRequirements(asJobId(jobId), {
      [SOURCE_ID]: { lowerBound: 1, upperBound: 1 },
      [SINK_ID]: { lowerBound: 1, upperBound: 1 },
    });
    await assert.rejects(
      gateway.updateResourceRequirements(asJobId(jobId), {
        [SOURCE_ID]: { lowerBound: 1, upperBound: 1 },
        [SINK_ID]: { lowerBound: 1, upperBound: 1 },
      }),
      (error: Json) => {
        assert.equal(error.failure, 'CONFLICT');
        assert.equal(error.message, 'Another update to the job [%s] resource requirements is in progress.');
        return true;
      },
    );
    await first;
  });

  it('applies valid bounds (-1 meaning the defaults) and runs the job within them', async () => {
    const reply = await call(url, 'PUT', `/jobs/${jobId}/resource-requirements`, both(-1, 3));
    assert.equal(reply.status, 200);
    assert.deepEqual(await get(url, `/jobs/${jobId}/resource-requirements`), both(1, 3));
    assert.equal((await call(url, 'PUT', `/jobs/${jobId}/resource-requirements`, both(1, -1))).status, 200);
    assert.deepEqual(await get(url, `/jobs/${jobId}/resource-requirements`), both(1, 8));
    assert.equal((await call(url, 'PUT', `/jobs/${jobId}/resource-requirements`, both(1, 3))).status, 200);
    jm.addTaskManager(5);
    await waitFor('the job to run', async () => ((await get(url, `/jobs/${jobId}/status`)).status === 'RUNNING' ? true : undefined));
    await waitFor('all subtasks to run', async () =>
      (await get(url, `/jobs/${jobId}`))['status-counts'].RUNNING === 6 ? true : undefined,
    );
    assert.deepEqual(
      (await get(url, `/jobs/${jobId}`)).vertices.map((v: Json) => v.parallelism),
      [3, 3],
    );
    assert.equal((await call(url, 'PUT', `/jobs/${jobId}/resource-requirements`, both(1, 1))).status, 200);
    await waitFor('the job to rescale down to 1', async () => {
      const details = await get(url, `/jobs/${jobId}`);
      return details.state === 'RUNNING' && details.vertices.every((v: Json) => v.parallelism === 1) ? true : undefined;
    });
    const history = await get(url, `/jobs/${jobId}/parallelism-history`);
    assert.deepEqual(
      history.changes.map((c: Json) => [c.cause, c.parallelism[SOURCE_ID]]),
      [
        ['initial-schedule', 3],
        ['requirements-changed', 1],
      ],
    );
    assert.equal(history.numRescales, 1);
  });
});

describe('a Default scheduler job', () => {
  const jm = new TestingJobManager({});
  let url = '';
  let jobId = '';

  before(async () => {
    url = await jm.startRest();
    jobId = (await jm.submit(twoVertexGraph({ parallelism: 3 }))).jobId;
  });
  after(() => jm.close());

  it('shows its configured parallelism while it waits for slots', async () => {
    const details = await get(url, `/jobs/${jobId}`);
    assert.equal(details.schedulerType, 'Default');
    assert.equal(details.state, 'CREATED');
    assert.deepEqual(
      details.vertices.map((v: Json) => [v.parallelism, v.maxParallelism]),
      [
        [3, 128],
        [3, 128],
      ],
    );
    const config = await get(url, `/jobs/${jobId}/config`);
    assert.equal(config['execution-config']['job-parallelism'], 3);
    assert.deepEqual(config['execution-config']['user-config'], { rounds: '3' });
  });

  it("refuses resource requirements as Flink's default scheduler does, after validating them", async () => {
    const get500 = await call(url, 'GET', `/jobs/${jobId}/resource-requirements`);
    assert.equal(get500.status, 500);
    assert.equal(
      get500.json.errors[1],
      'The DefaultScheduler does not support changing the parallelism without a job restart. This feature is currently only expected to work with the AdaptiveScheduler.',
    );
    const invalid = await call(url, 'PUT', `/jobs/${jobId}/resource-requirements`, {
      [SOURCE_ID]: { parallelism: { lowerBound: 1, upperBound: 1 } },
    });
    assert.equal(invalid.status, 400);
    const valid = await call(url, 'PUT', `/jobs/${jobId}/resource-requirements`, {
      [SOURCE_ID]: { parallelism: { lowerBound: 1, upperBound: 1 } },
      [SINK_ID]: { parallelism: { lowerBound: 1, upperBound: 1 } },
    });
    assert.equal(valid.status, 500);
    assert.match(valid.json.errors[1], /^The DefaultScheduler does not support/);
  });

  it('accepts a savepoint trigger and reports its failure while the job is not running', async () => {
    const trigger = await call(url, 'POST', `/jobs/${jobId}/savepoints`, { 'target-directory': '/tmp/tsflink-never-written' });
    assert.equal(trigger.status, 202);
    const requestId = trigger.json['request-id'];
    assert.match(requestId, /^[0-9a-f]{32}$/);
    const status = await get(url, `/jobs/${jobId}/savepoints/${requestId}`);
    assert.equal(status.status.id, 'COMPLETED');
    assert.match(status.operation['failure-cause']['stack-trace'], /not executing/);
    const noDirectory = await call(url, 'POST', `/jobs/${jobId}/stop`, {});
    assert.equal(noDirectory.status, 400);
    assert.match(noDirectory.json.errors[0], /state\.savepoints\.dir/);
  });

  it('honours a client-supplied trigger id and does not trigger twice under it', async () => {
    const triggerId = 'aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb';
    const first = await call(url, 'POST', `/jobs/${jobId}/savepoints`, { 'target-directory': '/tmp/x', triggerId });
    const again = await call(url, 'POST', `/jobs/${jobId}/savepoints`, { 'target-directory': '/tmp/y', triggerId });
    assert.deepEqual(
      [first.status, first.json, again.status, again.json],
      [202, { 'request-id': triggerId }, 202, { 'request-id': triggerId }],
    );
    assert.equal((await call(url, 'GET', `/jobs/${jobId}/savepoints/${'c'.repeat(32)}`)).status, 404);
  });
});
