import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configureLogging, MemoryLogSink } from '../../../src/core/logging.js';
import { waitFor } from '../../helpers/test-dist.js';
import { SOURCE_ID, TestingJobManager, twoVertexGraph } from './testing-job-manager.js';

/** Status and `errors` of one REST call that is expected to fail. */
async function failure(baseUrl: string, method: string, path: string, body?: string): Promise<{ status: number; errors: string[] }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    body,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
  });
  const json = (await response.json()) as { errors?: unknown };
  assert.ok(Array.isArray(json.errors) && json.errors.every((e) => typeof e === 'string'), `${method} ${path}: ${JSON.stringify(json)}`);
  return { status: response.status, errors: json.errors };
}

configureLogging(new MemoryLogSink(), 'INFO');

describe('REST error answers', () => {
  const jm = new TestingJobManager({ 'scheduler-mode': 'reactive' });
  const unknownJob = '00000000000000000000000000000001';
  let url = '';
  let jobId = '';

  before(async () => {
    url = await jm.startRest();
    jobId = (await jm.submit(twoVertexGraph())).jobId;
  });
  after(() => jm.close());

  it('answers an unknown route with 404 and a wrong method with 405', async () => {
    assert.deepEqual(await failure(url, 'GET', '/nope'), { status: 404, errors: ['Not found: /nope'] });
    assert.equal((await failure(url, 'GET', `/jobs/${jobId}/nope`)).status, 404);
    const wrongMethod = await failure(url, 'DELETE', `/jobs/${jobId}`);
    assert.equal(wrongMethod.status, 405);
    assert.match(wrongMethod.errors[0]!, /allowed: .*GET.*PATCH|allowed: .*PATCH.*GET/);
    assert.equal((await failure(url, 'POST', '/jobs')).status, 405);
    assert.equal((await failure(url, 'GET', `/jobs/${jobId}/stop`)).status, 405);
  });

  it('answers every job endpoint with 404 for an unknown job and 400 for a malformed id', async () => {
    const paths = [
      '',
      '/status',
      '/plan',
      '/config',
      '/exceptions',
      '/checkpoints',
      '/checkpoints/config',
      '/checkpoints/details/1',
      `/vertices/${SOURCE_ID}`,
      `/vertices/${SOURCE_ID}/taskmanagers`,
      '/resource-requirements',
      '/parallelism-history',
      '/jobmanager/config',
      '/jobmanager/environment',
      `/savepoints/${'a'.repeat(32)}`,
    ];
    for (const path of paths) {
      const missing = await failure(url, 'GET', `/jobs/${unknownJob}${path}`);
      assert.deepEqual(missing, { status: 404, errors: [`Job ${unknownJob} is unknown to this JobManager.`] }, path);
      const malformed = await failure(url, 'GET', `/jobs/not-a-job-id${path}`);
      assert.deepEqual(malformed, { status: 400, errors: ["Invalid job id 'not-a-job-id': expected 32 hexadecimal characters."] }, path);
    }
    assert.equal((await failure(url, 'PATCH', `/jobs/${unknownJob}?mode=cancel`)).status, 404);
    assert.equal((await failure(url, 'POST', `/jobs/${unknownJob}/savepoints`, '{}')).status, 404);
    assert.equal((await failure(url, 'POST', `/jobs/${unknownJob}/stop`, '{}')).status, 404);
    assert.equal((await failure(url, 'PUT', `/jobs/${unknownJob}/resource-requirements`, '{}')).status, 404);
  });

  it('answers unknown and malformed vertex, checkpoint and trigger ids', async () => {
    const otherVertex = 'b'.repeat(32);
    assert.deepEqual(await failure(url, 'GET', `/jobs/${jobId}/vertices/${otherVertex}`), {
      status: 404,
      errors: [`Job ${jobId} has no vertex ${otherVertex}.`],
    });
    assert.equal((await failure(url, 'GET', `/jobs/${jobId}/vertices/${otherVertex}/taskmanagers`)).status, 404);
    assert.equal((await failure(url, 'GET', `/jobs/${jobId}/vertices/xyz`)).status, 400);
    assert.equal((await failure(url, 'GET', `/jobs/${jobId}/checkpoints/details/77`)).status, 404);
    assert.equal((await failure(url, 'GET', `/jobs/${jobId}/checkpoints/details/seven`)).status, 400);
    assert.equal((await failure(url, 'GET', `/jobs/${jobId}/savepoints/${'d'.repeat(32)}`)).status, 404);
    assert.equal((await failure(url, 'GET', `/jobs/${jobId}/savepoints/nope`)).status, 400);
  });

  it('answers bad query parameters with 400', async () => {
    assert.match((await failure(url, 'GET', `/jobs/${jobId}/exceptions?maxExceptions=lots`)).errors[0]!, /maxExceptions='lots'/);
    assert.equal((await failure(url, 'GET', `/jobs/${jobId}/exceptions?maxExceptions=-1`)).status, 400);
    assert.equal((await failure(url, 'GET', `/jobs/${jobId}/exceptions?failureLabelFilter=nocolon`)).status, 400);
    assert.match((await failure(url, 'PATCH', `/jobs/${jobId}?mode=stop`)).errors[0]!, /POST \/jobs\/:jobid\/stop/);
    assert.equal((await failure(url, 'PATCH', `/jobs/${jobId}?mode=explode`)).status, 400);
    assert.equal((await failure(url, 'PATCH', `/jobs/${jobId}/rescaling`)).status, 400);
    assert.equal((await failure(url, 'PATCH', `/jobs/${jobId}/rescaling?parallelism=zero`)).status, 400);
  });

  it("answers the legacy rescaling endpoints with Flink's 503", async () => {
    assert.deepEqual(await failure(url, 'PATCH', `/jobs/${jobId}/rescaling?parallelism=2`), {
      status: 503,
      errors: ['Rescaling is temporarily disabled. See FLINK-12312.'],
    });
    assert.equal((await failure(url, 'GET', `/jobs/${jobId}/rescaling/${'e'.repeat(32)}`)).status, 503);
  });

  it('answers malformed bodies with 400 before doing anything', async () => {
    const savepoints = `/jobs/${jobId}/savepoints`;
    assert.deepEqual(await failure(url, 'POST', savepoints, '{"target-directory":'), {
      status: 400,
      errors: ['Request body is not valid JSON.'],
    });
    assert.equal((await failure(url, 'POST', savepoints, '[1]')).status, 400);
    assert.match((await failure(url, 'POST', savepoints, '{"target-directory": 5}')).errors[0]!, /target-directory/);
    assert.match((await failure(url, 'POST', savepoints, '{"cancel-job": "yes"}')).errors[0]!, /cancel-job/);
    assert.match((await failure(url, 'POST', savepoints, '{"formatType": "ZIP"}')).errors[0]!, /CANONICAL or NATIVE/);
    assert.match((await failure(url, 'POST', savepoints, '{"triggerId": "short"}')).errors[0]!, /triggerId/);
    assert.match((await failure(url, 'POST', `/jobs/${jobId}/stop`, '{"drain": 1}')).errors[0]!, /drain/);
    assert.match((await failure(url, 'POST', savepoints, '{"target-directory": "s3://bucket/sp"}')).errors[0]!, /file system/);
    assert.equal((await failure(url, 'PUT', `/jobs/${jobId}/resource-requirements`, '"text"')).status, 400);
    const huge = `/tmp/${'x'.repeat(5_000)}`;
    assert.deepEqual(await failure(url, 'POST', savepoints, JSON.stringify({ 'target-directory': huge })), {
      status: 400,
      errors: [`Field 'target-directory' is ${huge.length} characters long; at most 4096 are accepted.`],
    });
    assert.equal((await failure(url, 'POST', `/jobs/${jobId}/stop`, JSON.stringify({ targetDirectory: huge }))).status, 400);
    const checkpoints = await (await fetch(`${url}/jobs/${jobId}/checkpoints`)).text();
    assert.ok(checkpoints.length < 20_000, 'a refused request leaves nothing large behind');
  });
});

