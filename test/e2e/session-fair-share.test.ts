import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { committedLines } from '../helpers/committed-output.js';
import { FLINK_HOME, getJson, restUrlFrom, TestDist, waitFor } from '../helpers/test-dist.js';

const KEYED_COUNTER = join(FLINK_HOME, 'dist', 'test', 'fixtures', 'jobs', 'keyed-counter.js');
const KEYS = 20;
/** Rescales include a restore from the latest checkpoint; the shared machine is slow. */
const RESCALE_TIMEOUT_MS = 60_000;

interface JobDetails {
  state: string;
  vertices: Array<{ parallelism: number; status: string }>;
}

/**
 * Per key, the committed counts must be 1, 2, …, n with none missing and none twice: what a
 * keyed counter commits exactly once, whether it finished (n = all) or was canceled (n = so far).
 */
function checkExactlyOnce(lines: readonly string[], expectedPerKey: number | undefined): void {
  const byKey = new Map<string, number[]>();
  for (const line of lines) {
    const [, key, count] = /^\((\d+),(\d+)\)$/.exec(line) ?? [];
    if (key === undefined) continue;
    byKey.set(key, [...(byKey.get(key) ?? []), Number(count)]);
  }
  for (const [key, counts] of byKey) {
    const sorted = [...counts].sort((a, b) => a - b);
    assert.deepEqual(
      sorted,
      sorted.map((_, i) => i + 1),
      `key ${key}: counts must run 1..n once each`,
    );
    if (expectedPerKey !== undefined) assert.equal(sorted.length, expectedPerKey, `key ${key}`);
  }
  if (expectedPerKey !== undefined) assert.equal(byKey.size, KEYS);
}

describe('elastic jobs share a session cluster fairly (jobmanager.scheduler: adaptive)', () => {
  const dist = TestDist.create({
    config: {
      'jobmanager.scheduler': 'adaptive',
      'taskmanager.numberOfTaskSlots': 2,
      'execution.checkpointing.interval': '300 ms',
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': 100,
      'restart-strategy.fixed-delay.delay': '100 ms',
      'heartbeat.interval': '200 ms',
      'heartbeat.timeout': '2 s',
    },
  });
  let url = '';

  before(async () => {
    writeFileSync(join(dist.confDir, 'workers'), 'localhost\nlocalhost\n');
    const started = await dist.run('start-cluster.sh');
    assert.equal(started.exitCode, 0, started.stderr);
    url = restUrlFrom(started.stdout);
    await waitFor('four slots', async () =>
      (await getJson<Record<string, number>>(url, '/overview'))['slots-total'] === 4 ? true : undefined,
    );
  });
  after(() => dist.destroy());

  async function submit(name: string, records: number): Promise<{ jobId: string; output: string }> {
    const output = join(dist.dir, name);
    mkdirSync(output);
    const args = ['--records', String(records), '--keys', String(KEYS), '--rate', '150', '--output', output];
    const run = await dist.run('flink', ['run', '-d', '-p', '6', KEYED_COUNTER, ...args]);
    assert.equal(run.exitCode, 0, run.stderr);
    return { jobId: /JobID ([0-9a-f]{32})/.exec(run.stdout)![1]!, output };
  }

  /** The parallelism every vertex of a running job shows, once all its subtasks run; undefined otherwise. */
  async function runningParallelism(jobId: string): Promise<number | undefined> {
    const job = await getJson<JobDetails>(url, `/jobs/${jobId}`);
    if (job.state !== 'RUNNING' || !job.vertices.every((v) => v.status === 'RUNNING')) return undefined;
    return Math.max(...job.vertices.map((v) => v.parallelism));
  }

  /** Waits until the jobs run at exactly these parallelisms. */
  async function sharesAre(jobs: ReadonlyArray<{ jobId: string }>, expected: readonly number[], what: string): Promise<void> {
    await waitFor(
      what,
      async () => {
        const actual = await Promise.all(jobs.map((job) => runningParallelism(job.jobId)));
        return actual.every((p, i) => p === expected[i]) ? true : undefined;
      },
      RESCALE_TIMEOUT_MS,
    );
  }

  it('a new job takes its share by scaling the others down; joins, leaves and ends hand slots back; counts exactly once', async () => {
    const a = await submit('a', 9_000);
    await sharesAre([a], [4], 'the first job to take every slot');
    const b = await submit('b', 9_000);
    await sharesAre([a, b], [2, 2], 'the first job to give half to the second');
    const c = await submit('c', 1_000_000);
    await waitFor(
      'three jobs sharing four slots',
      async () => {
        const ps = await Promise.all([a, b, c].map((job) => runningParallelism(job.jobId)));
        return ps.every((p) => p !== undefined && p >= 1) && ps.reduce((x, y) => x! + y!, 0) === 4 ? true : undefined;
      },
      RESCALE_TIMEOUT_MS,
    );
    assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    await sharesAre([a, b, c], [2, 2, 2], 'a joining TaskManager to give each job a slot more');
    const taskManagers = dist.pids('taskexecutor');
    process.kill(taskManagers.at(-1)!, 'SIGKILL');
    await waitFor(
      'the jobs to share the four slots left',
      async () => {
        const ps = await Promise.all([a, b, c].map((job) => runningParallelism(job.jobId)));
        return ps.every((p) => p !== undefined) && ps.reduce((x, y) => x + y, 0) === 4 ? true : undefined;
      },
      RESCALE_TIMEOUT_MS,
    );
    assert.equal((await dist.run('flink', ['cancel', c.jobId])).exitCode, 0);
    await sharesAre([a, b], [2, 2], "the canceled job's slots to go back to the others");
    for (const job of [a, b]) {
      await waitFor(
        'the job to finish',
        async () => ((await getJson<JobDetails>(url, `/jobs/${job.jobId}`)).state === 'FINISHED' ? true : undefined),
        120_000,
      );
      checkExactlyOnce(committedLines(job.output), 9_000 / KEYS);
    }
    checkExactlyOnce(committedLines(c.output), undefined);
  });
});
