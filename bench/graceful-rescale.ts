import { getJson, TestDist, waitFor } from '../test/helpers/test-dist.js';
import { baseline, metric, type MetricResult } from './benchmark.js';
import { onlyJobId } from './checkpoint-size.js';
import { onCleanup } from './process-cleanup.js';
import { startStateJob } from './state-job-cluster.js';

/** One run in GET /jobs/:jobid/parallelism-history. */
interface Change {
  readonly downtimeMs: number;
  readonly downtimeBasis: string;
  readonly recordsReplayed: number | null;
}

/** The two ways a rescale can go, measured in the same run. */
const PATHS = {
  planned: {},
  today: {
    'jobmanager.adaptive-scheduler.rescale-trigger.fresh-checkpoint.enabled': 'false',
    'taskmanager.graceful-stop.timeout': '0 ms',
  },
} as const;

/** What one round measured: records replayed by the scale-up and the stop, and the stop's output gap. */
interface Round {
  readonly replayed: number[];
  readonly stopDowntimeMs: number;
}

/** Waits until the job has had `count` runs and the last one's downtime is settled (its sinks resumed). */
async function settledRun(url: string, jobId: string, count: number): Promise<Change> {
  return waitFor(
    `run ${count} with its downtime settled`,
    async () => {
      const history = await getJson<{ changes: Change[] }>(url, `/jobs/${jobId}/parallelism-history`);
      const last = history.changes.at(-1);
      return history.changes.length === count && last !== undefined && last.downtimeBasis !== 'pending' ? last : undefined;
    },
    60_000,
  );
}

/** Waits until a checkpoint completed after the last `seen` ones, so the next rescale has something recent to restore. */
async function nextCheckpoint(dist: TestDist, seen: number): Promise<number> {
  return waitFor(
    'a completed checkpoint',
    () => {
      const count = (dist.log('standalonejob', 0).match(/Completed checkpoint \d+ for job/g) ?? []).length;
      return count > seen ? count : undefined;
    },
    60_000,
  );
}

/** Scale 1 → 2 with a new TaskManager, then 2 → 1 with taskmanager.sh stop, under Flink's default restart strategy. */
async function measure(overrides: Readonly<Record<string, string>>, rate: number): Promise<Round> {
  const dist = TestDist.create({
    config: {
      'scheduler-mode': 'reactive',
      'execution.checkpointing.interval': '1 s',
      'heartbeat.interval': '500 ms',
      'heartbeat.timeout': '5 s',
      ...overrides,
    },
  });
  const done = onCleanup(() => dist.destroy());
  try {
    const url = await startStateJob(dist, ['--rate', String(rate)]);
    await dist.run('taskmanager.sh', ['start']);
    const jobId = await onlyJobId(url);
    await settledRun(url, jobId, 1);
    const checkpoints = await nextCheckpoint(dist, 0);
    await dist.run('taskmanager.sh', ['start']);
    const up = await settledRun(url, jobId, 2);
    await nextCheckpoint(dist, checkpoints);
    await dist.run('taskmanager.sh', ['stop']);
    const stop = await settledRun(url, jobId, 3);
    return { replayed: [up.recordsReplayed ?? 0, stop.recordsReplayed ?? 0], stopDowntimeMs: stop.downtimeMs };
  } finally {
    await done();
  }
}

/**
 * Rows for planned rescales: records replayed per rescale, and the output gap of a graceful
 * taskmanager.sh stop with Flink's default restart strategy (exponential delay from 1 s with
 * checkpointing), each beside today's path (Flink 1.x: the latest checkpoint, a stop that fails the
 * tasks) measured in the same run.
 */
export async function gracefulRescaleRows(rounds: number, rate: number): Promise<MetricResult[]> {
  const planned: Round[] = [];
  const today: Round[] = [];
  for (let i = 0; i < rounds; i++) {
    planned.push(await measure(PATHS.planned, rate));
    today.push(await measure(PATHS.today, rate));
  }
  const todayLabel = "today's path (latest checkpoint, a stop fails the tasks)";
  return [
    metric(
      '~0 state, default restart strategy: records replayed per planned rescale (scale-up, graceful stop)',
      'records',
      planned.flatMap((r) => r.replayed),
      {
        baselines: [
          baseline(
            todayLabel,
            today.flatMap((r) => r.replayed),
          ),
        ],
        target: { comparison: '≤', value: 0 },
      },
    ),
    metric(
      '~0 state, default restart strategy: graceful taskmanager.sh stop, gap in the output',
      'ms',
      planned.map((r) => r.stopDowntimeMs),
      {
        baselines: [
          baseline(
            todayLabel,
            today.map((r) => r.stopDowntimeMs),
          ),
        ],
        target: { comparison: '<', value: 200 },
      },
    ),
  ];
}
