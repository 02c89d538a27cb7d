/**
 * `npm run bench -- state`: what checkpoints of large keyed state cost a running job. Per state size,
 * the pause a snapshot puts on processing (its synchronous phase) beside the write that runs beside
 * processing (its asynchronous phase) in the same checkpoint, the rate a checkpoint writes at, and
 * the TaskManager's RSS against the state it holds.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CheckpointingStatistics, CheckpointStatistics, CheckpointSubtaskDetails } from '../src/rest/types/responses.js';
import { getJson, TestDist } from '../test/helpers/test-dist.js';
import { baseline, currentEnvironment, median, metric, quickMode, type BenchResult, type MetricResult } from './benchmark.js';
import { fillUntilCheckpointBytes, onlyJobId } from './checkpoint-size.js';
import { incrementalRows } from './incremental-checkpoints.js';
import { onCleanup } from './process-cleanup.js';
import { startStateJob } from './state-job-cluster.js';

/** Registry name: `npm run bench state`. */
export const name = 'state';

const MB = 1024 * 1024;
/** The job keeps keys × payload bytes; each size waits until a completed checkpoint holds `bytes`. */
const STATES = [
  { label: '10 MB', bytes: 10 * MB, keys: 11_000, payload: 1_000 },
  { label: '100 MB', bytes: 100 * MB, keys: 110_000, payload: 1_000 },
  { label: '300 MB', bytes: 300 * MB, keys: 330_000, payload: 1_000 },
  { label: '1 GB', bytes: 1024 * MB, keys: 1_130_000, payload: 1_000 },
] as const;
/** Sizes from which the rate and RSS targets apply: below them Node's fixed memory and per-checkpoint costs dominate. */
const TARGET_FROM_BYTES = 300 * MB;
/** The size the incremental rows run at (filling 1 GB a second time would add minutes and show nothing new). */
const INCREMENTAL_SIZE = STATES[2];
/** Records per second asked of the generator: every key is touched again within seconds, so state keeps changing during writes. */
const RATE = 100_000;
/** Completed checkpoints measured per state size, after the fill. */
const CHECKPOINTS = 5;

/** One completed checkpoint as this benchmark reads it. */
export interface CheckpointSample {
  readonly stateBytes: number;
  /** Bytes the checkpoint wrote (REST checkpointed_size): less than stateBytes when incremental. */
  readonly checkpointedBytes: number;
  readonly endToEndMs: number;
  /** Longest synchronous phase over the subtasks: the pause processing took for the snapshot. */
  readonly syncMs: number;
  /** Longest asynchronous phase over the subtasks: the write beside processing. */
  readonly asyncMs: number;
}

/** What one state size measured. */
export interface StateSample {
  readonly checkpoints: CheckpointSample[];
  /** TaskManager RSS right after each of the checkpoints, in bytes. */
  readonly rssBytes: number[];
}

function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

async function readCheckpoint(url: string, jobId: string, checkpoint: CheckpointStatistics): Promise<CheckpointSample> {
  let syncMs = 0;
  let asyncMs = 0;
  // The overview leaves `tasks` empty, as Flink's does; the checkpoint's details list its vertices.
  const details = await getJson<CheckpointStatistics>(url, `/jobs/${jobId}/checkpoints/details/${checkpoint.id}`);
  for (const vertexId of Object.keys(details.tasks)) {
    const subtasks = await getJson<CheckpointSubtaskDetails>(
      url,
      `/jobs/${jobId}/checkpoints/details/${checkpoint.id}/subtasks/${vertexId}`,
    );
    syncMs = Math.max(syncMs, subtasks.summary.checkpoint_duration.sync.max);
    asyncMs = Math.max(asyncMs, subtasks.summary.checkpoint_duration.async.max);
  }
  return {
    stateBytes: checkpoint.state_size,
    checkpointedBytes: checkpoint.checkpointed_size,
    endToEndMs: checkpoint.end_to_end_duration,
    syncMs,
    asyncMs,
  };
}

/** The next `count` completed checkpoints after the one with id `after`; `onEach` runs as each is seen. */
async function nextCheckpoints(url: string, jobId: string, after: number, count: number, onEach: () => void): Promise<CheckpointSample[]> {
  const samples: CheckpointSample[] = [];
  let last = after;
  const deadline = Date.now() + 300_000;
  while (samples.length < count) {
    if (Date.now() > deadline) throw new Error(`only ${samples.length} of ${count} checkpoints completed in time`);
    const stats = await getJson<CheckpointingStatistics>(url, `/jobs/${jobId}/checkpoints`);
    const fresh = stats.history.filter((c) => c.status === 'COMPLETED' && c.id > last).sort((a, b) => a.id - b.id);
    for (const checkpoint of fresh) {
      if (samples.length < count) {
        onEach();
        samples.push(await readCheckpoint(url, jobId, checkpoint));
      }
      last = checkpoint.id;
    }
    await sleep(200);
  }
  return samples;
}

/** A state size the job is filled to. */
export type StateSize = (typeof STATES)[number];

