import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { waitForProcessExit } from '../helpers/cluster-probes.js';
import { checkKeyedCounts, committedLines } from '../helpers/committed-output.js';
import { getJson, restUrlFrom, TestDist, waitFor } from '../helpers/test-dist.js';

const RECORDS = 24_000;
const KEYS = 120;

/** One run in GET /jobs/:jobid/parallelism-history. */
interface Change {
  cause: string;
  parallelism: Record<string, number>;
  restoredCheckpointId: number | null;
  recordsReplayed: number | null;
  restartBackoffMs: number;
}

interface History {
  changes: Change[];
  numRestarts: number;
  numRescales: number;
}

/** A reactive application cluster running the keyed counter (exactly-once file sink) at 1500 records/s. */
async function startCounter(dist: TestDist, output: string): Promise<{ url: string; jobId: string }> {
  dist.addFixtureJob('keyed-counter');
  const started = await dist.run('standalone-job.sh', [
    'start',
    '-Dexecution.checkpointing.dir=file://' + join(dist.dir, 'checkpoints'),
    '-j',
    'org.tsflink.fixtures.KeyedCounter',
    '--records',
    String(RECORDS),
    '--keys',
    String(KEYS),
    '--rate',
    '1500',
    '--output',
    output,
  ]);
  assert.equal(started.exitCode, 0, started.stderr);
  const url = restUrlFrom(started.stdout);
  const jobId = (await getJson<{ jobs: Array<{ id: string }> }>(url, '/jobs')).jobs[0]!.id;
  return { url, jobId };
}

/** Waits for the run that `count` changes in: settled at parallelism `parallelism` with a checkpoint done after it. */
async function runAt(dist: TestDist, url: string, jobId: string, count: number, parallelism: number): Promise<History> {
  return waitFor(
    `run ${count} at parallelism ${parallelism} with a completed checkpoint`,
    async () => {
      const history = await getJson<History>(url, `/jobs/${jobId}/parallelism-history`);
      const last = history.changes.at(-1);
      if (history.changes.length !== count || last === undefined) return undefined;
      if (!Object.values(last.parallelism).every((p) => p === parallelism)) return undefined;
      const completed = dist.log('standalonejob', 0).match(/Completed checkpoint \d+ for job/g) ?? [];
      return completed.length >= count ? history : undefined;
    },
    30_000,
  );
}

/** Scales the job 1 → 2 with new TaskManagers, then 2 → 1 with taskmanager.sh stop: the scale-up's run and the history after the stop. */
async function upAndDown(dist: TestDist, url: string, jobId: string): Promise<{ up: Change; down: History }> {
  assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
  await runAt(dist, url, jobId, 1, 1);
  assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
  const up = (await runAt(dist, url, jobId, 2, 2)).changes.at(-1)!;
  const stopped = await dist.run('taskmanager.sh', ['stop']);
  assert.equal(stopped.exitCode, 0, stopped.stderr);
  return { up, down: await runAt(dist, url, jobId, 3, 1) };
}

/** The job ends by itself; then every (key, count) line must be committed exactly once. */
async function checkOutput(dist: TestDist, output: string): Promise<void> {
  const pid = dist.pids('standalonejob')[0]!;
  assert.ok(await waitForProcessExit(pid, 60_000), 'the application cluster ends with its job');
  const lines = committedLines(output);
  const { missing, duplicated } = checkKeyedCounts(lines, KEYS, RECORDS / KEYS);
  assert.deepEqual(duplicated.slice(0, 10), [], 'no (key,count) line is committed twice');
  assert.deepEqual(missing.slice(0, 10), [], 'every (key,count) line is committed');
  assert.equal(lines.length, RECORDS);
}

const CONFIG = {
  'scheduler-mode': 'reactive',
  'execution.checkpointing.interval': '1 s',
  'heartbeat.interval': '500 ms',
  'heartbeat.timeout': '5 s',
};

describe('rescales without replay', () => {
  const dist = TestDist.create({ config: CONFIG });
  after(() => dist.destroy());

  it('scales up from a fresh checkpoint and down through a graceful stop, replaying nothing', async (t) => {
    const output = join(dist.dir, 'counts');
    const { url, jobId } = await startCounter(dist, output);
    const { up, down } = await upAndDown(dist, url, jobId);
    t.diagnostic(`scale-up: ${JSON.stringify(up)}`);
    assert.equal(up.cause, 'taskmanager-joined');
    assert.notEqual(up.restoredCheckpointId, null);
    assert.equal(up.recordsReplayed, 0, 'the scale-up restored a checkpoint taken for it, with the sources halted after it');
    assert.equal(up.restartBackoffMs, 0);
    assert.match(dist.log('standalonejob', 0), /Checkpoint \d+ is complete; rescaling \(scale-up\) from it/);

    const change = down.changes.at(-1)!;
    t.diagnostic(`scale-down: ${JSON.stringify(change)}`);
    assert.equal(change.cause, 'taskmanager-stopped');
    assert.equal(change.recordsReplayed, 0, 'the graceful scale-down replayed nothing');
    assert.equal(change.restartBackoffMs, 0, 'no restart back-off before the run');
    assert.equal(down.numRescales, 2);
    assert.equal(down.numRestarts - down.numRescales, 0, 'no restart the restart strategy counted');
    const exceptions = await getJson<{ exceptionHistory: { entries: unknown[] } }>(url, `/jobs/${jobId}/exceptions`);
    assert.deepEqual(exceptions.exceptionHistory.entries, [], 'nothing failed');
    assert.match(dist.log('standalonejob', 0), /Checkpoint \d+ is complete; rescaling \(leave\) from it/);
    assert.match(dist.log('taskexecutor', 1), /The JobManager released this TaskManager/);

    await checkOutput(dist, output);
  });
});

