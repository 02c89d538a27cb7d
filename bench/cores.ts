import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TASK_MANAGER_SLOT_THREADS } from '../src/config/options/taskmanager-options.js';
import { cpuTimeMs, residentSetBytes } from '../test/helpers/cluster-probes.js';
import { FLINK_HOME, TestDist } from '../test/helpers/test-dist.js';
import { baseline, currentEnvironment, metric, quickMode, type BenchResult, type MetricResult, type Target } from './benchmark.js';
import { onCleanup } from './process-cleanup.js';
import { startJobManager, startTaskManager } from './startup.js';
import { freshTaskManagers, JOB_CLASS as THROUGHPUT_CLASS, runningToFinishedMs, timeJob } from './throughput.js';

/** Registry name: `npm run bench cores`. */
export const name = 'cores';

const RUNS = quickMode() ? 1 : 3;
const MB = 1024 * 1024;
const IDLE_MS = 2000;
const SLOT_THREADS = TASK_MANAGER_SLOT_THREADS.key;
/**
 * Reactive Mode sizes the job to the slots; the JobManager waits this long after the first slots
 * for the rest, so a 2-TaskManager layout starts at parallelism 2 instead of rescaling from 1.
 */
const STABILIZATION = '500 ms';

/** Where the job runs; parallelism follows the slots (Reactive Mode). */
interface Layout {
  readonly label: string;
  readonly taskManagers: number;
  readonly slots: number;
}

const ONE_BY_ONE: Layout = { label: '1 TM × 1 slot', taskManagers: 1, slots: 1 };
const ONE_BY_TWO: Layout = { label: '1 TM × 2 slots', taskManagers: 1, slots: 2 };
const TWO_BY_ONE: Layout = { label: '2 TMs × 1 slot', taskManagers: 2, slots: 1 };
const LAYOUTS = [ONE_BY_ONE, ONE_BY_TWO, TWO_BY_ONE] as const;

/** A bench job in dist/bench/jobs, and how many records a run of it generates. */
interface Job {
  readonly label: string;
  readonly file: string;
  readonly mainClass: string;
  readonly records: number;
}

const CPU_BOUND: Job = {
  label: 'CPU-bound job (source → map of ~1 ms CPU → discard)',
  file: 'cpu-bound-job',
  mainClass: 'org.tsflink.bench.CpuBound',
  records: quickMode() ? 1_000 : 4_000,
};
const THROUGHPUT: Job = {
  label: 'throughput job (source → keyBy → reduce → discard)',
  file: 'throughput-job',
  mainClass: THROUGHPUT_CLASS,
  records: quickMode() ? 1_000_000 : 4_000_000,
};
const JOBS = [CPU_BOUND, THROUGHPUT] as const;

/** The JobManager's line once every subtask of the job runs; records/s are timed from it. */
const ALL_RUNNING = /All \d+ subtasks of job \w+ are running \((.*)\)/;

/** One job run: records/s while every subtask runs, deployment time, and the TaskManagers' CPU per million records. */
interface Sample {
  readonly recordsPerSecond: number;
  /** The job's RUNNING until every subtask runs: worker threads started and the job's code loaded. */
  readonly deployMs: number;
  readonly cpuSecondsPerMillion: number;
  /** The largest TaskManager RSS right after the job finished. */
  readonly rssAfterMb: number;
}

/** Samples of one job × layout, with slot threads on and off. */
interface Series {
  readonly on: Sample[];
  readonly off: Sample[];
}

/** User + system CPU of every TaskManager of the dist, all threads included. */
function taskManagerCpuMs(dist: TestDist): number {
  return dist.pids('taskexecutor').reduce((sum, pid) => sum + cpuTimeMs(pid), 0);
}

/** Writes the config of a layout and slot-thread mode (read by the JobManager and TaskManagers started next). */
function configure(dist: TestDist, slots: number, threads: boolean, extra: Record<string, string> = {}): void {
  dist.writeConfig({ 'taskmanager.numberOfTaskSlots': slots, [SLOT_THREADS]: threads, ...extra });
}

