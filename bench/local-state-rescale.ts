/**
 * Rows of `npm run bench -- rescale` for task-local recovery: per state size, the bytes a rescale
 * reads from checkpoint storage and its downtime, for p → p + 1 and p → p − 1, with local recovery
 * on beside the same rescales with it off (today's path: everything from storage) in the same run.
 * The job takes incremental checkpoints, as large keyed state calls for (Flink recommends them
 * with RocksDB for the same reason): a rescale's checkpoint then writes what changed, not the state.
 */
import type { CheckpointingStatistics } from '../src/rest/types/responses.js';
import { getJson, TestDist, waitFor, type JobDetails } from '../test/helpers/test-dist.js';
import { baseline, median, metric, quickMode, type MetricResult } from './benchmark.js';
import { fillUntilCheckpointBytes, onlyJobId } from './checkpoint-size.js';
import { onCleanup } from './process-cleanup.js';
import { startStateJob } from './state-job-cluster.js';

const MB = 1024 * 1024;
/** A state size the rescales run on: `keys` × `payload` bytes, measured once a checkpoint holds `bytes`. */
interface StateSize {
  readonly label: string;
  readonly bytes: number;
  readonly keys: number;
  readonly payload: number;
}

const SMALL: StateSize = { label: '10 MB', bytes: 10 * MB, keys: 11_000, payload: 1_000 };
/** The sizes; 1 GB only in a full run (filling it takes minutes and a few GB of RAM). */
const STATES: readonly StateSize[] = [
  SMALL,
  { label: '100 MB', bytes: 100 * MB, keys: 110_000, payload: 1_000 },
  ...(quickMode() ? [] : [{ label: '1 GB', bytes: 1024 * MB, keys: 1_100_000, payload: 1_000 }]),
];
/** The JobManager's line when a TaskManager's heartbeats stop: a stall the 5 s timeout did not ride through. */
const HEARTBEAT_LOSS = /heartbeat of TaskManager with id \S+ timed out/g;
const RATE = 20_000;
const RESTORED = ['restoredStateBytesLocal', 'restoredStateBytesFromStorage'] as const;

/** One rescale: bytes its subtasks restored from storage and locally, and the gap in the output. */
interface Rescale {
  readonly fromStorageMb: number;
  readonly localMb: number;
  readonly downtimeMs: number;
}

/** Both rescales of one cluster, and how often the JobManager declared a TaskManager lost meanwhile. */
interface Measured {
  readonly up: Rescale;
  readonly down: Rescale;
  readonly heartbeatLosses: number;
  /** Records replayed by each of the two rescales (both are planned: 0 is the target). */
  readonly replayed: number[];
}

/** The id of the latest completed checkpoint, 0 before the first. */
async function latestCheckpointId(url: string, jobId: string): Promise<number> {
  const stats = await getJson<CheckpointingStatistics>(url, `/jobs/${jobId}/checkpoints`);
  return stats.latest.completed?.id ?? 0;
}

/** Waits for a checkpoint completed after checkpoint `id`. */
async function checkpointAfter(url: string, jobId: string, id: number): Promise<void> {
  await waitFor(`a checkpoint after ${id}`, async () => ((await latestCheckpointId(url, jobId)) > id ? true : undefined), 120_000);
}

/**
 * The settled downtime of the first run after the first `after` runs whose every vertex runs at
 * `parallelism` (GET /jobs/:jobid/parallelism-history). Found by parallelism, not by count: under
 * load two joins can land in one rescale.
 */
async function downtimeOfRun(url: string, jobId: string, after: number, parallelism: number): Promise<number> {
  return waitFor(
    `a run at parallelism ${parallelism} with its downtime settled`,
    async () => {
      const history = await getJson<{ changes: Array<{ parallelism: Record<string, number>; downtimeMs: number; downtimeBasis: string }> }>(
        url,
        `/jobs/${jobId}/parallelism-history`,
      );
      const run = history.changes.slice(after).find((c) => Object.values(c.parallelism).every((p) => p === parallelism));
      return run !== undefined && run.downtimeBasis !== 'pending' ? run.downtimeMs : undefined;
    },
    120_000,
  );
}

