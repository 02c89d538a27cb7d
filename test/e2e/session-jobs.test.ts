import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkKeyedCounts, committedLines } from '../helpers/committed-output.js';
import { submitKeyedCounter, type SubmittedCounter } from '../helpers/keyed-counter-submit.js';
import { getJson, restUrlFrom, TestDist, waitFor } from '../helpers/test-dist.js';

const KEYS = 20;

interface JobState {
  state: string;
  vertices: Array<{ status: string }>;
}

describe('several jobs side by side on a session cluster (default scheduler)', () => {
  const dist = TestDist.create({ config: { 'taskmanager.numberOfTaskSlots': 2, 'execution.checkpointing.interval': '500 ms' } });
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

  const submit = (name: string, records: number, rate: number): Promise<SubmittedCounter> =>
    submitKeyedCounter(dist, name, KEYS, records, rate);

  const state = async (jobId: string): Promise<string> => (await getJson<JobState>(url, `/jobs/${jobId}`)).state;
  const allRunning = async (jobId: string): Promise<boolean> => {
    const job = await getJson<JobState>(url, `/jobs/${jobId}`);
    return job.state === 'RUNNING' && job.vertices.every((v) => v.status === 'RUNNING');
  };

  it('each job holds its own slots; a third waits for slots and takes those a finished job gives back; counts exactly once', async () => {
    // Slow enough to outlast the test's steps; the third job is short.
    const first = await submit('first', 1_000_000, 500);
    const second = await submit('second', 4_000, 1_000);
    await waitFor('both jobs to run', async () => ((await allRunning(first.jobId)) && (await allRunning(second.jobId)) ? true : undefined));
    const taskManagers = await getJson<{ taskmanagers: Array<{ id: string }> }>(url, '/taskmanagers');
    const holders = await Promise.all(
      taskManagers.taskmanagers.map(
        async (tm) => (await getJson<{ allocatedSlots: Array<{ jobId: string }> }>(url, `/taskmanagers/${tm.id}`)).allocatedSlots,
      ),
    );
    const slotsOf = (jobId: string): number => holders.flat().filter((slot) => slot.jobId === jobId).length;
    assert.deepEqual([slotsOf(first.jobId), slotsOf(second.jobId)], [2, 2]);

    const third = await submit('third', 4_000, 2_000);
    await waitFor('the second job to finish', async () => ((await state(second.jobId)) === 'FINISHED' ? true : undefined), 60_000);
    await waitFor(
      'the third job to take the freed slots and finish',
      async () => ((await state(third.jobId)) === 'FINISHED' ? true : undefined),
      60_000,
    );
    assert.equal(await state(first.jobId), 'RUNNING', 'the long job ran on untouched');
    assert.equal((await dist.run('flink', ['cancel', first.jobId])).exitCode, 0);
    await waitFor('the first job to be canceled', async () => ((await state(first.jobId)) === 'CANCELED' ? true : undefined));

    for (const job of [second, third]) {
      const lines = committedLines(job.output);
      const { missing, duplicated } = checkKeyedCounts(lines, KEYS, 4_000 / KEYS);
      assert.deepEqual({ missing: missing.slice(0, 5), duplicated: duplicated.slice(0, 5) }, { missing: [], duplicated: [] });
      assert.equal(lines.length, 4_000);
    }
    const overview = await getJson<Record<string, number>>(url, '/overview');
    assert.equal(overview['slots-available'], 4, 'every slot is free again');
  });
});