/** The parallelism the JobManager ran the job at, from its "All N subtasks ... are running" line. */
function runningParallelism(output: string): number | undefined {
  const match = ALL_RUNNING.exec(output);
  if (match === null) return undefined;
  return Math.max(...[...match[1]!.matchAll(/: (\d+)/g)].map((m) => Number(m[1])));
}

/** One run of `job` in `layout` on new TaskManagers, in application mode with Reactive Mode. */
async function runOnce(dist: TestDist, job: Job, layout: Layout, threads: boolean): Promise<Sample> {
  configure(dist, layout.slots, threads, {
    'scheduler-mode': 'reactive',
    'jobmanager.adaptive-scheduler.submission.resource-stabilization-timeout': STABILIZATION,
  });
  await freshTaskManagers(dist, layout.taskManagers);
  const cpuBefore = taskManagerCpuMs(dist);
  const { elapsedMs, output } = await timeJob(dist, ['-j', job.mainClass, '--records', String(job.records)], ALL_RUNNING);
  const cpuMs = taskManagerCpuMs(dist) - cpuBefore;
  const parallelism = runningParallelism(output);
  const expected = layout.taskManagers * layout.slots;
  if (parallelism !== expected)
    throw new Error(`${job.label} on ${layout.label} ran at parallelism ${parallelism ?? 'unknown'}, expected ${expected}`);
  return {
    recordsPerSecond: job.records / (elapsedMs / 1000),
    deployMs: runningToFinishedMs(0, output) - elapsedMs,
    cpuSecondsPerMillion: cpuMs / 1000 / (job.records / 1e6),
    rssAfterMb: Math.max(...dist.pids('taskexecutor').map((pid) => residentSetBytes(pid) / MB)),
  };
}

/** RSS of one registered, idle TaskManager with 2 slots, after IDLE_MS. */
async function idleRssMb(dist: TestDist, threads: boolean): Promise<number> {
  configure(dist, 2, threads);
  await dist.run('taskmanager.sh', ['stop-all']);
  try {
    const { url } = await startJobManager(dist);
    await startTaskManager(dist, url);
    await sleep(IDLE_MS);
    return residentSetBytes(dist.pids('taskexecutor')[0]!) / MB;
  } finally {
    await dist.run('taskmanager.sh', ['stop-all']);
    await dist.run('jobmanager.sh', ['stop']);
  }
}

const threadsOff = 'slot threads off';

/** Rows of one job × layout: throughput and CPU, slot threads on, with the single loop beside them. */
function seriesRows(job: Job, layout: Layout, series: Series): MetricResult[] {
  const what = `${job.label}, ${layout.label}, parallelism ${layout.taskManagers * layout.slots}`;
  const figure = (label: string, unit: string, pick: (s: Sample) => number): MetricResult =>
    metric(`${what}: ${label}`, unit, series.on.map(pick), { baselines: [baseline(threadsOff, series.off.map(pick))] });
  return [
    figure('throughput, all subtasks running → FINISHED', 'records/s', (s) => s.recordsPerSecond),
    figure('TaskManager CPU (user + system) per million records', 'CPU s', (s) => s.cpuSecondsPerMillion),
    ...(job === CPU_BOUND ? [figure('deployment, job RUNNING → all subtasks running', 'ms', (s) => s.deployMs)] : []),
  ];
}

/** A row comparing two layouts round by round, as a percentage, for slot threads on with off beside it. */
function ratioRow(
  label: string,
  top: Series,
  bottom: Series,
  target: Target,
  form: (top: number, bottom: number) => number = (t, b) => (100 * t) / b,
): MetricResult {
  const ratios = (mode: 'on' | 'off') => top[mode].map((s, i) => form(s.recordsPerSecond, bottom[mode][i]!.recordsPerSecond));
  return metric(label, '%', ratios('on'), { baselines: [baseline(threadsOff, ratios('off'))], target });
}

