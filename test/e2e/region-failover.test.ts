import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkEachOnce, committedLines } from '../helpers/committed-output.js';
import { getJson, restUrlFrom, TestDist, waitFor } from '../helpers/test-dist.js';

/** Two subtasks at 800 records/s each run for 7.5 s: the failure comes after 2.5 s, with time to spare. */
const RECORDS = 12_000;

/** The parts of GET /jobs/:id/vertices/:vid this test reads. */
interface VertexDetails {
  subtasks: Array<{ subtask: number; status: string; attempt: number }>;
}

/** The parts of GET /jobs/:id this test reads. */
interface JobState {
  state: string;
  vertices: Array<{ id: string; parallelism: number }>;
}

/** The parts of GET /jobs/:id/parallelism-history this test reads. */
interface History {
  changes: unknown[];
  numRestarts: number;
  numRescales: number;
}

describe('region failover under the Adaptive Scheduler', () => {
  const dist = TestDist.create({
    config: {
      'jobmanager.scheduler': 'adaptive',
      'jobmanager.execution.failover-strategy': 'region',
      'parallelism.default': 2,
      'taskmanager.numberOfTaskSlots': 2,
      'heartbeat.interval': '200 ms',
      'heartbeat.timeout': '2 s',
      'execution.checkpointing.interval': '300 ms',
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': 3,
      'restart-strategy.fixed-delay.delay': '200 ms',
    },
  });
  after(() => dist.destroy());

  it('restarts only the failed pipeline, keeps the job RUNNING, and commits every record once', async () => {
    dist.addFixtureJob('fail-once-pipelines');
    const output = join(dist.dir, 'numbers');
    const started = await dist.run('standalone-job.sh', [
      'start',
      `-Dexecution.checkpointing.dir=file://${join(dist.dir, 'checkpoints')}`,
      '-j',
      'org.tsflink.fixtures.FailOncePipelines',
      '--records',
      String(RECORDS),
      '--rate',
      '800',
      '--fail-subtask',
      '1',
      '--fail-after',
      '2000',
      '--output',
      output,
    ]);
    assert.equal(started.exitCode, 0, started.stderr);
    const url = restUrlFrom(started.stdout);
    const jobId = /job \S+ \(([0-9a-f]{32})\)/.exec(started.stdout)![1]!;
    assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);

    // Every job status REST reports from the first RUNNING on, while the region fails and restarts,
    // and every status of subtask 0 (the other region) from its first RUNNING on.
    const statuses = new Set<string>();
    const otherRegion = new Set<string>();
    const recoveredAttempts = await waitFor(
      'subtask 1 to run again in a new attempt',
      async () => {
        const job = await getJson<JobState>(url, `/jobs/${jobId}`);
        if (job.state === 'RUNNING' || statuses.size > 0) statuses.add(job.state);
        const vertex = job.vertices[0];
        if (vertex === undefined) return undefined;
        const { subtasks } = await getJson<VertexDetails>(url, `/jobs/${jobId}/vertices/${vertex.id}`);
        if (subtasks[0]?.status === 'RUNNING' || otherRegion.size > 0) otherRegion.add(`${subtasks[0]?.status}#${subtasks[0]?.attempt}`);
        const settled = subtasks.length === 2 && subtasks[1]!.status === 'RUNNING' && subtasks[1]!.attempt > 0;
        return settled ? subtasks.map((s) => s.attempt) : undefined;
      },
      60_000,
    );
    assert.deepEqual(recoveredAttempts, [0, 1], 'the other region keeps its first attempt; the failed one runs its second');
    const history = await getJson<History>(url, `/jobs/${jobId}/parallelism-history`);
    assert.equal(history.numRestarts, 1, 'a region restart counts as a restart, as in Flink');
    assert.equal(history.numRescales, 0);
    assert.equal(history.changes.length, 1, 'no new run of the whole job was started');
    assert.deepEqual([...statuses], ['RUNNING']);
    assert.deepEqual([...otherRegion], ['RUNNING#0'], 'the other region ran on undisturbed');

    const log = await waitFor(
      'the job to finish',
      () => {
        const text = dist.log('standalonejob', 0);
        return /switched from state RUNNING to FINISHED/.test(text) ? text : undefined;
      },
      60_000,
    );
    const transitions = [...log.matchAll(/switched from state (\w+) to (\w+)\./g)].map((m) => `${m[1]}->${m[2]}`);
    assert.ok(!transitions.includes('RUNNING->RESTARTING'), `the job never restarted as a whole: ${transitions.join(', ')}`);
    assert.equal(transitions.filter((t) => t.endsWith('->RUNNING')).length, 1, 'the job entered RUNNING once');
    assert.match(log, /failing on purpose after 2000 records/);
    // A chained pipeline is one task per subtask index: the region is that one task, restored from a checkpoint.
    const restart = log.search(/Restarting the 1 task\(s\) of the pipelined region of .*\(2\/2\)#0 in 200 ms; the other 1 keep running/);
    assert.ok(restart >= 0, 'the region restart is logged');
    assert.match(log.slice(restart), /Restoring job \w+ from checkpoint \d+/);

    const lines = committedLines(output);
    const { missing, duplicated } = checkEachOnce(
      lines,
      Array.from({ length: RECORDS }, (_, i) => String(i)),
    );
    assert.deepEqual(duplicated.slice(0, 10), [], 'no record is committed twice');
    assert.deepEqual(missing.slice(0, 10), [], 'every record is committed');
    assert.equal(lines.length, RECORDS);
  });
});
