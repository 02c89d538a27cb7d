import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkKeyedCounts, committedLines } from '../helpers/committed-output.js';
import { filesUnder } from '../helpers/files-under.js';
import { finishedOrGone, getJson, restUrlFrom, runningAt, TestDist, waitFor } from '../helpers/test-dist.js';

const RECORDS = 36_000;
const KEYS = 3_000;
/** Characters of padding per key: about 2 MB of state per subtask at parallelism 2, above the 1 MB spares start at. */
const PAD = 1_500;

/**
 * Snapshot files of completed checkpoints that are older than their checkpoint's directory: a new
 * file is created after the JobManager made the directory, so only a spare a subtask took over (a
 * rename keeps the file's birth time) can be older.
 */
function recycledFiles(jobDir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(jobDir).filter((entry) => /^chk-\d+$/.test(entry))) {
    const directory = join(jobDir, name);
    try {
      if (!existsSync(join(directory, '_metadata'))) continue;
      const created = statSync(directory).birthtimeMs;
      for (const file of readdirSync(directory)) {
        if (file !== '_metadata' && statSync(join(directory, file)).birthtimeMs < created) found.push(join(name, file));
      }
    } catch {
      // Subsumed while being looked at.
    }
  }
  return found;
}

describe('recycled snapshot files', () => {
  const dist = TestDist.create({
    config: {
      'scheduler-mode': 'reactive',
      'heartbeat.interval': '200 ms',
      'heartbeat.timeout': '2 s',
      'execution.checkpointing.interval': '500 ms',
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': 100,
      'restart-strategy.fixed-delay.delay': '100 ms',
    },
  });
  after(() => dist.destroy());

  it('overwrites the files of subsumed checkpoints, restores from them exactly once, and leaves nothing when the job ends', async () => {
    dist.addFixtureJob('keyed-counter');
    const output = join(dist.dir, 'counts');
    const checkpoints = join(dist.dir, 'checkpoints');
    dist.writeConfig({ 'execution.checkpointing.dir': `file://${checkpoints}` });
    const started = await dist.run('standalone-job.sh', [
      'start',
      '-j',
      'org.tsflink.fixtures.KeyedCounter',
      ...['--records', String(RECORDS), '--keys', String(KEYS), '--pad', String(PAD), '--rate', '2000', '--output', output],
    ]);
    assert.equal(started.exitCode, 0, started.stderr);
    const url = restUrlFrom(started.stdout);
    for (let i = 0; i < 2; i++) assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    const jobId = await waitFor('the job', async () => (await getJson<{ jobs: Array<{ id: string }> }>(url, '/jobs')).jobs[0]?.id);
    await runningAt(url, jobId, 2);
    const jobDir = join(checkpoints, jobId);

    const recycled = await waitFor(
      'a completed checkpoint written over spare files',
      () => {
        const files = existsSync(jobDir) ? recycledFiles(jobDir) : [];
        return files.length > 0 ? files : undefined;
      },
      60_000,
    );
    assert.ok(
      recycled.every((file) => !file.includes('spare')),
      `checkpoint files, not spares: ${recycled.join(', ')}`,
    );

    // A restore now reads the latest checkpoint, whose files were spares: what lay past each snapshot was cut off.
    const [, second] = dist.pids('taskexecutor');
    process.kill(second!, 'SIGKILL');
    await runningAt(url, jobId, 1, 60_000);

    await finishedOrGone(url, jobId);
    const lines = committedLines(output);
    const { missing, duplicated } = checkKeyedCounts(lines, KEYS, RECORDS / KEYS);
    assert.deepEqual({ missing: missing.slice(0, 5), duplicated: duplicated.slice(0, 5) }, { missing: [], duplicated: [] });
    assert.equal(lines.length, RECORDS);

    // A finished job keeps no checkpoint, and no spare waits for a checkpoint that will never come.
    const left = await waitFor(
      'the checkpoint files and spares to be cleaned up',
      () => {
        const files = filesUnder(jobDir);
        return files.length === 0 ? files : undefined;
      },
      30_000,
    ).catch(() => filesUnder(jobDir));
    assert.deepEqual(left, []);
  });
});