/** What each slot adds, slot threads against the single event loop, for a CPU-bound and the throughput job. */
export async function run(): Promise<BenchResult> {
  const dist = TestDist.create();
  const done = onCleanup(() => dist.destroy());
  try {
    for (const job of JOBS) copyFileSync(join(FLINK_HOME, 'dist', 'bench', 'jobs', `${job.file}.js`), join(dist.libDir, `${job.file}.mjs`));
    const series = new Map(JOBS.map((job) => [job, new Map(LAYOUTS.map((layout): [Layout, Series] => [layout, { on: [], off: [] }]))]));
    const idleRss = { on: [] as number[], off: [] as number[] };
    for (let round = 0; round < RUNS; round++) {
      // Each pair runs back to back, in alternating order, so drift in the machine's speed hits both.
      const order = round % 2 === 0 ? ([true, false] as const) : ([false, true] as const);
      for (const threads of order) idleRss[threads ? 'on' : 'off'].push(await idleRssMb(dist, threads));
      for (const job of JOBS) {
        for (const layout of LAYOUTS) {
          for (const threads of order) {
            const sample = await runOnce(dist, job, layout, threads);
            series.get(job)!.get(layout)![threads ? 'on' : 'off'].push(sample);
          }
        }
      }
    }
    const of = (job: Job, layout: Layout): Series => series.get(job)!.get(layout)!;
    const afterCpuJob = of(CPU_BOUND, ONE_BY_TWO);
    return {
      name,
      ranAt: new Date().toISOString(),
      environment: currentEnvironment(),
      metrics: [
        ...JOBS.flatMap((job) => LAYOUTS.flatMap((layout) => seriesRows(job, layout, of(job, layout)))),
        ratioRow(
          'CPU-bound job: 1 TM × 2 slots throughput as a share of 1 TM × 1 slot',
          of(CPU_BOUND, ONE_BY_TWO),
          of(CPU_BOUND, ONE_BY_ONE),
          {
            comparison: '≥',
            value: 180,
          },
        ),
        ratioRow(
          'CPU-bound job: 1 TM × 2 slots throughput off from 2 TMs × 1 slot by',
          of(CPU_BOUND, ONE_BY_TWO),
          of(CPU_BOUND, TWO_BY_ONE),
          { comparison: '≤', value: 10 },
          (t, b) => (100 * Math.abs(t - b)) / b,
        ),
        ratioRow(
          'throughput job: 1 TM × 2 slots throughput as a share of 1 TM × 1 slot',
          of(THROUGHPUT, ONE_BY_TWO),
          of(THROUGHPUT, ONE_BY_ONE),
          {
            comparison: '≥',
            value: 100,
          },
        ),
        metric(`idle RSS of a registered TaskManager with 2 slots (after ${IDLE_MS / 1000} s)`, 'MB', idleRss.on, {
          baselines: [baseline(threadsOff, idleRss.off)],
          target: { comparison: '<', value: 100 },
        }),
        metric(
          'RSS of the 1 × 2 TaskManager right after the CPU-bound job finished',
          'MB',
          afterCpuJob.on.map((s) => s.rssAfterMb),
          {
            baselines: [
              baseline(
                threadsOff,
                afterCpuJob.off.map((s) => s.rssAfterMb),
              ),
            ],
          },
        ),
      ],
      notes: [
        `Every row is slot threads on (${SLOT_THREADS}: true, the default); its baseline "slot threads off" is the same run with ${SLOT_THREADS}: false (every task on the TaskManager's one event loop), back to back with it in the same round (${RUNS} rounds, order alternating).`,
        `Each run: new TaskManagers in the layout, then bin/standalone-job.sh start-foreground in Reactive Mode (parallelism = slots; resource stabilization ${STABILIZATION}, so both TaskManagers of a 2-TM layout are in from the start); records/s from the JobManager's "All N subtasks are running" to the job's FINISHED (deployment, shown apart for the CPU-bound job, excluded). CPU is user + system of every TaskManager process (all its threads) from just before the job to the JobManager's exit.`,
        `CPU-bound job: ${CPU_BOUND.records.toLocaleString('en')} records, each mapped through 500,000 rounds of xorshift (~1 ms of CPU on this machine; 1 ms per record is 1,000 CPU s per million records). Throughput job: ${THROUGHPUT.records.toLocaleString('en')} records of 4 fields, keyed by 10,000 keys.`,
        'Idle RSS: jobmanager.sh start (session), then one TaskManager with 2 slots, read after it has registered and idled.',
        ...(quickMode() ? ['TSFLINK_BENCH_QUICK=1: one round of fewer records; not figures to publish.'] : []),
      ],
    };
  } finally {
    await done();
  }
}
