import { setTimeout as sleep } from 'node:timers/promises';
import { logLineTime } from '../test/helpers/cluster-probes.js';
import { TestDist } from '../test/helpers/test-dist.js';
import { currentEnvironment, median, metric, quickMode, type BenchResult, type MetricResult } from './benchmark.js';
import { fillUntilCheckpointBytes, latestCheckpointBytes, onlyJobId } from './checkpoint-size.js';
import { gracefulRescaleRows } from './graceful-rescale.js';
import { localStateRescaleRows } from './local-state-rescale.js';
import { startStateJob } from './state-job-cluster.js';
import { onCleanup } from './process-cleanup.js';
import { canDropPageCache, dropPageCache, perSubtaskRates, restores, restoresSince } from './restore-log.js';

/** Registry name: `npm run bench rescale`. */
export const name = 'rescale';

const MB = 1024 * 1024;
/**
 * State sizes: the job fills keys × payload bytes, and the benchmark waits until a completed checkpoint
 * holds `bytes` (the label); keys × payload is a little more, so the state can reach it.
 */
const STATES = [
  { label: '~0 state', bytes: 0, keys: 1_000, payload: 0, rounds: 3 },
  { label: '10 MB state', bytes: 10 * MB, keys: 11_000, payload: 1_000, rounds: 2 },
  { label: '100 MB state', bytes: 100 * MB, keys: 110_000, payload: 1_000, rounds: 1 },
] as const;
/** Records per second the job's generator is asked for (per subtask). */
const RATE = 50_000;

/** Lines of the JobManager log after `from`. */
function jobManagerLines(dist: TestDist, from: number): string[] {
  return dist.log('standalonejob', 0).split('\n').slice(from);
}

/** Waits for the next "All N subtasks ... are running" line with `parallelism` after line `from`; returns its time. */
async function runningAt(dist: TestDist, from: number, parallelism: number, timeoutMs = 120_000): Promise<{ time: number; line: number }> {
  const pattern = new RegExp(`All \\d+ subtasks of job \\w+ are running \\(.*: ${parallelism}\\)`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const lines = jobManagerLines(dist, from);
    const index = lines.findIndex((l) => pattern.test(l));
    if (index >= 0) return { time: logLineTime(lines[index]!), line: from + index + 1 };
    await sleep(5);
  }
  throw new Error(`the job did not run at parallelism ${parallelism} within ${timeoutMs} ms`);
}

/** Waits until a checkpoint completes after line `from`, so the next rescale restores fresh state. */
async function checkpointAfter(dist: TestDist, from: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (jobManagerLines(dist, from).some((l) => /Completed checkpoint \d+/.test(l))) return;
    await sleep(20);
  }
  throw new Error('no checkpoint completed');
}

/** The replayed-records count and restore figures of the last rescale. */
function lastRunFacts(dist: TestDist, from: number): { replayed: number | undefined } {
  const line = jobManagerLines(dist, from)
    .filter((l) => /New run after/.test(l))
    .at(-1);
  const match = line === undefined ? null : /records replayed (\d+)/.exec(line);
  return { replayed: match === null ? undefined : Number(match[1]) };
}

/** One round of a state size: the three rescale times, and what each rescale restored. */
interface Sample {
  up: number;
  stop: number;
  kill: number;
  replayed: number[];
  /** Bytes of the latest completed checkpoint just before each rescale. */
  checkpointBytes: number[];
  /** Per-subtask restore rates with the checkpoint just written (page cache warm). */
  warmMbPerS: number[];
  /** Per-subtask restore rates after the page cache was dropped; empty when not root. */
  coldMbPerS: number[];
}

