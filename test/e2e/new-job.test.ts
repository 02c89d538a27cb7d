import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { execa } from 'execa';
import { checkKeyedCounts, committedLines } from '../helpers/committed-output.js';
import { FLINK_HOME, TestDist, waitFor } from '../helpers/test-dist.js';

const RECORDS = 600;
const KEYS = 3;

describe('npm run new-job', () => {
  const dist = TestDist.create({
    config: {
      'heartbeat.interval': '200 ms',
      'heartbeat.timeout': '2 s',
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': 100,
      'restart-strategy.fixed-delay.delay': '100 ms',
    },
  });
  after(() => dist.destroy());

  it('writes a job that runs unchanged in Reactive Mode, rescales from 1 to 2 and commits every count exactly once', async () => {
    const scaffold = await execa('npm', ['run', '--silent', 'new-job', '--', 'MyJob', '--dir', dist.libDir], {
      cwd: FLINK_HOME,
      reject: false,
    });
    assert.equal(scaffold.exitCode, 0, String(scaffold.stderr));
    assert.ok(existsSync(join(dist.libDir, 'MyJob.mjs')));

    const output = join(dist.dir, 'counts');
    // The commands the scaffold prints, with a short checkpoint interval and a bounded run.
    const job = dist.startForeground('standalone-job.sh', [
      '-Dscheduler-mode=reactive',
      '-Dexecution.checkpointing.interval=300ms',
      '-j',
      'MyJob',
      '--records',
      String(RECORDS),
      '--keys',
      String(KEYS),
      '--rate',
      '40',
      '--output',
      output,
    ]);
    const startTaskManager = async (): Promise<void> => {
      const result = await dist.run('taskmanager.sh', ['start']);
      assert.equal(result.exitCode, 0, result.stderr);
    };
    // Waits until the job runs at `parallelism` and then completes a checkpoint, so the rescale
    // that follows restores state the previous run wrote.
    let seen = 0;
    const settledAt = async (parallelism: number): Promise<void> => {
      seen = await waitFor(
        `the job to run at parallelism ${parallelism} and complete a checkpoint`,
        () => {
          const log = dist.log('standalonejob', 0);
          const runs = [...log.slice(seen).matchAll(/subtasks of job \w+ are running \(([^)]*)\)/g)];
          const run = runs.find((m) => [...m[1]!.matchAll(/: (\d+)/g)].every((n) => Number(n[1]) === parallelism));
          if (run === undefined) return undefined;
          const end = seen + run.index + run[0].length;
          const completed = /Completed checkpoint \d+ for job/.exec(log.slice(end));
          return completed === null ? undefined : end + completed.index + completed[0].length;
        },
        30_000,
      );
    };
    await startTaskManager();
    await settledAt(1);
    await startTaskManager();
    await settledAt(2);
    const result = await job;
    assert.equal(result.exitCode, 0, String(result.all).slice(-3000));
    const lines = committedLines(output);
    const { missing, duplicated } = checkKeyedCounts(lines, KEYS, RECORDS / KEYS);
    assert.deepEqual(duplicated.slice(0, 10), [], 'no (key,count) line is committed twice');
    assert.deepEqual(missing.slice(0, 10), [], 'every (key,count) line is committed');
    assert.equal(lines.length, RECORDS);
  });
});
