import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configureLogging, MemoryLogSink } from '../../../src/core/logging.js';
import type { AutoscalerDecisionRecord, AutoscalerDecisions, ParallelismHistory } from '../../../src/rest/types/responses.js';
import { getJson, waitFor } from '../../helpers/test-dist.js';
import { TestingJobManager, twoVertexGraph } from './testing-job-manager.js';

configureLogging(new MemoryLogSink(), 'INFO');

const decision = (overrides: Partial<AutoscalerDecisionRecord> = {}): AutoscalerDecisionRecord => ({
  timestamp: 1_000,
  outcome: 'scale',
  reason: 'outside the band: Sink',
  summary: 'autoscaler: busy 92 % at p=1, target 70 % → p=2 (Sink)',
  dryRun: false,
  applied: true,
  action: 'started 1 TaskManager(s): 1 → 2',
  processingBacklog: false,
  vertices: [],
  ...overrides,
});

async function post(url: string, path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

describe('GET and POST /jobs/:jobid/autoscaler', () => {
  const jm = new TestingJobManager({ 'scheduler-mode': 'reactive' });
  let url = '';
  let jobId = '';

  before(async () => {
    url = await jm.startRest();
    jobId = (await jm.submit(twoVertexGraph())).jobId;
  });
  after(() => jm.close());

  it('keeps reported decisions, folding repeats of a decision that changed nothing', async () => {
    const atRest = decision({ outcome: 'within-target', summary: null, applied: false, action: null });
    assert.equal((await post(url, `/jobs/${jobId}/autoscaler`, atRest)).status, 200);
    assert.equal((await post(url, `/jobs/${jobId}/autoscaler`, { ...atRest, timestamp: 2_000 })).status, 200);
    const { decisions } = await getJson<AutoscalerDecisions>(url, `/jobs/${jobId}/autoscaler`);
    assert.deepEqual(
      decisions.map((d) => [d.outcome, d.timestamp]),
      [['within-target', 2_000]],
    );
  });

  it('refuses a body without the record shape, in one line naming the fields', async () => {
    const response = await post(url, `/jobs/${jobId}/autoscaler`, { outcome: 'scale' });
    assert.equal(response.status, 400);
    assert.match(JSON.stringify(response.json), /An autoscaler decision must have timestamp/);
  });

  it('labels the next run on the parallelism timeline with an applied decision', async () => {
    jm.addTaskManager(1);
    await waitFor('the first run', async () =>
      (await getJson<ParallelismHistory>(url, `/jobs/${jobId}/parallelism-history`)).changes.length === 1 ? true : undefined,
    );
    await post(url, `/jobs/${jobId}/autoscaler`, decision());
    jm.addTaskManager(1);
    const changes = await waitFor('the rescale', async () => {
      const history = await getJson<ParallelismHistory>(url, `/jobs/${jobId}/parallelism-history`);
      return history.changes.length === 2 ? history.changes : undefined;
    });
    assert.deepEqual(
      changes.map((c) => c.note),
      [null, 'autoscaler: busy 92 % at p=1, target 70 % → p=2 (Sink)'],
    );
    const { decisions } = await getJson<AutoscalerDecisions>(url, `/jobs/${jobId}/autoscaler`);
    assert.equal(decisions.at(-1)?.action, 'started 1 TaskManager(s): 1 → 2');
  });

  it('answers 404 for an unknown job', async () => {
    const response = await fetch(`${url}/jobs/${'f'.repeat(32)}/autoscaler`);
    assert.equal(response.status, 404);
  });
});
