import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { getJson, restUrlFrom, TestDist, waitFor } from '../helpers/test-dist.js';

interface Change {
  timestamp: number;
  cause: string;
  downtimeMs: number;
  downtimeStart: number;
  downtimeBasis: string;
}

interface JobDetails {
  state: string;
  vertices: Array<{ parallelism: number; status: string }>;
}

/** One record at the sink: the subtask that printed it (print()'s `N> ` prefix, absent at parallelism 1) and when. */
interface SinkRecord {
  readonly subtask: string;
  readonly time: number;
}

/** Every record the sink printed (`[N> ]t=<ms>`), over every TaskManager, by time. */
function sinkRecords(dist: TestDist): SinkRecord[] {
  return dist
    .taskManagerStdout()
    .map((line) => /^(?:(\d+)> )?t=(\d+)$/.exec(line.trim()))
    .filter((match) => match !== null)
    .map((match) => ({ subtask: match[1] ?? '', time: Number(match[2]) }))
    .sort((a, b) => a.time - b.time);
}

function sinkTimes(dist: TestDist): number[] {
  return sinkRecords(dist).map((record) => record.time);
}

/**
 * The outage as the sink saw it across the rescale from 1 to 2: from its last record at parallelism
 * 1 (no prefix) until every subtask at parallelism 2 had printed a record.
 */
function sinkOutage(records: readonly SinkRecord[]): { start: number; ms: number } {
  const before = records.filter((record) => record.subtask === '').at(-1)!.time;
  const firsts = ['1', '2'].map((subtask) => records.find((record) => record.subtask === subtask)!.time);
  return { start: before, ms: Math.max(...firsts) - before };
}

/** The largest gap between consecutive sink times within [from, to]: the outage the sink saw. */
function largestGap(times: readonly number[], from: number, to: number): { start: number; ms: number } {
  let best = { start: from, ms: 0 };
  const inside = times.filter((time) => time >= from && time <= to);
  for (let i = 1; i < inside.length; i++) {
    const gap = inside[i]! - inside[i - 1]!;
    if (gap > best.ms) best = { start: inside[i - 1]!, ms: gap };
  }
  return best;
}

describe('rescale downtime', () => {
  const dist = TestDist.create({
    config: {
      'scheduler-mode': 'reactive',
      'execution.checkpointing.interval': '300 ms',
      'execution.buffer-timeout.interval': '5 ms',
      'heartbeat.interval': '500 ms',
      'heartbeat.timeout': '5 s',
    },
  });
  after(() => dist.destroy());

  it('reports the gap the sink saw while records flowed through a rescale', async (t) => {
    dist.addFixtureJob('wall-clock-sink');
    const started = await dist.run('standalone-job.sh', ['start', '--rate', '500']);
    assert.equal(started.exitCode, 0, started.stderr);
    const url = restUrlFrom(started.stdout);
    const jobId = (await getJson<{ jobs: Array<{ id: string }> }>(url, '/jobs')).jobs[0]!.id;
    assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    await waitFor(
      'records at the sink and a completed checkpoint',
      () => (sinkTimes(dist).length > 200 && /Completed checkpoint \d+/.test(dist.log('standalonejob', 0)) ? true : undefined),
      30_000,
    );

    assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    const change = await waitFor(
      'the rescale to 2 and its first record',
      async () => {
        const history = await getJson<{ changes: Change[] }>(url, `/jobs/${jobId}/parallelism-history`);
        const last = history.changes.at(-1);
        return history.changes.length >= 2 && last !== undefined && last.downtimeBasis !== 'pending' ? last : undefined;
      },
      30_000,
    );
    const job = await getJson<JobDetails>(url, `/jobs/${jobId}`);
    assert.ok(
      job.vertices.every((vertex) => vertex.parallelism === 2),
      'the job rescaled to 2',
    );
    t.diagnostic(
      dist
        .log('standalonejob', 0)
        .split('\n')
        .filter((l) => /down for|New run|RESTARTING|switched from .* to (CANCELED|CANCELING)/.test(l))
        .join('\n'),
    );
    assert.equal(change.cause, 'taskmanager-joined');
    assert.equal(change.downtimeBasis, 'records', 'both ends are records: the job was busy');
    const resumed = change.downtimeStart + change.downtimeMs;
    // Let the sink print well past the outage, so the gap is closed on both sides.
    await waitFor(
      'sink records after the rescale',
      () => (sinkTimes(dist).filter((time) => time > resumed + 500).length > 50 ? true : undefined),
      20_000,
    );

    const records = sinkRecords(dist);
    const observed = sinkOutage(records);
    const silence = largestGap(
      records.map((record) => record.time),
      observed.start - 3_000,
      resumed + 3_000,
    );
    const detail = `reported ${change.downtimeMs} ms from ${change.downtimeStart}; the sink saw ${observed.ms} ms from ${observed.start} until all its subtasks printed, its longest silence ${silence.ms} ms`;
    t.diagnostic(detail);
    assert.ok(observed.ms >= 50, `the rescale made a visible gap at the sink (${detail})`);
    assert.ok(
      Math.abs(change.downtimeMs - observed.ms) <= Math.max(150, observed.ms / 2),
      `the reported downtime matches the sink's outage (${detail})`,
    );
    assert.ok(Math.abs(change.downtimeStart - observed.start) <= 150, `the outage starts where the sink's records stop (${detail})`);
    assert.ok(change.downtimeMs >= silence.ms - 50, `the reported downtime is never shorter than the sink's longest silence (${detail})`);
    assert.match(
      dist.log('standalonejob', 0),
      new RegExp(`down for ${change.downtimeMs} ms \\(records: last record at`),
      'the log line carries the same figure',
    );
  });
});
