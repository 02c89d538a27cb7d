import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { waitForProcessExit } from '../helpers/cluster-probes.js';
import { checkKeyedCounts, committedLines } from '../helpers/committed-output.js';
import { getJson, restUrlFrom, TestDist, waitFor } from '../helpers/test-dist.js';

const KEYS = 40;
const PER_KEY = 200;

/** The local directory of the `file:` savepoint path `bin/flink` printed. */
function savepointPath(output: string): string {
  const match = /^Savepoint completed\. Path: file:(\/\S+)$/m.exec(output);
  assert.ok(match !== null, `no savepoint path in:\n${output}`);
  return match[1]!;
}

describe('stop-with-savepoint and a restart from the savepoint at another parallelism', () => {
  const dist = TestDist.create({
    config: {
      'scheduler-mode': 'reactive',
      'execution.checkpointing.interval': '700 ms',
      'heartbeat.interval': '300 ms',
      'heartbeat.timeout': '3 s',
    },
  });
  after(() => dist.destroy());

  const output = join(dist.dir, 'counts');
  const jobArgs = [
    '-j',
    'org.tsflink.fixtures.KeyedCounter',
    '--records',
    String(KEYS * PER_KEY),
    '--keys',
    String(KEYS),
    '--rate',
    // Slow enough that the bounded job is still running when each stop comes (it ends by itself now).
    '400',
    '--output',
    output,
  ];

  /** Starts the job (from `savepoint` when given) and waits until it runs at `parallelism` with output committed. */
  async function startRun(savepoint: string | undefined, parallelism: number): Promise<{ url: string; jobId: string; pid: number }> {
    const restore = savepoint === undefined ? [] : ['--fromSavepoint', savepoint];
    const started = await dist.run('standalone-job.sh', ['start', ...restore, ...jobArgs]);
    assert.equal(started.exitCode, 0, started.stderr);
    const url = restUrlFrom(started.stdout);
    const jobId = await waitFor(
      'the job to be listed',
      async () => (await getJson<{ jobs: Array<{ id: string }> }>(url, '/jobs')).jobs[0]?.id,
      20_000,
    );
    const before = committedLines(output).length;
    await waitFor(
      `the job to run at parallelism ${parallelism} and commit output`,
      async () => {
        const job = await getJson<{ state: string; vertices: Array<{ parallelism: number }> }>(url, `/jobs/${jobId}`);
        const running = job.state === 'RUNNING' && job.vertices.every((v) => v.parallelism === parallelism);
        return running && committedLines(output).length > before ? true : undefined;
      },
      30_000,
    );
    return { url, jobId, pid: dist.pids('standalonejob').at(-1)! };
  }

  async function stopWithSavepoint(jobId: string, pid: number, target: string): Promise<string> {
    const stop = await dist.run('flink', ['stop', '--savepointPath', target, jobId]);
    assert.equal(stop.exitCode, 0, stop.stderr);
    const path = savepointPath(stop.stdout);
    assert.ok(existsSync(join(path, '_metadata')), `${path}/_metadata is missing`);
    assert.ok(await waitForProcessExit(pid, 20_000), 'the JobManager did not exit after stop-with-savepoint');
    return path;
  }

  it("keeps every key's count exactly once through 2 → 1 → 3 subtasks", async () => {
    dist.addFixtureJob('keyed-counter');
    mkdirSync(output);
    await dist.run('taskmanager.sh', ['start']);
    await dist.run('taskmanager.sh', ['start']);
    const first = await startRun(undefined, 2);
    const firstSavepoint = await stopWithSavepoint(first.jobId, first.pid, join(dist.dir, 'savepoints-1'));

    await dist.run('taskmanager.sh', ['stop']);
    const second = await startRun(firstSavepoint, 1);
    assert.match(dist.log('standalonejob', 1), new RegExp(`Restoring job \\w+ from savepoint \\d+ at file:${firstSavepoint}`));
    const secondSavepoint = await stopWithSavepoint(second.jobId, second.pid, join(dist.dir, 'savepoints-2'));

    await dist.run('taskmanager.sh', ['start']);
    await dist.run('taskmanager.sh', ['start']);
    const third = dist.startForeground('standalone-job.sh', ['--fromSavepoint', secondSavepoint, ...jobArgs]);
    const result = await third;
    assert.equal(result.exitCode, 0, String(result.all).slice(-3000));
    const runs = [...String(result.all).matchAll(/subtasks of job \w+ are running \(([^)]*)\)/g)].map((m) => m[1]!);
    assert.ok(
      runs.some((run) => [...run.matchAll(/: (\d+)/g)].every((m) => m[1] === '3')),
      `never ran at parallelism 3: ${runs.join(' | ')}`,
    );

    const lines = committedLines(output);
    const { missing, duplicated } = checkKeyedCounts(lines, KEYS, PER_KEY);
    assert.deepEqual({ missing: missing.slice(0, 5), duplicated: duplicated.slice(0, 5) }, { missing: [], duplicated: [] });
    assert.equal(lines.length, KEYS * PER_KEY);
  });
});