/** How a measurement runs: incremental checkpoints or full ones, and whether only `hot` keys keep changing. */
export interface MeasureOptions {
  readonly incremental?: boolean;
  readonly hot?: number;
}

/** Fills one job to `state`, then reads the next `checkpoints` completed checkpoints. */
export async function measure(state: StateSize, checkpoints: number, options: MeasureOptions = {}): Promise<StateSample> {
  const dist = TestDist.create({
    config: {
      'scheduler-mode': 'reactive',
      'execution.checkpointing.interval': '2 s',
      'execution.checkpointing.incremental': options.incremental === true,
      'heartbeat.interval': '500 ms',
      'heartbeat.timeout': '5 s',
    },
  });
  const done = onCleanup(() => dist.destroy());
  try {
    const hot = options.hot === undefined ? [] : ['--hot', String(options.hot)];
    const jobArgs = ['--keys', String(state.keys), '--payload', String(state.payload), '--rate', String(RATE), ...hot];
    const url = await startStateJob(dist, jobArgs);
    const tm = await dist.run('taskmanager.sh', ['start']);
    if (tm.exitCode !== 0) throw new Error(tm.stderr);
    const jobId = await onlyJobId(url);
    await fillUntilCheckpointBytes(url, jobId, state.bytes);
    const latest = (await getJson<CheckpointingStatistics>(url, `/jobs/${jobId}/checkpoints`)).latest.completed?.id ?? 0;
    const pid = dist.pids('taskexecutor')[0]!;
    const rssBytes: number[] = [];
    const samples = await nextCheckpoints(url, jobId, latest, checkpoints, () => rssBytes.push(rssOf(pid)));
    return { checkpoints: samples, rssBytes };
  } finally {
    await done();
  }
}

export async function run(): Promise<BenchResult> {
  const quick = quickMode();
  const metrics: MetricResult[] = [];
  const sizes = quick ? STATES.slice(0, 1) : STATES;
  for (const state of sizes) {
    const sample = await measure(state, quick ? 2 : CHECKPOINTS);
    const checkpoints = sample.checkpoints;
    const stateMb = median(checkpoints.map((c) => c.stateBytes)) / MB;
    const measured = `checkpoint ${stateMb.toFixed(1)} MB`;
    const targeted = state.bytes >= TARGET_FROM_BYTES;
    metrics.push(
      metric(
        `${state.label} keyed state: longest pause of processing for a snapshot (synchronous phase)`,
        'ms',
        checkpoints.map((c) => c.syncMs),
        {
          baselines: [
            baseline(
              'the write beside processing in the same checkpoints (asynchronous phase)',
              checkpoints.map((c) => c.asyncMs),
            ),
          ],
          measured,
        },
      ),
      metric(
        `${state.label} keyed state: checkpoint write rate, state size / end-to-end duration`,
        'MB/s',
        checkpoints.map((c) => c.stateBytes / MB / (Math.max(1, c.endToEndMs) / 1000)),
        { measured, ...(targeted ? { target: { comparison: '≥', value: 500 } } : {}) },
      ),
      metric(
        `${state.label} keyed state: TaskManager RSS as a multiple of the keyed state`,
        '×',
        sample.rssBytes.map((rss) => rss / MB / stateMb),
        {
          baselines: [
            baseline(
              'TaskManager RSS (MB)',
              sample.rssBytes.map((rss) => rss / MB),
            ),
          ],
          measured,
          ...(targeted ? { target: { comparison: '≤', value: 2 } } : {}),
        },
      ),
    );
  }
  const incremental = await incrementalRows(quick ? sizes[0] : INCREMENTAL_SIZE, quick ? 2 : CHECKPOINTS);
  metrics.push(...incremental.metrics);
  return {
    name,
    ranAt: new Date().toISOString(),
    environment: currentEnvironment(),
    metrics,
    notes: [
      `One TaskManager with one slot runs source → keyBy → a process function that keeps a ${STATES[0].payload}-byte string and a counter per key, fed at ${RATE.toLocaleString('en')} records/s, so every key changes again within seconds and the state keeps changing while a checkpoint is written.`,
      `Each size fills until a completed checkpoint holds it (REST state_size), then the next ${CHECKPOINTS} completed checkpoints (2 s interval) are read from REST: sync and async are the longest over the subtasks (Flink's checkpoint_duration.sync/async), the rate is state_size / end_to_end_duration.`,
      'The synchronous phase is the pause processing takes for a snapshot; with copy-on-write keyed state it no longer grows with the state. Its baseline is the asynchronous write of the same checkpoints, which is roughly what the pause was when the whole state was encoded at the barrier.',
      'RSS is the TaskManager process (main thread and slot threads), sampled as each measured checkpoint is seen complete in REST.',
      `The rate and RSS targets apply from ${TARGET_FROM_BYTES / MB} MB: an idle TaskManager alone is about 60 MB, which is 6× a 10 MB state.`,
      ...incremental.notes,
    ],
  };
}