describe('cancelling a job that already ended', () => {
  const jm = new TestingJobManager({ 'slot.request.timeout': '100 ms', 'parallelism.default': 2 });

  after(() => jm.close());

  it('answers 409 for a job that failed', async () => {
    const url = await jm.startRest();
    const { jobId } = await jm.submit(twoVertexGraph());
    await waitFor('the job to fail for want of slots', async () =>
      ((await (await fetch(`${url}/jobs/${jobId}/status`)).json()) as { status: string }).status === 'FAILED' ? true : undefined,
    );
    const reply = await failure(url, 'PATCH', `/jobs/${jobId}?mode=cancel`);
    assert.deepEqual(reply, { status: 409, errors: [`Job ${jobId} cannot be canceled: it already ended FAILED.`] });
    const exceptions = (await (await fetch(`${url}/jobs/${jobId}/exceptions`)).json()) as {
      exceptionHistory: { entries: Array<Record<string, unknown>>; truncated: boolean };
    };
    assert.equal(exceptions.exceptionHistory.entries.length, 1);
    assert.equal(exceptions.exceptionHistory.entries[0]!.exceptionName, 'NoResourceAvailableException');
    assert.equal('taskName' in exceptions.exceptionHistory.entries[0]!, false, 'a global failure names no task');
    const legacy = exceptions as unknown as Record<string, unknown>;
    assert.equal(
      legacy['root-exception'],
      exceptions.exceptionHistory.entries[0]!['stacktrace'],
      "Flink 1.x's root-exception is the newest failure",
    );
    assert.equal(legacy['timestamp'], exceptions.exceptionHistory.entries[0]!['timestamp']);
    const none = (await (await fetch(`${url}/jobs/${jobId}/exceptions?maxExceptions=0`)).json()) as {
      exceptionHistory: { entries: unknown[]; truncated: boolean };
    };
    assert.deepEqual(none.exceptionHistory, { entries: [], truncated: true });
  });
});
