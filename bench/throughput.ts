import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyFileSync } from 'node:fs';
import { TASK_MANAGER_SLOT_THREADS } from '../src/config/options/taskmanager-options.js';
import { logLineTime, residentSetBytes } from '../test/helpers/cluster-probes.js';
import { FLINK_HOME, TestDist } from '../test/helpers/test-dist.js';
import { baseline, currentEnvironment, metric, quickMode, type BenchResult } from './benchmark.js';
import { onCleanup } from './process-cleanup.js';

/** Registry name: `npm run bench throughput`. */
export const name = 'throughput';

const RUNS = quickMode() ? 1 : 3;
const RECORDS = quickMode() ? 1_000_000 : 8_000_000;
const SLOW_RECORDS = quickMode() ? 100_000 : 600_000;
const MB = 1024 * 1024;
/** Main class of bench/jobs/throughput-job.ts. */
export const JOB_CLASS = 'org.tsflink.bench.Throughput';

/** One job run: records/s between RUNNING and FINISHED and from the command to its exit, and data-socket bytes/s. */
interface JobRun {
  readonly recordsPerSecond: number;
  /** Records over the whole command: standalone-job.sh start-foreground until the JobManager exits. */
  readonly commandRecordsPerSecond: number;
  readonly bytesPerSecond: number;
  readonly elapsedMs: number;
}

/** One `standalone-job.sh start-foreground` run: `from` (the job's RUNNING) → FINISHED, the whole command, and what it printed. */
export async function timeJob(
  dist: TestDist,
  args: readonly string[],
  from = JOB_RUNNING,
): Promise<{ elapsedMs: number; commandMs: number; output: string }> {
  const commandStart = performance.now();
  const result = await dist.startForeground('standalone-job.sh', args);
  const commandMs = performance.now() - commandStart;
  const output = String(result.all);
  return { elapsedMs: runningToFinishedMs(result.exitCode, output, from), commandMs, output };
}

/** One run of the job on the dist's TaskManagers. */
async function runJob(dist: TestDist, args: readonly string[]): Promise<JobRun> {
  const before = bytesSentInLogs(dist);
  const { elapsedMs, commandMs } = await timeJob(dist, ['-Dparallelism.default=2', '-j', JOB_CLASS, ...args]);
  const records = Number(args[args.indexOf('--records') + 1]);
  return {
    recordsPerSecond: records / (elapsedMs / 1000),
    commandRecordsPerSecond: records / (commandMs / 1000),
    bytesPerSecond: (bytesSentInLogs(dist) - before) / (elapsedMs / 1000),
    elapsedMs,
  };
}

/** The job's RUNNING line of a foreground JobManager's output. */
export const JOB_RUNNING = /switched from state CREATED to RUNNING/;

/** Milliseconds from the first line matching `from` to the job's FINISHED line of a foreground JobManager's output. */
export function runningToFinishedMs(exitCode: number | undefined, output: string, from = JOB_RUNNING): number {
  if (exitCode !== 0) throw new Error(`the benchmark job failed:\n${output.slice(-2000)}`);
  const running = output.split('\n').find((l) => from.test(l));
  const finished = output.split('\n').find((l) => /switched from state RUNNING to FINISHED/.test(l));
  if (running === undefined || finished === undefined) throw new Error(`no ${from.source} or FINISHED line in the JobManager output`);
  return Math.max(1, logLineTime(finished) - logLineTime(running));
}

/** Bytes the TaskManagers' tasks report having sent over data sockets, summed over their logs. */
function bytesSentInLogs(dist: TestDist): number {
  let total = 0;
  for (const instance of [0, 1]) {
    for (const match of dist.log('taskexecutor', instance).matchAll(/bytes sent: (\d+)/g)) total += Number(match[1]);
  }
  return total;
}

/**
 * The raw baseline: the same batches and codec between two processes over one Unix socket. The writer
 * generates `records` and sends every `every`-th; records/s counts all it generated.
 */
async function rawPipe(records: number, every: number): Promise<{ recordsPerSecond: number; bytesPerSecond: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'tsf-raw-'));
  const socket = join(dir, 'raw.sock');
  const script = join(FLINK_HOME, 'dist', 'bench', 'raw', 'raw-pipe.js');
  const reader = execa(process.execPath, [script, 'reader', socket], { reject: false });
  const done = onCleanup(() => {
    reader.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  try {
    let output = '';
    let ready: () => void = () => undefined;
    const isReady = new Promise<void>((resolve) => {
      ready = resolve;
    });
    reader.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) ready();
    });
    await isReady;
    await execa(process.execPath, [script, 'writer', socket, String(records), String(every)]);
    await reader;
    const line = output.split('\n').find((l) => l.startsWith('{'));
    if (line === undefined) throw new Error(`the raw reader reported nothing: ${output}`);
    const report = JSON.parse(line) as { records: number; bytes: number; ms: number };
    return { recordsPerSecond: records / (report.ms / 1000), bytesPerSecond: report.bytes / (report.ms / 1000) };
  } finally {
    await done();
  }
}

/** Peak RSS of each TaskManager while the sink is about ten times slower than the source. */
async function slowSinkPeakRss(dist: TestDist): Promise<number[]> {
  const pids = dist.pids('taskexecutor');
  const peaks = pids.map(() => 0);
  const sampler = setInterval(
    () =>
      pids.forEach((pid, i) => {
        peaks[i] = Math.max(peaks[i]!, residentSetBytes(pid) / MB);
      }),
    100,
  );
  try {
    await runJob(dist, ['--records', String(SLOW_RECORDS), '--sink-delay-every', '1', '--sink-spin-us', '8']);
  } finally {
    clearInterval(sampler);
  }
  return peaks;
}