/** Waits until every vertex of the job runs at `parallelism`. */
async function runningAt(url: string, jobId: string, parallelism: number): Promise<void> {
  await waitFor(
    `the job running at parallelism ${parallelism}`,
    async () => {
      const job = await getJson<JobDetails>(url, `/jobs/${jobId}`);
      return job.vertices.every((v) => v.parallelism === parallelism && v.status === 'RUNNING') ? true : undefined;
    },
    120_000,
  );
}

/** Restored bytes summed over every subtask of every vertex of the current run, once all reported. */
async function restoredMb(url: string, jobId: string, parallelism: number): Promise<{ local: number; storage: number }> {
  return waitFor(
    'the restored subtasks to report their bytes',
    async () => {
      const job = await getJson<JobDetails>(url, `/jobs/${jobId}`);
      if (!job.vertices.every((v) => v.parallelism === parallelism && v.status === 'RUNNING')) return undefined;
      let local = 0;
      let storage = 0;
      for (const vertex of job.vertices) {
        // Every vertex of the state job restores some state in every subtask (the source its
        // position, the keyed vertex its groups, reported once all of them streamed in): wait for each.
        let reported = 0;
        for (let subtask = 0; subtask < parallelism; subtask++) {
          const values = await getJson<Array<{ id: string; value: string }>>(
            url,
            `/jobs/${jobId}/vertices/${vertex.id}/subtasks/${subtask}/metrics?get=${RESTORED.join(',')}`,
          );
          if (values.length < 2) return undefined;
          const l = Number(values.find((m) => m.id === RESTORED[0])!.value);
          const s = Number(values.find((m) => m.id === RESTORED[1])!.value);
          if (l + s > 0) reported++;
          local += l;
          storage += s;
        }
        if (reported !== parallelism) return undefined;
      }
      return local + storage > 0 ? { local: local / MB, storage: storage / MB } : undefined;
    },
    60_000,
  );
}

/** 2 → 3 → 2 TaskManagers on a filled state, with task-local recovery on or off. */
async function measure(state: StateSize, localRecovery: boolean): Promise<Measured> {
  const dist = TestDist.create({
    config: {
      'scheduler-mode': 'reactive',
      'execution.checkpointing.interval': '1 s',
      'heartbeat.interval': '500 ms',
      'heartbeat.timeout': '5 s',
      'execution.state-recovery.from-local': localRecovery,
      'execution.checkpointing.incremental': true,
      // A planned leave waits for a checkpoint of the whole state; at 1 GB that takes longer than the default 5 s.
      'taskmanager.graceful-stop.timeout': '60 s',
    },
  });
  const done = onCleanup(() => dist.destroy());
  try {
    const url = await startStateJob(dist, ['--keys', String(state.keys), '--payload', String(state.payload), '--rate', String(RATE)]);
    for (let i = 0; i < 2; i++) await dist.run('taskmanager.sh', ['start']);
    const jobId = await onlyJobId(url);
    await runningAt(url, jobId, 2);
    await fillUntilCheckpointBytes(url, jobId, state.bytes);
    const rescale = async (action: string, parallelism: number): Promise<Rescale> => {
      const after = (await getJson<{ changes: unknown[] }>(url, `/jobs/${jobId}/parallelism-history`)).changes.length;
      await dist.run('taskmanager.sh', [action]);
      const bytes = await restoredMb(url, jobId, parallelism);
      return { fromStorageMb: bytes.storage, localMb: bytes.local, downtimeMs: await downtimeOfRun(url, jobId, after, parallelism) };
    };
    const up = await rescale('start', 3);
    // A checkpoint of the new run, so the scale-down restores state the run of 3 wrote rather than an
    // older one the two staying TaskManagers still hold whole.
    await checkpointAfter(url, jobId, await latestCheckpointId(url, jobId));
    const down = await rescale('stop', 2);
    const log = dist.log('standalonejob', 0);
    const heartbeatLosses = [...log.matchAll(HEARTBEAT_LOSS)].length;
    const replayed = [...log.matchAll(/New run after taskmanager-(?:joined|stopped): .*records replayed (\d+)/g)]
      .slice(-2)
      .map((m) => Number(m[1]));
    return { up, down, heartbeatLosses, replayed };
  } finally {
    await done();
  }
}

