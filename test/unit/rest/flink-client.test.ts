import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { urlFromAddress } from '../../../src/cli/commands/flink-address.js';
import { cancelJob } from '../../../src/cli/commands/flink-cancel.js';
import { formatStartTime, listJobs } from '../../../src/cli/commands/flink-list.js';
import { FlinkClientError, FlinkRestClient } from '../../../src/cli/commands/flink-rest-client.js';
import { triggerSavepoint } from '../../../src/cli/commands/flink-savepoint.js';
import { configureLogging, MemoryLogSink } from '../../../src/core/logging.js';
import { waitFor } from '../../helpers/test-dist.js';
import { TestingJobManager, twoVertexGraph } from './testing-job-manager.js';
import { asJobId } from '../../helpers/ids.js';

configureLogging(new MemoryLogSink(), 'INFO');

describe('bin/flink against the REST API', () => {
  const jm = new TestingJobManager({
    'scheduler-mode': 'reactive',
    'execution.checkpointing.savepoint-dir': '/tmp/tsflink-client-never-written',
  });
  let client: FlinkRestClient;
  let scheduledId = '';
  let runningId = '';

  before(async () => {
    client = new FlinkRestClient(await jm.startRest());
    scheduledId = (await jm.submit(twoVertexGraph())).jobId;
  });
  after(() => jm.close());

  it("lists scheduled and running jobs in Flink's layout, and ended ones only with -a", async () => {
    let lines: string[] = [];
    await listJobs(client, { running: false, scheduled: false, all: false }, (line) => lines.push(line));
    const started = formatStartTime(jm.dispatcher.jobs.get(asJobId(scheduledId))!.status.timestamps.INITIALIZING!);
    assert.deepEqual(lines, [
      'Waiting for response...',
      'No running jobs.',
      '----------------------- Scheduled Jobs -----------------------',
      `${started} : ${scheduledId} : Testing Job (CREATED)`,
      '--------------------------------------------------------------',
    ]);
    jm.dispatcher.jobs.get(asJobId(scheduledId))!.scheduler.cancel();
    jm.addTaskManager(1);
    runningId = (await jm.submit(twoVertexGraph())).jobId;
    await waitFor('the second job to run', () =>
      jm.dispatcher.jobs.get(asJobId(runningId))!.status.status === 'RUNNING' ? true : undefined,
    );
    lines = [];
    await listJobs(client, { running: true, scheduled: false, all: false }, (line) => lines.push(line));
    assert.deepEqual(
      lines.slice(1).map((line) => line.replace(/^\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d : /, '')),
      [
        '------------------ Running/Restarting Jobs -------------------',
        `${runningId} : Testing Job (RUNNING)`,
        '--------------------------------------------------------------',
      ],
    );
    lines = [];
    await listJobs(client, { running: false, scheduled: false, all: true }, (line) => lines.push(line));
    assert.ok(lines.includes('---------------------- Terminated Jobs -----------------------'));
    assert.ok(lines.some((line) => line.endsWith(`${scheduledId} : Testing Job (CANCELED)`)));
    assert.ok(lines.includes('No scheduled jobs.'));
  });

  it("prints Flink's cancel lines and turns a refusal into one line with the status", async () => {
    const lines: string[] = [];
    await cancelJob(client, runningId, (line) => lines.push(line));
    assert.deepEqual(lines, [`Cancelling job ${runningId}.`, `Cancelled job ${runningId}.`]);
    const unknown = '9'.repeat(32);
    await assert.rejects(
      cancelJob(client, unknown, () => undefined),
      (error: unknown) => {
        assert.ok(error instanceof FlinkClientError);
        assert.equal(error.status, 404);
        assert.equal(
          error.message,
          `PATCH /jobs/${unknown}?mode=cancel failed with HTTP 404: Job ${unknown} is unknown to this JobManager.`,
        );
        return true;
      },
    );
  });

  it('reports a savepoint that fails with its cause', async () => {
    const lines: string[] = [];
    await assert.rejects(
      triggerSavepoint(client, scheduledId, undefined, (line) => lines.push(line)),
      /^TsFlinkError: The savepoint failed: .*not executing/,
    );
    assert.deepEqual(lines, [`Triggering savepoint for job ${scheduledId}.`, 'Waiting for response...']);
  });

  it('names an unreachable JobManager in one line', async () => {
    const dead = new FlinkRestClient('http://127.0.0.1:9');
    await assert.rejects(
      dead.get('/jobs/overview'),
      (error: unknown) => error instanceof FlinkClientError && error.unreachable && !error.message.includes('\n'),
    );
  });
});

describe('JobManager addresses of -m', () => {
  it('accepts host:port, [v6]:port and URLs, and refuses the rest', () => {
    assert.equal(urlFromAddress('localhost:8081'), 'http://localhost:8081');
    assert.equal(urlFromAddress('[::1]:8081'), 'http://[::1]:8081');
    assert.equal(urlFromAddress('http://jm:9000/'), 'http://jm:9000');
    // With security.ssl.rest.enabled a bare host:port means https; a URL keeps the scheme it names.
    assert.equal(urlFromAddress('localhost:8081', 'https'), 'https://localhost:8081');
    assert.equal(urlFromAddress('http://jm:9000', 'https'), 'http://jm:9000');
    for (const bad of ['localhost', 'localhost:', 'host:99999', 'a b:1']) assert.throws(() => urlFromAddress(bad), /expected host:port/);
  });

  it("formats start times as Flink's dd.MM.yyyy HH:mm:ss in local time", () => {
    assert.equal(formatStartTime(new Date(2024, 0, 5, 7, 8, 9).getTime()), '05.01.2024 07:08:09');
  });
});

describe('bin/flink against a standby JobManager', () => {
  it("follows the standby's redirect to the leader, for GETs and for POSTs with their body", async () => {
    const { createServer } = await import('node:http');
    const seen: string[] = [];
    const leader = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push(`${request.method} ${request.url} ${body}`);
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ served: 'leader' }));
      });
    });
    await new Promise<void>((resolve) => leader.listen(0, '127.0.0.1', resolve));
    const leaderUrl = `http://127.0.0.1:${(leader.address() as { port: number }).port}`;
    const standby = createServer((request, response) => {
      request.resume();
      response
        .writeHead(307, { Location: `${leaderUrl}${request.url}`, 'Content-Type': 'application/json' })
        .end(JSON.stringify({ errors: [`not the leader; the leader is at ${leaderUrl}.`] }));
    });
    await new Promise<void>((resolve) => standby.listen(0, '127.0.0.1', resolve));
    try {
      const client = new FlinkRestClient(`http://127.0.0.1:${(standby.address() as { port: number }).port}`);
      assert.deepEqual(await client.get('/jobs/overview'), { served: 'leader' });
      assert.deepEqual(await client.post('/jobs/x/savepoints', { 'cancel-job': false }), { served: 'leader' });
      assert.deepEqual(seen, ['GET /jobs/overview ', 'POST /jobs/x/savepoints {"cancel-job":false}']);
    } finally {
      standby.closeAllConnections();
      leader.closeAllConnections();
      await Promise.all([standby, leader].map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });
});
