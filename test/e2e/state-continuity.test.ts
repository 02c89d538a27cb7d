import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkKeyedCounts, committedLines } from '../helpers/committed-output.js';
import { TestDist, waitFor } from '../helpers/test-dist.js';

const RECORDS = 30_000;
const KEYS = 300;

describe('state continuity across rescales', () => {
  const dist = TestDist.create({
    config: {
      'heartbeat.interval': '200 ms',
      'heartbeat.timeout': '2 s',
      'scheduler-mode': 'reactive',
      'execution.checkpointing.interval': '300 ms',
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': 1000,
      'restart-strategy.fixed-delay.delay': '100 ms',
    },
  });
  after(() => dist.destroy());

  it('counts every record exactly once per key through scale-ups, a stop, a kill -9 and a restart', async () => {
    dist.addFixtureJob('keyed-counter');
    const output = join(dist.dir, 'counts');
    const job = dist.startForeground('standalone-job.sh', [
      '-Dexecution.checkpointing.dir=file://' + join(dist.dir, 'checkpoints'),
      '-j',
      'org.tsflink.fixtures.KeyedCounter',
      '--records',
      String(RECORDS),
      '--keys',
      String(KEYS),
      '--rate',
      '1200',
      '--output',
      output,
    ]);
    const startTaskManager = async (): Promise<void> => {
      const result = await dist.run('taskmanager.sh', ['start']);
      assert.equal(result.exitCode, 0, result.stderr);
    };
    // After each event, wait until the job runs at the parallelism it causes and a checkpoint has
    // completed in that run, so every event is a rescale that restores state someone else wrote.
    let seen = 0;
    const settledAt = async (parallelism: number): Promise<void> => {
      seen = await waitFor(
        `the job to run at parallelism ${parallelism} and complete a checkpoint`,
        () => {
          const log = dist.log('standalonejob', 0);
          const runs = [...log.slice(seen).matchAll(/subtasks of job \w+ are running \(([^)]*)\)/g)];
          const run = runs.find((m) => [...m[1]!.matchAll(/: (\d+)/g)].every((n) => Number(n[1]) === parallelism));
          if (run === undefined) return undefined;
          const after = seen + run.index + run[0].length;
          const completed = /Completed checkpoint \d+ for job/.exec(log.slice(after));
          return completed === null ? undefined : after + completed.index + completed[0].length;
        },
        // Generous: seen to take over 30 s once with several builds running beside the suite.
        90_000,
      );
    };
    await startTaskManager();
    await settledAt(1);
    await startTaskManager();
    await settledAt(2);
    await startTaskManager();
    await settledAt(3);
    assert.equal((await dist.run('taskmanager.sh', ['stop'])).exitCode, 0);
    await settledAt(2);
    const victim = dist.pids('taskexecutor').at(-1)!;
    process.kill(victim, 'SIGKILL');
    await settledAt(1);
    await startTaskManager();
    const result = await job;
    assert.equal(result.exitCode, 0, String(result.all).slice(-3000));
    const lines = committedLines(output);
    const { missing, duplicated } = checkKeyedCounts(lines, KEYS, RECORDS / KEYS);
    assert.deepEqual(duplicated.slice(0, 10), [], 'no (key,count) line is committed twice');
    assert.deepEqual(missing.slice(0, 10), [], 'every (key,count) line is committed');
    assert.equal(lines.length, RECORDS);
    const log = dist.log('standalonejob', 0);
    assert.ok((log.match(/switched from state RUNNING to RESTARTING/g) ?? []).length >= 5, 'the job rescaled at every event');
    assert.match(log, /Restoring job .* from checkpoint/);
  });
});