/** The rows: bytes from storage and downtime, local recovery on beside off, per size and direction. */
export async function localStateRescaleRows(rounds: number): Promise<MetricResult[]> {
  const rows: MetricResult[] = [];
  const downtimes = new Map<string, { up: number[]; down: number[] }>();
  for (const state of STATES) {
    const on: Measured[] = [];
    const off: Measured[] = [];
    for (let round = 0; round < rounds; round++) {
      on.push(await measure(state, true));
      off.push(await measure(state, false));
    }
    for (const direction of ['up', 'down'] as const) {
      const what = direction === 'up' ? '2 → 3' : '3 → 2';
      const offLabel = 'the same rescale with task-local recovery off (every byte from storage)';
      rows.push(
        metric(
          `${state.label} state, ${what}, task-local recovery, incremental checkpoints: state read from checkpoint storage`,
          'MB',
          on.map((r) => r[direction].fromStorageMb),
          {
            baselines: [
              baseline(
                offLabel,
                off.map((r) => r[direction].fromStorageMb),
              ),
              baseline(
                'read from the local copies',
                on.map((r) => r[direction].localMb),
              ),
            ],
          },
        ),
        metric(
          `${state.label} state, ${what}, task-local recovery, incremental checkpoints: downtime (gap in the output)`,
          'ms',
          on.map((r) => r[direction].downtimeMs),
          {
            baselines: [
              baseline(
                offLabel,
                off.map((r) => r[direction].downtimeMs),
              ),
            ],
          },
        ),
      );
    }
    downtimes.set(state.label, { up: on.map((r) => r.up.downtimeMs), down: on.map((r) => r.down.downtimeMs) });
    rows.push(
      metric(
        `${state.label} state, 2 → 3 → 2, incremental checkpoints: records replayed per planned rescale`,
        'records',
        [...on, ...off].flatMap((r) => r.replayed),
        { target: { comparison: '≤', value: 0 } },
      ),
      metric(
        `${state.label} state, fill, checkpoints and both rescales under heartbeat.timeout 5 s: TaskManagers declared lost`,
        'count',
        [...on, ...off].map((r) => r.heartbeatLosses),
        { target: { comparison: '≤', value: 0 } },
      ),
    );
  }
  rows.push(...growthRows(downtimes));
  return rows;
}

/** Downtime at the largest size as a multiple of the 10 MB figure: only moved state is read, so it should stay flat. */
function growthRows(downtimes: ReadonlyMap<string, { up: number[]; down: number[] }>): MetricResult[] {
  const largest = STATES.at(-1)!;
  const small = downtimes.get(SMALL.label);
  const large = downtimes.get(largest.label);
  if (largest === SMALL || small === undefined || large === undefined) return [];
  return (['up', 'down'] as const).map((direction) =>
    metric(
      `${largest.label} state, ${direction === 'up' ? '2 → 3' : '3 → 2'}, task-local recovery, incremental checkpoints: downtime as a multiple of the 10 MB figure`,
      '×',
      [median(large[direction]) / Math.max(1, median(small[direction]))],
      { target: { comparison: '≤', value: 3 }, baselines: [baseline('10 MB downtime (ms)', small[direction])] },
    ),
  );
}
