import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { AutoscalerDecisions, ParallelismHistory } from '../../src/rest/types/responses.js';
import { checkKeyedCounts, committedLines } from '../helpers/committed-output.js';
import { startScheduledLoadJob } from '../helpers/scheduled-load.js';
import { getJson, TestDist, waitFor } from '../helpers/test-dist.js';

const KEYS = 50;

/** Checkpointing and restarts shared by both clusters: a rescale restores the last checkpoint. */
const CLUSTER_CONFIG = {
  'taskmanager.numberOfTaskSlots': 1,
  'execution.checkpointing.interval': '1 s',
  'restart-strategy.type': 'fixed-delay',
  'restart-strategy.fixed-delay.attempts': 1000,
  'restart-strategy.fixed-delay.delay': '100 ms',
  'autoscaler.standalone.control-loop.interval': '2 s',
};

/** Starts the scheduled-load job in the foreground; its load starts 3 s from now. Gives the job, its REST URL and its id. */
async function startScheduledLoad(
  dist: TestDist,
  schedule: string,
  output: string,
): Promise<{ job: ReturnType<TestDist['startForeground']>; url: string; jobId: string }> {
  const job = startScheduledLoadJob(dist, { schedule, startMs: Date.now() + 3_000, keys: KEYS, costUs: 250, output });
  const url = await waitFor('the REST URL', () => /Web frontend listening at (\S+)\./.exec(dist.log('standalonejob', 0))?.[1]);
  const jobId = await waitFor(
    'the job to be submitted',
    async () => (await getJson<{ jobs: Array<{ id: string }> }>(url, '/jobs')).jobs[0]?.id,
  );
  return { job, url, jobId };
}

/** Waits for the bounded job to finish and checks its committed output: every (key,count) exactly once. */
async function assertExactlyOnce(job: ReturnType<TestDist['startForeground']>, output: string, records: number): Promise<void> {
  const result = await job;
  assert.equal(result.exitCode, 0, String(result.all).slice(-3000));
  const lines = committedLines(output);
  const { missing, duplicated } = checkKeyedCounts(lines, KEYS, records / KEYS);
  assert.deepEqual(duplicated.slice(0, 10), [], 'no (key,count) line is committed twice');
  assert.deepEqual(missing.slice(0, 10), [], 'every (key,count) line is committed');
  assert.equal(lines.length, records);
}

/** The decisions in one line each, for a failure message. */
function describeDecisions(decisions: AutoscalerDecisions['decisions']): string {
  return decisions
    .map(
      (d) =>
        `${d.outcome}: ${d.vertices.map((v) => `${v.name.slice(0, 12)} p=${v.currentParallelism} busy ${v.load} bp ${v.backPressure} pending ${v.pendingRecords}`).join(', ')}`,
    )
    .join(' | ');
}
/** 1500/s for 30 s, 6000/s for 45 s, 1500/s for 60 s: 405 000 records, 8100 per key. */
const SCHEDULE = '1500:30,6000:45,1500:60';
const RECORDS = 1500 * 30 + 6000 * 45 + 1500 * 60;

/**
 * The autoscaler closes the loop with real processes: bin/autoscaler.sh watches a Reactive Mode job
 * whose input steps up and down; a counter subtask takes 4000 records/s (250 µs each, waited, so
 * the figure holds on a busy machine), so the step to 6000/s needs more TaskManagers (two at most
 * here) and the step back lets one go, while the exactly-once output stays exact.
 */