describe('rescales the Flink 1.x way, for comparison', () => {
  const dist = TestDist.create({
    config: {
      ...CONFIG,
      'jobmanager.adaptive-scheduler.rescale-trigger.fresh-checkpoint.enabled': 'false',
      'taskmanager.graceful-stop.timeout': '0 ms',
    },
  });
  after(() => dist.destroy());

  it('replays what came after the latest checkpoint and waits out the back-off on a stop', async (t) => {
    const output = join(dist.dir, 'counts');
    const { url, jobId } = await startCounter(dist, output);
    const { up, down } = await upAndDown(dist, url, jobId);
    const change = down.changes.at(-1)!;
    t.diagnostic(`scale-up: ${JSON.stringify(up)}; scale-down: ${JSON.stringify(change)}`);
    assert.ok((up.recordsReplayed ?? 0) > 0, 'the scale-up replayed what the sources emitted after the checkpoint');
    assert.ok((change.recordsReplayed ?? 0) > 0, 'so did the stop');
    // Flink's default strategy with checkpointing: exponential delay from 1 s, with up to 10 % jitter.
    assert.ok(
      change.restartBackoffMs >= 900,
      `the stop failed the tasks and waited out the default back-off (${change.restartBackoffMs} ms)`,
    );
    assert.equal(down.numRestarts - down.numRescales, 1, 'one restart the restart strategy counted');
    await checkOutput(dist, output);
  });
});

describe('a graceful stop that cannot move the job', () => {
  const dist = TestDist.create({
    config: {
      'scheduler-mode': 'reactive',
      'pipeline.max-parallelism': 2,
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': 10,
      'restart-strategy.fixed-delay.delay': '200 ms',
      'heartbeat.interval': '500 ms',
      'heartbeat.timeout': '5 s',
    },
  });
  after(() => dist.destroy());

  it('one without tasks stops at once; without checkpointing the stop takes the old path, saying why', async () => {
    dist.addFixtureJob('wall-clock-sink');
    const started = await dist.run('standalone-job.sh', ['start', '--rate', '200']);
    assert.equal(started.exitCode, 0, started.stderr);
    const url = restUrlFrom(started.stdout);
    const jobId = (await getJson<{ jobs: Array<{ id: string }> }>(url, '/jobs')).jobs[0]!.id;
    const history = (): Promise<History> => getJson<History>(url, `/jobs/${jobId}/parallelism-history`);
    const at = (h: History, parallelism: number): boolean =>
      Object.values(h.changes.at(-1)?.parallelism ?? {}).every((p) => p === parallelism) && h.changes.length > 0;
    for (let i = 0; i < 3; i++) assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    await waitFor(
      'the job at its max parallelism 2',
      async () => ((await history()).changes.length >= 2 && at(await history(), 2) ? true : undefined),
      30_000,
    );
    await waitFor(
      'three registered TaskManagers',
      async () => ((await getJson<{ taskmanagers: unknown[] }>(url, '/taskmanagers')).taskmanagers.length === 3 ? true : undefined),
      30_000,
    );

    // The newest TaskManager holds no task of the job (max parallelism 2): it leaves without waiting.
    assert.equal((await dist.run('taskmanager.sh', ['stop'])).exitCode, 0);
    assert.match(dist.log('taskexecutor', 2), /Stopping TaskExecutor/);
    assert.doesNotMatch(dist.log('taskexecutor', 2), /Announcing the stop/, 'a TaskManager without tasks does not wait');

    assert.equal((await dist.run('taskmanager.sh', ['stop'])).exitCode, 0);
    assert.match(dist.log('taskexecutor', 1), /Stopping without the jobs moving off first \(checkpointing is disabled/);
    assert.match(dist.log('standalonejob', 0), /leaves without its jobs moving first: checkpointing is disabled/);
    const after = await waitFor(
      'the restart at parallelism 1',
      async () => {
        const h = await history();
        return h.changes.length >= 3 && at(h, 1) ? h : undefined;
      },
      30_000,
    );
    assert.equal(after.changes.at(-1)!.restartBackoffMs, 200, "the old path: a failure, with the strategy's back-off");
  });
});