async function measure(state: (typeof STATES)[number]): Promise<Sample> {
  const dist = TestDist.create({
    config: {
      'scheduler-mode': 'reactive',
      'execution.checkpointing.interval': state.payload > 0 ? '1 s' : '300 ms',
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': 1000,
      'restart-strategy.fixed-delay.delay': '0 ms',
      'heartbeat.interval': '500 ms',
      'heartbeat.timeout': '5 s',
    },
  });
  const done = onCleanup(() => dist.destroy());
  try {
    const url = await startStateJob(dist, ['--keys', String(state.keys), '--payload', String(state.payload), '--rate', String(RATE)]);
    await dist.run('taskmanager.sh', ['start']);
    let mark = (await runningAt(dist, 0, 1)).line;
    const jobId = await onlyJobId(url);
    // Fill until a checkpoint holds the labelled state, not for a fixed time.
    if (state.bytes > 0) await fillUntilCheckpointBytes(url, jobId, state.bytes);
    await checkpointAfter(dist, mark);
    const sample: Sample = { up: 0, stop: 0, kill: 0, replayed: [], checkpointBytes: [], warmMbPerS: [], coldMbPerS: [] };
    const step = async (action: () => Promise<unknown>, parallelism: number, rates: number[]): Promise<number> => {
      sample.checkpointBytes.push((await latestCheckpointBytes(url, jobId)) ?? 0);
      const before = restores(dist);
      const from = dist.log('standalonejob', 0).split('\n').length;
      const t0 = Date.now();
      await action();
      const running = await runningAt(dist, from - 1, parallelism);
      const replayed = lastRunFacts(dist, from - 1).replayed;
      if (replayed !== undefined) sample.replayed.push(replayed);
      mark = running.line;
      await checkpointAfter(dist, mark);
      rates.push(...perSubtaskRates(restoresSince(dist, before)));
      return running.time - t0;
    };
    sample.up = await step(() => dist.run('taskmanager.sh', ['start']), 2, sample.warmMbPerS);
    sample.stop = await step(() => dist.run('taskmanager.sh', ['stop']), 1, sample.warmMbPerS);
    await step(() => dist.run('taskmanager.sh', ['start']), 2, sample.warmMbPerS);
    sample.kill = await step(async () => process.kill(dist.pids('taskexecutor').at(-1)!, 'SIGKILL'), 1, sample.warmMbPerS);
    if (state.bytes > 0 && canDropPageCache()) {
      // One more scale-up, timed for nothing but its restores, with the checkpoint read from disk.
      await step(
        async () => {
          await dropPageCache();
          await dist.run('taskmanager.sh', ['start']);
        },
        2,
        sample.coldMbPerS,
      );
    }
    return sample;
  } finally {
    await done();
  }
}

/** "checkpoint 104.2 MB" (with the range when runs differ): the size a row's rescales restored. */
function checkpointSize(bytes: readonly number[]): string {
  const mb = bytes.map((b) => b / MB);
  const text = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 0.1 ? v.toFixed(1) : v.toFixed(3));
  const low = Math.min(...mb);
  const high = Math.max(...mb);
  return `checkpoint ${text(median(mb))} MB${text(low) === text(high) ? '' : ` (${text(low)}–${text(high)})`}`;
}

/** The checkpoint sizes before rescale `index` of every sample (0 up, 1 stop, 2 up again, 3 kill). */
function sizesAt(samples: readonly Sample[], ...indexes: number[]): number[] {
  return samples.flatMap((s) => indexes.map((i) => s.checkpointBytes[i]).filter((b): b is number => b !== undefined));
}

