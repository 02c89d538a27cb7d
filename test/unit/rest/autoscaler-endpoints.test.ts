import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configureLogging, MemoryLogSink } from '../../../src/core/logging.js';
import type { AutoscalerDecisionRecord, AutoscalerDecisions, ParallelismHistory } from '../../../src/rest/types/responses.js';
import { getJson, waitFor } from '../../helpers/test-dist.js';
import { TestingJobManager, twoVertexGraph } from './testing-job-manager.js';
import { asJobId } from '../../helpers/ids.js';

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

  it("exposes the latest decision's Flink autoscaler metrics and the operator's counters, in REST and as job metrics", async () => {
    const vertexId = 'a'.repeat(32);
    const vertex = {
      id: vertexId,
      name: 'Map',
      currentParallelism: 2,
      recommendedParallelism: 2,
      load: 0.6,
      backPressure: 0,
      inputRate: 1000,
      trueProcessingRate: 1667,
      targetDataRate: 1000,
      catchUpDataRate: 0,
      targetCapacity: 1429,
      scaleUpThreshold: 1111,
      scaleDownThreshold: null,
      outsideBand: false,
      pendingRecords: null,
      notes: [],
      scalingMetrics: { LOAD: { current: 0.7, average: 0.6 }, PARALLELISM: { current: 2 }, SCALE_DOWN_RATE_THRESHOLD: { current: null } },
    };
    const before = (await getJson<AutoscalerDecisions>(url, `/jobs/${jobId}/autoscaler`)).metrics;
    const balanced = decision({
      outcome: 'within-target',
      summary: null,
      applied: false,
      action: null,
      timestamp: 9_000,
      vertices: [vertex],
    });
    assert.equal((await post(url, `/jobs/${jobId}/autoscaler`, balanced)).status, 200);
    const failed = decision({ outcome: 'scale', applied: false, action: 'failed: HTTP 409', timestamp: 9_500, vertices: [vertex] });
    assert.equal((await post(url, `/jobs/${jobId}/autoscaler`, failed)).status, 200);
    const { metrics } = await getJson<AutoscalerDecisions>(url, `/jobs/${jobId}/autoscaler`);
    assert.deepEqual(
      [metrics['scalings'], metrics['errors'], metrics['balanced']],
      [before['scalings'], before['errors']! + 1, before['balanced']! + 1],
    );
    assert.equal(metrics[`${vertexId}.LOAD.Current`], 0.7);
    assert.equal(metrics[`${vertexId}.LOAD.Average`], 0.6);
    assert.equal(metrics[`${vertexId}.PARALLELISM.Current`], 2);
    assert.equal(metrics[`${vertexId}.SCALE_DOWN_RATE_THRESHOLD.Current`], null);
    assert.equal(metrics[`${vertexId}.PARALLELISM.Average`], undefined, 'no Average where Flink has none');

    // The job's metric group holds them under AutoScaler, the vertex as a key-value group (Flink's jobVertexID).
    const names = [
      `AutoScaler.jobVertexID.${vertexId}.LOAD.Current`,
      `AutoScaler.jobVertexID.${vertexId}.LOAD.Average`,
      'AutoScaler.errors',
    ];
    const entries = new Map(jm.dispatcher.jobs.get(asJobId(jobId))!.metrics.jobMetrics());
    assert.deepEqual(
      names.map((name) => entries.get(name)),
      [0.7, 0.6, before['errors']! + 1],
    );
  });
});
