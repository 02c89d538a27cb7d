import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { logLineTime } from '../helpers/cluster-probes.js';
import { getJson, restUrlFrom, TestDist, waitFor, runningAt, type JobDetails } from '../helpers/test-dist.js';

const TOP_SPEED = 'org.apache.flink.streaming.examples.windowing.TopSpeedWindowing';

/** Starts TopSpeedWindowing on its own JobManager; returns the REST URL and the job id. */
async function startJob(dist: TestDist, extra: readonly string[] = []): Promise<{ url: string; jobId: string }> {
  dist.addExampleJar('TopSpeedWindowing');
  const started = await dist.run('standalone-job.sh', ['start', ...extra, '-j', TOP_SPEED]);
  assert.equal(started.exitCode, 0, started.stderr);
  const url = restUrlFrom(started.stdout);
  const jobId = /job \S+ \(([0-9a-f]{32})\)/.exec(started.stdout)![1]!;
  return { url, jobId };
}

/** Parallelism every vertex shows now. */
async function parallelismOf(url: string, jobId: string): Promise<number[]> {
  return (await getJson<JobDetails>(url, `/jobs/${jobId}`)).vertices.map((v) => v.parallelism);
}

const FAST_FAILOVER = {
  'heartbeat.interval': '200 ms',
  'heartbeat.timeout': '2 s',
  'restart-strategy.type': 'fixed-delay',
  'restart-strategy.fixed-delay.attempts': 100,
  'restart-strategy.fixed-delay.delay': '100 ms',
};

describe("Flink's Elastic Scaling walk-through", () => {
  const dist = TestDist.create({ config: FAST_FAILOVER });
  after(() => dist.destroy());

  it('follows the TaskManagers: 1 → 2 → 3, stop → 2, kill -9 → 1', async () => {
    const { url, jobId } = await startJob(dist, ['-Dscheduler-mode=reactive', '-Dexecution.checkpointing.interval=500ms']);
    const taskManager = async (): Promise<void> => assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    await taskManager();
    await runningAt(url, jobId, 1);
    await taskManager();
    await runningAt(url, jobId, 2);
    await taskManager();
    await runningAt(url, jobId, 3);
    assert.equal((await dist.run('taskmanager.sh', ['stop'])).exitCode, 0);
    await runningAt(url, jobId, 2);
    process.kill(dist.pids('taskexecutor').at(-1)!, 'SIGKILL');
    await runningAt(url, jobId, 1);
    const log = dist.log('standalonejob', 0);
    assert.match(log, /switched from state RUNNING to RESTARTING/);
    assert.match(log, /switched from state RESTARTING to CREATED/);
    assert.match(log, /Restoring job .* from checkpoint/);
  });
});

