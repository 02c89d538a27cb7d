import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { logLineTime } from '../test/helpers/cluster-probes.js';
import { FLINK_HOME, TestDist } from '../test/helpers/test-dist.js';
import { currentEnvironment, metric, type BenchResult, type MetricResult } from './benchmark.js';
import { onCleanup } from './process-cleanup.js';

/** Registry name: `npm run bench rescale`. */
export const name = 'rescale';

const MB = 1024 * 1024;
/** State sizes: keys × payload bytes. */
const STATES = [
  { label: '~0 state', keys: 1_000, payload: 0, rounds: 3 },
  { label: '10 MB state', keys: 10_000, payload: 1_000, rounds: 2 },
  { label: '100 MB state', keys: 100_000, payload: 1_000, rounds: 1 },
] as const;

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
  const line = jobManagerLines(dist, from).filter((l) => /New run after/.test(l)).at(-1);
  const match = line === undefined ? null : /records replayed (\d+)/.exec(line);
  return { replayed: match === null ? undefined : Number(match[1]) };
}

/** Bytes and milliseconds of every restore the TaskManagers logged. */
function restores(dist: TestDist): Array<{ bytes: number; ms: number; time: number }> {
  const out: Array<{ bytes: number; ms: number; time: number }> = [];
  for (const instance of [0, 1, 2]) {
    for (const line of dist.log('taskexecutor', instance).split('\n')) {
      const match = /restored (\d+) bytes of state from checkpoint \d+ in (\d+) ms/.exec(line);
      if (match !== null) out.push({ bytes: Number(match[1]), ms: Number(match[2]), time: logLineTime(line) });
    }
  }
  return out;
}

/**
 * The state restore rate of each rescale: the subtasks of one run restore in parallel, so a
 * rescale's rate is the bytes all of them restored over the longest single restore.
 */
function restoreRates(restored: ReadonlyArray<{ bytes: number; ms: number; time: number }>): number[] {
  const runs: Array<Array<{ bytes: number; ms: number; time: number }>> = [];
  for (const r of [...restored].sort((a, b) => a.time - b.time)) {
    const current = runs.at(-1);
    if (current !== undefined && r.time - current[0]!.time < 2000) current.push(r);
    else runs.push([r]);
  }
  return runs.map((run) => run.reduce((a, r) => a + r.bytes, 0) / MB / (Math.max(1, ...run.map((r) => r.ms)) / 1000));
}

interface Sample { up: number; stop: number; kill: number; replayed: number[]; restoreMbPerS: number[] }

async function measure(state: (typeof STATES)[number]): Promise<Sample> {
  const dist = TestDist.create({ config: {
    'scheduler-mode': 'reactive', 'execution.checkpointing.interval': state.payload > 0 ? '1 s' : '300 ms',
    'restart-strategy.type': 'fixed-delay', 'restart-strategy.fixed-delay.attempts': 1000, 'restart-strategy.fixed-delay.delay': '0 ms',
    'heartbeat.interval': '500 ms', 'heartbeat.timeout': '5 s',
  } });
  const done = onCleanup(() => dist.destroy());
  try {
    copyFileSync(join(FLINK_HOME, 'dist', 'bench', 'jobs', 'state-job.js'), join(dist.libDir, 'state-job.mjs'));
    const started = await dist.run('standalone-job.sh', ['start', `-Dexecution.checkpointing.dir=file://${join(dist.dir, 'chk')}`,
      '-j', 'org.tsflink.bench.KeyedState', '--keys', String(state.keys), '--payload', String(state.payload), '--rate', '50000']);
    if (started.exitCode !== 0) throw new Error(started.stderr);
    await dist.run('taskmanager.sh', ['start']);
    let mark = (await runningAt(dist, 0, 1)).line;
    // Let every key be seen (the state is full) and checkpointed.
    await sleep(Math.max(1000, (state.keys / 50_000) * 1000 + 1500));
    await checkpointAfter(dist, mark);
    const sample: Sample = { up: 0, stop: 0, kill: 0, replayed: [], restoreMbPerS: [] };
    const step = async (action: () => Promise<unknown>, parallelism: number): Promise<number> => {
      const from = dist.log('standalonejob', 0).split('\n').length;
      const t0 = Date.now();
      await action();
      const running = await runningAt(dist, from - 1, parallelism);
      const replayed = lastRunFacts(dist, from - 1).replayed;
      if (replayed !== undefined) sample.replayed.push(replayed);
      mark = running.line;
      await checkpointAfter(dist, mark);
      return running.time - t0;
    };
    sample.up = await step(() => dist.run('taskmanager.sh', ['start']), 2);
    sample.stop = await step(() => dist.run('taskmanager.sh', ['stop']), 1);
    await step(() => dist.run('taskmanager.sh', ['start']), 2);
    sample.kill = await step(async () => process.kill(dist.pids('taskexecutor').at(-1)!, 'SIGKILL'), 1);
    sample.restoreMbPerS = restoreRates(restores(dist).filter((r) => r.bytes > 0));
    return sample;
  } finally {
    await done();
  }
}

export async function run(): Promise<BenchResult> {
  const metrics: MetricResult[] = [];
  for (const state of STATES) {
    const samples: Sample[] = [];
    for (let i = 0; i < state.rounds; i++) samples.push(await measure(state));
    const small = state.payload === 0;
    const target = (value: number) => (small ? { target: { comparison: '<' as const, value } } : {});
    metrics.push(
      metric(`${state.label}: taskmanager.sh start → every subtask running at the higher parallelism`, 'ms', samples.map((s) => s.up), target(500)),
      metric(`${state.label}: taskmanager.sh stop → running at the lower parallelism`, 'ms', samples.map((s) => s.stop), target(300)),
      metric(`${state.label}: kill -9 → running at the lower parallelism`, 'ms', samples.map((s) => s.kill), target(500)),
      metric(`${state.label}: records replayed per rescale`, 'records', samples.flatMap((s) => s.replayed).concat(samples.every((s) => s.replayed.length === 0) ? [0] : [])),
    );
    const rates = samples.flatMap((s) => s.restoreMbPerS);
    if (rates.length > 0 && !small) metrics.push(metric(`${state.label}: state restore rate per subtask`, 'MB/s', rates, { target: { comparison: '>', value: 200 } }));
  }
  return {
    name,
    ranAt: new Date().toISOString(),
    environment: currentEnvironment(),
    metrics,
    notes: [
      'Reactive Mode, checkpoints on disk, restart-strategy fixed-delay 0 ms; times from the command to the JobManager logging that every subtask runs (restored) at the new parallelism.',
      'Flink needs seconds for a scale-up or a stop and 10–50 s to notice a killed TaskManager (heartbeat timeout).',
    ],
  };
}