/** A dist with the throughput job in lib/ and two one-slot TaskManagers running; `done` tears it down. */
export async function throughputCluster(): Promise<{ dist: TestDist; done: () => Promise<void> }> {
  const dist = TestDist.create({ config: { 'taskmanager.numberOfTaskSlots': 1 } });
  const done = onCleanup(() => dist.destroy());
  copyFileSync(join(FLINK_HOME, 'dist', 'bench', 'jobs', 'throughput-job.js'), join(dist.libDir, 'throughput-job.mjs'));
  try {
    await freshTaskManagers(dist);
  } catch (error) {
    await done();
    throw error;
  }
  return { dist, done };
}

/**
 * Replaces the dist's TaskManagers with `count` new ones. Every measured job runs on TaskManagers no
 * earlier job ran on, as in application mode: each job is a new module instance, and after a few
 * jobs the shared runtime code's call sites have seen so many different user functions that V8
 * optimizes them less (a third job on the same TaskManager ran up to 2x slower).
 */
export async function freshTaskManagers(dist: TestDist, count = 2): Promise<void> {
  await dist.run('taskmanager.sh', ['stop-all']);
  for (let i = 0; i < count; i++) {
    const started = await dist.run('taskmanager.sh', ['start']);
    if (started.exitCode !== 0) throw new Error(`taskmanager.sh start failed: ${started.stderr}`);
  }
}

export async function run(): Promise<BenchResult> {
  const { dist, done } = await throughputCluster();
  try {
    const idleRss = dist.pids('taskexecutor').map((pid) => residentSetBytes(pid) / MB);
    const jobRuns: JobRun[] = [];
    const singleLoopRuns: JobRun[] = [];
    const rawAll: Array<{ recordsPerSecond: number; bytesPerSecond: number }> = [];
    const rawHalf: Array<{ recordsPerSecond: number; bytesPerSecond: number }> = [];
    for (let i = 0; i < RUNS; i++) {
      if (i > 0) await freshTaskManagers(dist);
      jobRuns.push(await runJob(dist, ['--records', String(RECORDS)]));
      dist.writeConfig({ [TASK_MANAGER_SLOT_THREADS.key]: false });
      await freshTaskManagers(dist);
      singleLoopRuns.push(await runJob(dist, ['--records', String(RECORDS)]));
      dist.writeConfig({});
      rawAll.push(await rawPipe(RECORDS, 1));
      rawHalf.push(await rawPipe(RECORDS, 2));
    }
    await freshTaskManagers(dist);
    const peaks = await slowSinkPeakRss(dist);
    const allCross = baseline(
      'raw pipe, every record crosses one Unix socket',
      rawAll.map((r) => r.recordsPerSecond),
    );
    const halfCross = baseline(
      'raw pipe, every 2nd record crosses one Unix socket (as in the job)',
      rawHalf.map((r) => r.recordsPerSecond),
    );
    const job = jobRuns.map((r) => r.recordsPerSecond);
    return {
      name,
      ranAt: new Date().toISOString(),
      environment: currentEnvironment(),
      metrics: [
        metric('source → keyBy → reduce → discard, 2 TaskManagers × 1 slot, parallelism 2, RUNNING → FINISHED', 'records/s', job, {
          baselines: [
            baseline(
              'the same job with slot threads off (every task on the TaskManager event loop)',
              singleLoopRuns.map((r) => r.recordsPerSecond),
            ),
            halfCross,
            allCross,
          ],
          target: { comparison: '>', value: 1_000_000 },
        }),
        metric(
          'the same job, standalone-job.sh start-foreground → its exit',
          'records/s',
          jobRuns.map((r) => r.commandRecordsPerSecond),
        ),
        metric(
          'job throughput (RUNNING → FINISHED) as a share of a raw pipe sending the same half of the records across a socket',
          '%',
          job.map((r, i) => (100 * r) / rawHalf[i]!.recordsPerSecond),
          { target: { comparison: '>', value: 50 } },
        ),
        metric(
          'data-socket bytes sent by the job',
          'MB/s',
          jobRuns.map((r) => r.bytesPerSecond / MB),
          {
            baselines: [
              baseline(
                'raw pipe, every record crosses',
                rawAll.map((r) => r.bytesPerSecond / MB),
              ),
            ],
          },
        ),
        metric('peak TaskManager RSS with a sink ~10x slower than the source', 'MB', peaks, {
          baselines: [baseline('idle TaskManager RSS', idleRss)],
          target: { comparison: '<', value: 200 },
        }),
      ],
      notes: [
        `${RECORDS.toLocaleString('en')} records of 4 fields (int, long, double, string) per run on two new TaskManagers. The first row is timed from the job's RUNNING to FINISHED (includes deployment); the second from running standalone-job.sh start-foreground to the JobManager process exiting (JobManager start, job submission, deployment and shutdown included; the TaskManagers were already running).`,
        `The slot-threads-off baseline runs the same job in the same round on two new TaskManagers started with ${TASK_MANAGER_SLOT_THREADS.key}: false; \`npm run bench -- cores\` compares both paths in more layouts.`,
        'Share of the raw socket: in the job about half of the records cross a data socket to the other TaskManager and half stay in-process, so the share is taken against a raw pipe whose writer generates every record and sends every 2nd one over a Unix socket; the all-records raw pipe is shown beside it for reference.',
        ...(quickMode() ? ['TSFLINK_BENCH_QUICK=1: one run of fewer records; not figures to publish.'] : []),
      ],
    };
  } finally {
    await done();
  }
}