describe('Adaptive Scheduler options', () => {
  const dists: TestDist[] = [];
  const newDist = (config: Record<string, string | number | boolean>): TestDist => {
    const dist = TestDist.create({ config: { ...FAST_FAILOVER, ...config } });
    dists.push(dist);
    return dist;
  };
  after(async () => {
    await Promise.all(dists.map((d) => d.destroy()));
  });

  it('delays a scale-up by the stabilization timeout', async () => {
    const dist = newDist({
      'scheduler-mode': 'reactive',
      'execution.checkpointing.interval': '500 ms',
      'jobmanager.adaptive-scheduler.executing.resource-stabilization-timeout': '3 s',
    });
    const { url, jobId } = await startJob(dist);
    await dist.run('taskmanager.sh', ['start']);
    await runningAt(url, jobId, 1);
    await dist.run('taskmanager.sh', ['start']);
    await runningAt(url, jobId, 2);
    // Measured in the JobManager's own log: from the second TaskManager's registration to the restart it caused.
    const lines = dist.log('standalonejob', 0).split('\n');
    const joined = lines.filter((line) => /Registering TaskManager/.test(line))[1]!;
    const restarted = lines.find((line) => /switched from state RUNNING to RESTARTING/.test(line))!;
    const waitedMs = logLineTime(restarted) - logLineTime(joined);
    assert.ok(waitedMs >= 2900, `the rescale waited for the 3 s stabilization timeout (it waited ${waitedMs} ms)`);
  });

  it('min-parallelism-increase 2 ignores one new slot and takes two', async () => {
    const dist = newDist({
      'scheduler-mode': 'reactive',
      'execution.checkpointing.interval': '500 ms',
      'jobmanager.adaptive-scheduler.min-parallelism-increase': 4,
    });
    const { url, jobId } = await startJob(dist);
    await dist.run('taskmanager.sh', ['start']);
    await runningAt(url, jobId, 1);
    await dist.run('taskmanager.sh', ['start']);
    await waitFor('the scheduler to judge the new slot', () =>
      /Not rescaling job \w+: .*min-parallelism-increase \(4\)/.test(dist.log('standalonejob', 0)) ? true : undefined,
    );
    assert.deepEqual(await parallelismOf(url, jobId), [1, 1], 'one more slot adds 1 per vertex, 2 in all: below the minimum increase of 4');
    await dist.run('taskmanager.sh', ['start']);
    await runningAt(url, jobId, 3);
  });

  it('caps the job at its max parallelism, leaving extra slots free', async () => {
    const dist = newDist({ 'scheduler-mode': 'reactive', 'execution.checkpointing.interval': '500 ms', 'pipeline.max-parallelism': 2 });
    const { url, jobId } = await startJob(dist);
    for (let i = 0; i < 3; i++) await dist.run('taskmanager.sh', ['start']);
    await runningAt(url, jobId, 2);
    // The scheduler judges a new slot as it registers (no stabilization or cooldown here), so once the
    // JobManager counts the third slot, any rescale it would cause has begun.
    await waitFor('the third slot to register', async () =>
      (await getJson<Record<string, number>>(url, '/overview'))['slots-total'] === 3 ? true : undefined,
    );
    assert.deepEqual(await parallelismOf(url, jobId), [2, 2]);
    assert.equal((await getJson<Record<string, number>>(url, '/overview'))['slots-available'], 1);
  });

  it('fails the job when resources do not come within resource-wait-timeout', async () => {
    const dist = newDist({ 'jobmanager.scheduler': 'adaptive', 'jobmanager.adaptive-scheduler.resource-wait-timeout': '1 s' });
    dist.addExampleJar('TopSpeedWindowing');
    const result = await dist.startForeground('standalone-job.sh', ['-j', TOP_SPEED]);
    assert.equal(result.exitCode, 163);
    assert.match(String(result.all), /NoResourceAvailableException|Not enough resources/);
  });

  it('fails the job on a lost TaskManager when restart-strategy.type is none', async () => {
    const dist = newDist({ 'scheduler-mode': 'reactive', 'execution.checkpointing.interval': '500 ms', 'restart-strategy.type': 'none' });
    const { url, jobId } = await startJob(dist);
    await dist.run('taskmanager.sh', ['start']);
    await dist.run('taskmanager.sh', ['start']);
    await runningAt(url, jobId, 2);
    const jobManager = dist.pids('standalonejob')[0]!;
    process.kill(dist.pids('taskexecutor').at(-1)!, 'SIGKILL');
    await waitFor('the JobManager to exit', () => {
      try {
        process.kill(jobManager, 0);
        return undefined;
      } catch {
        return true;
      }
    });
    assert.match(dist.log('standalonejob', 0), /switched from state FAILING to FAILED/);
  });

  it('keeps chk-N directories under <dir>/<job-id>/ with _metadata, retaining num-retained of them', async () => {
    const dist = newDist({
      'scheduler-mode': 'reactive',
      'execution.checkpointing.interval': '200 ms',
      'execution.checkpointing.num-retained': 2,
      // The layout of state files: this job's small state would otherwise travel inline in _metadata.
      'execution.checkpointing.data-inline-threshold': 0,
    });
    const checkpoints = join(dist.dir, 'checkpoints');
    const { jobId } = await startJob(dist, [`-Dexecution.checkpointing.dir=file://${checkpoints}`]);
    await dist.run('taskmanager.sh', ['start']);
    await waitFor('six checkpoints', () => (/Completed checkpoint 6\b/.test(dist.log('standalonejob', 0)) ? true : undefined), 20_000);
    assert.equal((await dist.run('standalone-job.sh', ['stop'])).exitCode, 0);
    const jobDir = join(checkpoints, jobId);
    const completed = readdirSync(jobDir)
      .filter((name) => name.startsWith('chk-') && existsSync(join(jobDir, name, '_metadata')))
      .map((name) => Number(name.slice(4)))
      .sort((a, b) => a - b);
    assert.equal(completed.length, 2, `completed checkpoints kept: ${completed.join(', ')}`);
    const newest = Math.max(...[...dist.log('standalonejob', 0).matchAll(/Completed checkpoint (\d+)/g)].map((m) => Number(m[1])));
    assert.deepEqual(completed, [newest - 1, newest], 'the two newest completed checkpoints remain, older ones are removed');
    for (const id of completed) {
      assert.ok(
        readdirSync(join(jobDir, `chk-${id}`)).some((name) => name !== '_metadata'),
        `chk-${id} holds the subtasks' state files`,
      );
    }
  });
});

describe('eight TaskManagers started at once', () => {
  const dists: TestDist[] = [];
  after(async () => {
    await Promise.all(dists.map((d) => d.destroy()));
  });

  // With restart-strategy none, a single failed deployment (a slot still held by the previous run's
  // attempt) fails the whole job, so reaching parallelism 8 RUNNING proves every rescale deployed cleanly.
  for (const [label, extra] of [
    ['with the default stabilization', {}],
    ['with a 1 s submission stabilization', { 'jobmanager.adaptive-scheduler.submission.resource-stabilization-timeout': '1 s' }],
  ] as const) {
    it(`scales to 8 without a failed deployment, ${label}`, async () => {
      const dist = TestDist.create({
        config: { 'scheduler-mode': 'reactive', 'execution.checkpointing.interval': '500 ms', 'restart-strategy.type': 'none', ...extra },
      });
      dists.push(dist);
      const { url, jobId } = await startJob(dist);
      const started = await Promise.all(Array.from({ length: 8 }, () => dist.run('taskmanager.sh', ['start'])));
      assert.deepEqual(
        started.map((r) => r.exitCode),
        new Array<number>(8).fill(0),
        started.map((r) => r.stderr).join(''),
      );
      await runningAt(url, jobId, 8, 90_000);
      const log = dist.log('standalonejob', 0);
      assert.doesNotMatch(log, /Cannot deploy|switched from state \w+ to (FAILING|FAILED)/);
      const exceptions = await getJson<{ exceptionHistory: { entries: unknown[] } }>(url, `/jobs/${jobId}/exceptions`);
      assert.deepEqual(exceptions.exceptionHistory.entries, []);
    });
  }
});
