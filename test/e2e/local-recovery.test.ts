import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkKeyedCounts, committedLines } from '../helpers/committed-output.js';
import { finishedOrGone, getJson, restUrlFrom, runningAt, TestDist, waitFor, type JobDetails } from '../helpers/test-dist.js';

const RECORDS = 24_000;
const KEYS = 3_000;
const LOCAL = ['restoredStateBytesLocal', 'restoredStateBytesFromStorage'] as const;

/** Per subtask of a vertex, the bytes its current attempt restored from the local copy and from storage. */
async function restoredBytes(url: string, jobId: string, vertexId: string, parallelism: number): Promise<Array<[number, number]>> {
  const bySubtask: Array<[number, number]> = [];
  for (let subtask = 0; subtask < parallelism; subtask++) {
    const values = await getJson<Array<{ id: string; value: string }>>(
      url,
      `/jobs/${jobId}/vertices/${vertexId}/subtasks/${subtask}/metrics?get=${LOCAL.join(',')}`,
    );
    const read = (name: string): number => Number(values.find((m) => m.id === name)?.value ?? NaN);
    bySubtask.push([read(LOCAL[0]), read(LOCAL[1])]);
  }
  return bySubtask;
}

describe('task-local recovery', () => {
  const dist = TestDist.create({
    config: {
      'scheduler-mode': 'reactive',
      'heartbeat.interval': '200 ms',
      'heartbeat.timeout': '2 s',
      'execution.checkpointing.interval': '3 s',
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': 100,
      'restart-strategy.fixed-delay.delay': '100 ms',
      'execution.state-recovery.from-local': true,
      // The counter's few kilobytes of state would otherwise travel inline, with no file to copy.
      'execution.checkpointing.data-inline-threshold': 0,
    },
  });
  after(() => dist.destroy());
  const localRoot = join(dist.dir, 'local-state');

  /** The local copies every TaskManager holds, as paths under the configured root. */
  function localCopies(): string[] {
    return readdirSync(localRoot, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  }

  it('a rescale from 2 to 3 reads only the moved key groups from storage; a damaged copy is not used; counts stay exactly once', async () => {
    dist.addFixtureJob('keyed-counter');
    const output = join(dist.dir, 'counts');
    dist.writeConfig({
      'execution.checkpointing.dir': `file://${join(dist.dir, 'checkpoints')}`,
      'taskmanager.state.local.root-dirs': localRoot,
    });
    const started = await dist.run('standalone-job.sh', [
      'start',
      '-j',
      'org.tsflink.fixtures.KeyedCounter',
      ...['--records', String(RECORDS), '--keys', String(KEYS), '--rate', '800', '--output', output],
    ]);
    assert.equal(started.exitCode, 0, started.stderr);
    const url = restUrlFrom(started.stdout);
    for (let i = 0; i < 2; i++) assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    const jobId = await waitFor('the job', async () => (await getJson<{ jobs: Array<{ id: string }> }>(url, '/jobs')).jobs[0]?.id);
    const job: JobDetails = await runningAt(url, jobId, 2);
    const counter = job.vertices.find((v) => v.name.startsWith('count-per-key'))!;
    // Every key has state before the rescale, and the TaskManagers hold copies of a completed checkpoint.
    await waitFor(
      'a checkpoint after every key was seen',
      async () => {
        const stats = await getJson<{ latest: { completed: { id: number } | null } }>(url, `/jobs/${jobId}/checkpoints`);
        const records = await getJson<Array<{ id: string; sum: number }>>(
          url,
          `/jobs/${jobId}/vertices/${counter.id}/subtasks/metrics?get=numRecordsIn&agg=sum`,
        );
        return (stats.latest.completed?.id ?? 0) >= 2 && (records[0]?.sum ?? 0) > KEYS && localCopies().length >= 2 ? true : undefined;
      },
      60_000,
    );

    assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    await runningAt(url, jobId, 3, 60_000);
    const up = await waitFor('the restored subtasks to report where their state came from', async () => {
      const bytes = await restoredBytes(url, jobId, counter.id, 3);
      return bytes.every(([local, storage]) => local + storage > 0) ? bytes : undefined;
    });
    const local = up.reduce((sum, [l]) => sum + l, 0);
    const storage = up.reduce((sum, [, s]) => sum + s, 0);
    // New ranges 0–42, 43–85, 86–127 against old 0–63 and 64–127: 43 of 128 key groups move.
    const moved = storage / (local + storage);
    assert.ok(
      moved > 0.2 && moved < 0.5,
      `read ${storage} of ${local + storage} bytes from storage (${(moved * 100).toFixed(0)} %): ${JSON.stringify(up)}`,
    );
    assert.equal(up.filter(([l]) => l > 0).length, 2, `the two TaskManagers that stayed read their copies: ${JSON.stringify(up)}`);
    assert.equal(up.filter(([l, s]) => l === 0 && s > 0).length, 1, 'the new TaskManager read storage only');

    // Damage every copy of one surviving TaskManager, then take another one away: its copies are refused.
    const before = dist.log('standalonejob', 0).length;
    await waitFor(
      'a checkpoint at parallelism 3',
      () => (/Completed checkpoint \d+/.test(dist.log('standalonejob', 0).slice(before)) ? true : undefined),
      30_000,
    );
    const [first, , third] = dist.pids('taskexecutor');
    // A TaskManager's directory is tm_<its resource id>, which carries its pid: damage the first one's, kill the third.
    const damaged = localCopies().filter((path) => path.includes(`_${first}_`));
    assert.ok(damaged.length > 0, `copies of TaskManager ${first}: ${localCopies().join(', ')}`);
    for (const path of damaged) {
      const bytes = readFileSync(path);
      for (let i = 0; i < bytes.length; i += 7) bytes[i] = bytes[i]! ^ 0x5a;
      writeFileSync(path, bytes);
    }
    process.kill(third!, 'SIGKILL');
    await runningAt(url, jobId, 2, 60_000);
    await waitFor('the first TaskManager to refuse its damaged copy', () =>
      /Not using the local state copy: .* is corrupt: checksum mismatch/.test(dist.log('taskexecutor', 0)) ? true : undefined,
    );

    await finishedOrGone(url, jobId);
    const lines = committedLines(output);
    const { missing, duplicated } = checkKeyedCounts(lines, KEYS, RECORDS / KEYS);
    assert.deepEqual({ missing: missing.slice(0, 5), duplicated: duplicated.slice(0, 5) }, { missing: [], duplicated: [] });
    assert.equal(lines.length, RECORDS);
  });
});