export async function run(): Promise<BenchResult> {
  const metrics: MetricResult[] = [];
  const quick = quickMode();
  let cold = false;
  for (const state of STATES) {
    const samples: Sample[] = [];
    for (let i = 0; i < (quick ? 1 : state.rounds); i++) samples.push(await measure(state));
    const small = state.payload === 0;
    const options = (value: number, ...at: number[]) => ({
      measured: checkpointSize(sizesAt(samples, ...at)),
      ...(small ? { target: { comparison: '<' as const, value } } : {}),
    });
    metrics.push(
      metric(
        `${state.label}: taskmanager.sh start → every subtask running at the higher parallelism`,
        'ms',
        samples.map((s) => s.up),
        options(500, 0),
      ),
      metric(
        `${state.label}: taskmanager.sh stop → running at the lower parallelism`,
        'ms',
        samples.map((s) => s.stop),
        options(300, 1),
      ),
      metric(
        `${state.label}: kill -9 → running at the lower parallelism`,
        'ms',
        samples.map((s) => s.kill),
        options(500, 3),
      ),
      metric(
        `${state.label}: records replayed per rescale`,
        'records',
        samples.flatMap((s) => s.replayed).concat(samples.every((s) => s.replayed.length === 0) ? [0] : []),
        { measured: checkpointSize(sizesAt(samples, 0, 1, 2, 3)) },
      ),
    );
    if (small) continue;
    const warm = samples.flatMap((s) => s.warmMbPerS);
    const dropped = samples.flatMap((s) => s.coldMbPerS);
    const measured = checkpointSize(sizesAt(samples, 0, 1, 2, 3));
    if (warm.length > 0) {
      metrics.push(
        metric(`${state.label}: state restore rate, median over subtasks, page cache warm (checkpoint just written)`, 'MB/s', warm, {
          measured,
          target: { comparison: '>', value: 200 },
        }),
      );
    }
    if (dropped.length > 0) {
      cold = true;
      metrics.push(
        metric(`${state.label}: state restore rate, median over subtasks, page cache dropped before the rescale`, 'MB/s', dropped, {
          measured: checkpointSize(sizesAt(samples, 4)),
        }),
      );
    }
  }
  metrics.push(...(await gracefulRescaleRows(quick ? 1 : 3, RATE / 10)));
  metrics.push(...(await localStateRescaleRows(quick ? 1 : 3)));
  return {
    name,
    ranAt: new Date().toISOString(),
    environment: currentEnvironment(),
    metrics,
    notes: [
      'Reactive Mode, checkpoints on disk, restart-strategy fixed-delay 0 ms; times from the command to the JobManager logging that every subtask runs (restored) at the new parallelism.',
      'A scale-up and a taskmanager.sh stop are planned rescales: their times include the checkpoint taken for them (so they replay nothing); kill -9 restores the latest checkpoint and replays what came after it.',
      `The job's generator is asked for ${RATE.toLocaleString('en')} records/s; each state is filled until a completed checkpoint (REST state_size) holds the labelled size, and "measured with it" gives the latest completed checkpoint's size just before the rescales of that row.`,
      "Restore rate: each subtask's restored bytes over its own restore time, median over every subtask of every rescale. The checkpoint had just been written, so its files were in the page cache" +
        (cold
          ? '; the "page cache dropped" row comes from one more scale-up after sync and echo 3 > /proc/sys/vm/drop_caches.'
          : ' (not root: the page cache could not be dropped for a cold figure).'),
      'Flink needs seconds for a scale-up or a stop and 10–50 s to notice a killed TaskManager (heartbeat timeout).',
      `Planned-rescale rows: ${(RATE / 10).toLocaleString('en')} records/s, checkpoints every 1 s, Flink's default restart strategy; 1 → 2 TaskManagers, then taskmanager.sh stop; figures from GET /jobs/:jobid/parallelism-history (recordsReplayed, downtimeMs: the gap in the output). The baseline turns fresh checkpoints and the graceful stop off (rescale-trigger.fresh-checkpoint.enabled: false, taskmanager.graceful-stop.timeout: 0 ms): a stop then fails the tasks and waits out the 1 s back-off, as in Flink, which publishes no figure for it.`,
      'Task-local recovery rows: the state job on 2 TaskManagers of one slot, filled to the size, then taskmanager.sh start (2 → 3) and, after a checkpoint of the new run, taskmanager.sh stop (3 → 2); bytes are the restoredStateBytesLocal/FromStorage metrics summed over every subtask of the new run, downtime is parallelism-history downtimeMs. The baseline is the same in a cluster with execution.state-recovery.from-local off. One round each.',
      ...(quick ? ['TSFLINK_BENCH_QUICK=1: one round per state; not figures to publish.'] : []),
    ],
  };
}