describe('stop-with-savepoint --drain', () => {
  const dist = TestDist.create({ config: { 'execution.checkpointing.interval': '500 ms', 'parallelism.default': 2 } });
  after(() => dist.destroy());

  const KEYS_DRAINED = 5;
  const RECORDS = 30_000;
  const output = join(dist.dir, 'window-counts');
  const jobArgs = (rate: number): string[] => [
    '-j',
    'org.tsflink.fixtures.WindowCounter',
    '--records',
    String(RECORDS),
    '--keys',
    String(KEYS_DRAINED),
    '--rate',
    String(rate),
    '--output',
    output,
  ];

  /** Per key, the counts of the committed (key,count) lines in order of appearance. */
  function countsByKey(): Map<number, number[]> {
    const byKey = new Map<number, number[]>();
    for (const line of committedLines(output)) {
      const [key, count] = line.slice(1, -1).split(',').map(Number) as [number, number];
      byKey.set(key, [...(byKey.get(key) ?? []), count]);
    }
    return byKey;
  }

  it('fires the open windows before the savepoint; a restart from it counts the rest exactly once', async () => {
    dist.addFixtureJob('window-counter');
    mkdirSync(output);
    await dist.run('taskmanager.sh', ['start']);
    await dist.run('taskmanager.sh', ['start']);
    const started = await dist.run('standalone-job.sh', ['start', ...jobArgs(300)]);
    assert.equal(started.exitCode, 0, started.stderr);
    const url = restUrlFrom(started.stdout);
    const jobId = await waitFor(
      'the job to be listed',
      async () => (await getJson<{ jobs: Array<{ id: string }> }>(url, '/jobs')).jobs[0]?.id,
      20_000,
    );
    await waitFor(
      'a completed checkpoint',
      async () =>
        (await getJson<{ counts: { completed: number } }>(url, `/jobs/${jobId}/checkpoints`)).counts.completed > 0 ? true : undefined,
      30_000,
    );
    // Every key must have records in its open window before the drain, or it would have nothing to fire.
    await waitFor(
      'every key to have records',
      async () => {
        const job = await getJson<{ vertices: Array<{ metrics: { 'write-records': number } }> }>(url, `/jobs/${jobId}`);
        return (job.vertices[0]?.metrics['write-records'] ?? 0) >= KEYS_DRAINED * 10 ? true : undefined;
      },
      30_000,
    );
    assert.equal(committedLines(output).length, 0, 'one-hour windows have not fired yet');

    const pid = dist.pids('standalonejob').at(-1)!;
    const stop = await dist.run('flink', ['stop', '--drain', '--savepointPath', join(dist.dir, 'savepoints'), jobId]);
    assert.equal(stop.exitCode, 0, stop.stderr);
    const savepoint = savepointPath(stop.stdout);
    assert.ok(await waitForProcessExit(pid, 20_000), 'the JobManager did not exit after stop-with-savepoint');
    assert.match(dist.log('standalonejob', 0), /switched from state RUNNING to FINISHED/);

    const drained = countsByKey();
    if (drained.size !== KEYS_DRAINED) {
      // Seen twice in full runs under load and never alone: keep what the processes said, to find out why.
      const said = [dist.log('standalonejob', 0), dist.log('taskexecutor', 0), dist.log('taskexecutor', 1)]
        .join('\n')
        .split('\n')
        .filter((line) => /checkpoint|savepoint|switched|commit|FINISHED|WARN|ERROR/i.test(line));
      assert.fail(
        `draining fired ${drained.size} of ${KEYS_DRAINED} keys' windows (${JSON.stringify([...drained])}):\n${said.slice(-60).join('\n')}`,
      );
    }
    const firstRun = [...drained.values()].reduce((sum, counts) => sum + counts[0]!, 0);
    assert.ok(firstRun > 0 && firstRun < RECORDS, `the first run counted ${firstRun} records`);

    const rest = await dist.startForeground('standalone-job.sh', ['--fromSavepoint', savepoint, ...jobArgs(1_000_000)]);
    assert.equal(rest.exitCode, 0, String(rest.all).slice(-3000));
    for (const [key, counts] of countsByKey()) {
      assert.equal(counts.length, 2, `key ${key}: one window firing per run (${counts.join(', ')})`);
      assert.equal(
        counts[0]! + counts[1]!,
        RECORDS / KEYS_DRAINED,
        `key ${key}: every record counted exactly once (${counts.join(' + ')})`,
      );
    }
  });
});

describe('--fromSavepoint with a path that holds no savepoint', () => {
  const dist = TestDist.create();
  after(() => dist.destroy());

  it("fails the start with Flink's message, not as a failure of the job's main", async () => {
    dist.addFixtureJob('keyed-counter');
    const missing = join(dist.dir, 'no-such-savepoint');
    const result = await dist.run('standalone-job.sh', ['start', '--fromSavepoint', missing, '-j', 'org.tsflink.fixtures.KeyedCounter']);
    assert.notEqual(result.exitCode, 0);
    assert.match(
      result.stderr,
      new RegExp(
        `Error starting standalonejob daemon: Cannot find checkpoint or savepoint file/directory '${missing}' on file system 'file'\\.`,
      ),
    );
    assert.doesNotMatch(result.stderr, /main failed|ENOENT/);

    const empty = join(dist.dir, 'empty-dir');
    mkdirSync(empty);
    const second = await dist.run('standalone-job.sh', ['start', '-s', empty, '-j', 'org.tsflink.fixtures.KeyedCounter']);
    assert.notEqual(second.exitCode, 0);
    assert.match(second.stderr, new RegExp(`Cannot find meta data file '_metadata' in directory '${empty}'`));
  });
});
