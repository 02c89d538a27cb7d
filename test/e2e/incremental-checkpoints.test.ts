import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { CheckpointingStatistics } from '../../src/rest/types/checkpoint-statistics.js';
import { checkEachOnce, committedLines } from '../helpers/committed-output.js';
import { filesUnder } from '../helpers/files-under.js';
import { finishedOrGone, getJson, restUrlFrom, runningAt, TestDist, waitFor } from '../helpers/test-dist.js';

const COLD = 20_000;
const HOT = 500;
const RECORDS = COLD + 60_000;
const BALLAST = 200;

/** What the job must commit: (k,1)..(k,n_k) for every key, each exactly once. */
function expectedLines(): string[] {
  const counts = new Map<number, number>();
  const lines: string[] = [];
  for (let i = 0; i < RECORDS; i++) {
    const key = i < COLD ? i : (i - COLD) % HOT;
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    lines.push(`(${key},${count})`);
  }
  return lines;
}

/** Whether the newest completed checkpoint under `jobDir` holds a key group made of a base and deltas. */
function latestHasDeltas(jobDir: string): boolean {
  const ids = readdirSync(jobDir)
    .filter((name) => /^chk-\d+$/.test(name) && existsSync(join(jobDir, name, '_metadata')))
    .map((name) => Number(name.slice(4)))
    .sort((a, b) => b - a);
  if (ids.length === 0) return false;
  const metadata = JSON.parse(readFileSync(join(jobDir, `chk-${ids[0]}`, '_metadata'), 'utf8')) as {
    operators: Array<{ subtaskStates: Array<{ keyGroups?: { deltas?: Array<unknown[] | null> } } | null> }>;
  };
  return metadata.operators.some((o) => o.subtaskStates.some((h) => h?.keyGroups?.deltas?.some((d) => d !== null && d.length > 0)));
}

describe('incremental checkpoints', () => {
  const dist = TestDist.create({
    config: {
      'scheduler-mode': 'reactive',
      'heartbeat.interval': '200 ms',
      'heartbeat.timeout': '2 s',
      'execution.checkpointing.interval': '1 s',
      'execution.checkpointing.incremental': true,
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': 100,
      'restart-strategy.fixed-delay.delay': '100 ms',
      'execution.state-recovery.from-local': true,
    },
  });
  after(() => dist.destroy());

  it('checkpoint only what changed, restore exactly after a rescale 2→3 and a TaskManager kill, and leave no files behind', async (t) => {
    dist.addFixtureJob('hot-keys-counter');
    const output = join(dist.dir, 'counts');
    const checkpoints = join(dist.dir, 'checkpoints');
    dist.writeConfig({
      'execution.checkpointing.dir': `file://${checkpoints}`,
      'taskmanager.state.local.root-dirs': join(dist.dir, 'local-state'),
    });
    const started = await dist.run('standalone-job.sh', [
      'start',
      '-j',
      'org.tsflink.fixtures.HotKeysCounter',
      ...['--records', String(RECORDS), '--cold', String(COLD), '--hot', String(HOT), '--ballast', String(BALLAST)],
      ...['--rate', '2500', '--output', output],
    ]);
    assert.equal(started.exitCode, 0, started.stderr);
    const url = restUrlFrom(started.stdout);
    for (let i = 0; i < 2; i++) assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    const jobId = await waitFor('the job', async () => (await getJson<{ jobs: Array<{ id: string }> }>(url, '/jobs')).jobs[0]?.id);
    await runningAt(url, jobId, 2);

    // Once every cold key holds its ballast, a checkpoint writes the hot keys' changes and references the rest.
    const small = await waitFor(
      'an incremental checkpoint much smaller than the state',
      async () => {
        const stats = await getJson<CheckpointingStatistics>(url, `/jobs/${jobId}/checkpoints`);
        return stats.history.find(
          (c) => c.status === 'COMPLETED' && c.state_size > COLD * BALLAST && c.checkpointed_size * 20 < c.state_size,
        );
      },
      60_000,
    );
    assert.ok(small.checkpointed_size > 0, JSON.stringify(small));
    t.diagnostic(`checkpoint ${small.id}: checkpointed_size ${small.checkpointed_size} of state_size ${small.state_size}`);

    const beforeRescale = (await getJson<CheckpointingStatistics>(url, `/jobs/${jobId}/checkpoints`)).latest.completed?.id ?? 0;
    assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    await runningAt(url, jobId, 3, 60_000);
    const restoredFrom = Number([...dist.log('standalonejob', 0).matchAll(/Restoring job \w+ from checkpoint (\d+)/g)].at(-1)?.[1]);
    assert.ok(restoredFrom >= beforeRescale, `the rescale restored checkpoint ${restoredFrom}`);
    // The first checkpoint after the restore already builds on the restored chains: the cold keys' groups are referenced, not rewritten.
    const firstAfter = await waitFor(
      'the first checkpoint after the rescale',
      async () => {
        const stats = await getJson<CheckpointingStatistics>(url, `/jobs/${jobId}/checkpoints`);
        return stats.history.filter((c) => c.status === 'COMPLETED' && c.id > restoredFrom).sort((a, b) => a.id - b.id)[0];
      },
      30_000,
    );
    t.diagnostic(
      `first checkpoint after the restore, ${firstAfter.id}: checkpointed_size ${firstAfter.checkpointed_size} of state_size ${firstAfter.state_size}`,
    );
    assert.ok(firstAfter.state_size > COLD * BALLAST, JSON.stringify(firstAfter));
    assert.ok(firstAfter.checkpointed_size * 5 < firstAfter.state_size, `not a full rewrite: ${JSON.stringify(firstAfter)}`);
    // The restore after the kill applies deltas on top of their bases.
    await waitFor('a retained checkpoint with deltas', () => (latestHasDeltas(join(checkpoints, jobId)) ? true : undefined), 30_000);
    const [, , third] = dist.pids('taskexecutor');
    process.kill(third!, 'SIGKILL');
    await runningAt(url, jobId, 2, 60_000);

    await finishedOrGone(url, jobId);
    const lines = committedLines(output);
    const { missing, duplicated } = checkEachOnce(lines, expectedLines());
    assert.deepEqual({ missing: missing.slice(0, 5), duplicated: duplicated.slice(0, 5) }, { missing: [], duplicated: [] });
    assert.equal(lines.length, RECORDS);

    // A finished job keeps no checkpoint: no base, delta or aborted snapshot is left behind.
    const left = await waitFor(
      'the checkpoint files to be cleaned up',
      () => {
        const files = filesUnder(join(checkpoints, jobId));
        return files.length === 0 ? files : undefined;
      },
      30_000,
    ).catch(() => filesUnder(join(checkpoints, jobId)));
    assert.deepEqual(left, []);
  });
});