describe('the autoscaler with real processes', () => {
  const dist = TestDist.create({
    config: {
      ...CLUSTER_CONFIG,
      'scheduler-mode': 'reactive',
      'heartbeat.interval': '500 ms',
      'heartbeat.timeout': '5 s',
      'job.autoscaler.metrics.window': '12 s',
      'job.autoscaler.stabilization.interval': '4 s',
      'job.autoscaler.scale-down.interval': '8 s',
      'job.autoscaler.catch-up.duration': '30 s',
      'job.autoscaler.restart.time': '3 s',
      'job.autoscaler.taskmanagers.max': 2,
    },
  });
  after(async () => {
    await dist.run('autoscaler.sh', ['stop']);
    await dist.destroy();
  });

  it('scales up for a step in load without backpressure, back down after it, and counts exactly once', async () => {
    const output = join(dist.dir, 'counts');
    const { job, url, jobId } = await startScheduledLoad(dist, SCHEDULE, output);
    assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    const started = await dist.run('autoscaler.sh', ['start']);
    assert.equal(started.exitCode, 0, started.stderr);
    const decisions = async (): Promise<AutoscalerDecisions['decisions']> =>
      (await getJson<AutoscalerDecisions>(url, `/jobs/${jobId}/autoscaler`)).decisions;

    const up = await waitFor(
      'a scale-up to 2 TaskManagers',
      async () => (await decisions()).find((d) => d.applied && d.action?.startsWith('started')),
      90_000,
    );
    assert.match(up.summary!, /^autoscaler: busy \d+ % at p=1, target 70 %.* → p=2 \(count-per-key/);
    // At p=2 the job keeps up: a later judgement finds the backlog small and the source not backpressured.
    const steady = await waitFor(
      'a judgement at p=2 that the job keeps up',
      async () =>
        (await decisions()).find(
          (d) =>
            d.timestamp > up.timestamp &&
            d.vertices.every((v) => v.currentParallelism === 2) &&
            d.vertices.every((v) => v.backPressure < 0.5) &&
            (d.vertices.find((v) => v.pendingRecords !== null)?.pendingRecords ?? Infinity) < 6_000,
        ),
      90_000,
    );
    assert.ok(steady, describeDecisions(await decisions()));
    const down = await waitFor(
      'a scale-down after the step down',
      async () => (await decisions()).find((d) => d.applied && d.action?.startsWith('stopped')),
      120_000,
    );
    assert.ok(down.timestamp > up.timestamp);
    const history = await getJson<ParallelismHistory>(url, `/jobs/${jobId}/parallelism-history`);
    assert.ok(
      history.changes.some((c) => c.note === up.summary),
      `the timeline names the decision: ${JSON.stringify(history.changes.map((c) => c.note))}`,
    );
    const applied = (await decisions()).filter((d) => d.applied);
    assert.deepEqual(
      applied.map((d) => d.action!.split(' ')[0]),
      ['started', 'stopped'],
      'one decision each way, no reversal',
    );

    await assertExactlyOnce(job, output, RECORDS);
  });
});

/**
 * Without Reactive Mode, the autoscaler that standalone-job.sh runs inside the JobManager
 * (job.autoscaler.enabled) acts through PUT /jobs/:jobid/resource-requirements, per vertex.
 */
describe('the autoscaler inside the JobManager, on the Adaptive Scheduler', () => {
  const dist = TestDist.create({
    config: {
      ...CLUSTER_CONFIG,
      'jobmanager.scheduler': 'adaptive',
      'job.autoscaler.enabled': true,
      'job.autoscaler.metrics.window': '8 s',
      'job.autoscaler.stabilization.interval': '2 s',
      'job.autoscaler.vertex.max-parallelism': 2,
    },
  });
  after(() => dist.destroy());

  it('raises the overloaded vertex to 2 through the resource requirements, and counts exactly once', async () => {
    const output = join(dist.dir, 'counts');
    // Both TaskManagers first: the job starts at parallelism 1 (parallelism.default) with a spare slot.
    for (let i = 0; i < 2; i++) assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    const { job, url, jobId } = await startScheduledLoad(dist, '6000:40', output);
    const applied = await waitFor(
      'the autoscaler to set resource requirements',
      async () => (await getJson<AutoscalerDecisions>(url, `/jobs/${jobId}/autoscaler`)).decisions.find((d) => d.applied),
      60_000,
    );
    assert.match(applied.action!, /^resource requirements set/);
    const counter = applied.vertices.find((v) => v.name.startsWith('count-per-key'))!;
    assert.deepEqual([counter.currentParallelism, counter.recommendedParallelism], [1, 2]);
    await waitFor(
      'the counter to run at parallelism 2',
      async () => {
        const details = await getJson<{ vertices: Array<{ name: string; parallelism: number; status: string }> }>(url, `/jobs/${jobId}`);
        return details.vertices.some((v) => v.name.startsWith('count-per-key') && v.parallelism === 2 && v.status === 'RUNNING')
          ? true
          : undefined;
      },
      60_000,
    );
    assert.match(dist.log('standalonejob', 0), /Autoscaling the jobs of http\S+ every 2000 ms \(resource requirements\)/);
    // The metrics Flink's operator exposes for its autoscaler, in REST and among the job's metrics.
    const { metrics } = await getJson<AutoscalerDecisions>(url, `/jobs/${jobId}/autoscaler`);
    assert.ok(metrics['scalings']! >= 1, JSON.stringify(metrics));
    const load = metrics[`${counter.id}.LOAD.Average`];
    assert.ok(typeof load === 'number' && load > 0 && load <= 1, `LOAD.Average ${load}`);
    assert.equal(typeof metrics[`${counter.id}.TRUE_PROCESSING_RATE.Current`], 'number');
    const names = ['AutoScaler.scalings', `AutoScaler.jobVertexID.${counter.id}.PARALLELISM.Current`];
    const values = await getJson<Array<{ id: string; value: string }>>(url, `/jobs/${jobId}/metrics?get=${names.join(',')}`);
    assert.deepEqual(
      values.map((m) => m.id),
      names,
    );
    assert.ok(Number(values[0]!.value) >= 1);
    await assertExactlyOnce(job, output, 6000 * 40);
  });
});
