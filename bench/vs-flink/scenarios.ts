import { setTimeout as sleep } from 'node:timers/promises';
import { cpuTimeMs, logLineTime, residentSetBytes } from '../../test/helpers/cluster-probes.js';
import { percentile, steadyLoad } from '../rest.js';
import { restGet, type ClusterConfig, type ClusterUnderTest, type JobName } from './systems.js';

const MB = 1024 * 1024;

/**
 * Reactive Mode with both systems tuned alike for fast rescaling: checkpoints every second,
 * heartbeat.timeout 5 s, and Flink 1.20's waits between rescales (30 s cooldown, 10 s resource
 * stabilization) turned off, which are tsflink's defaults.
 */
export const TUNED_FOR_RESCALING: ClusterConfig = {
  'scheduler-mode': 'reactive',
  'execution.checkpointing.interval': '1 s',
  'heartbeat.interval': '1 s',
  'heartbeat.timeout': '5 s',
  'jobmanager.adaptive-scheduler.scaling-interval.min': '0 s',
  'jobmanager.adaptive-scheduler.resource-stabilization-timeout': '0 s',
};

/** Makes a fresh cluster of one system with the given options. */
export type ClusterFactory = (config: ClusterConfig) => Promise<ClusterUnderTest>;

/** Runs `body` on a fresh cluster and always tears it down. */
async function withCluster<T>(make: ClusterFactory, config: ClusterConfig, body: (c: ClusterUnderTest) => Promise<T>): Promise<T> {
  const cluster = await make(config);
  try {
    return await body(cluster);
  } finally {
    await cluster.destroy();
  }
}

/** Startup and idle memory of a session cluster with one TaskManager. */
export interface StartupSample {
  readonly jobManagerMs: number;
  readonly taskManagerMs: number;
  readonly jobManagerRssMb: number;
  readonly taskManagerRssMb: number;
}

/** Idle time before reading RSS, as in the startup benchmark. */
const IDLE_MS = 2000;

export async function measureStartup(make: ClusterFactory, config: ClusterConfig): Promise<StartupSample> {
  return withCluster(make, config, async (c) => {
    const jobManagerMs = await c.startJobManager({ kind: 'session' });
    const taskManagerMs = await c.startTaskManager();
    await sleep(IDLE_MS);
    return {
      jobManagerMs,
      taskManagerMs,
      jobManagerRssMb: residentSetBytes(c.jobManagerPid()) / MB,
      taskManagerRssMb: residentSetBytes(c.taskManagerPids()[0]!) / MB,
    };
  });
}

/** The one job a cluster runs, once REST lists it. */
export async function onlyJob(c: ClusterUnderTest): Promise<string> {
  for (;;) {
    const { jobs } = await restGet<{ jobs: Array<{ id: string }> }>(c, '/jobs').catch(() => ({ jobs: [] }));
    if (jobs.length === 1) return jobs[0]!.id;
    await sleep(20);
  }
}

/**
 * When the JobManager log shows every subtask running at `parallelism`, after line `from`.
 * tsflink logs one line for it; Flink logs each subtask's INITIALIZING → RUNNING, so those are
 * counted per vertex, starting over whenever the job restarts again.
 */
export async function runningAt(
  c: ClusterUnderTest,
  from: number,
  parallelism: number,
  vertices: number,
  timeoutMs = 180_000,
): Promise<{ time: number; line: number }> {
  const all = new RegExp(`All \\d+ subtasks of job \\w+ are running \\(.*: ${parallelism}\\)`);
  const subtask = new RegExp(`^.* - (.*) \\((\\d+)/${parallelism}\\)(?: #\\d+)? \\(\\S+\\) switched from INITIALIZING to RUNNING`);
  const restart = /switched from state RUNNING to (RESTARTING|FAILING|CANCELLING)/;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const lines = c.jobManagerLog().split('\n').slice(from);
    const seen = new Set<string>();
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (all.test(line)) return { time: logLineTime(line), line: from + i + 1 };
      if (restart.test(line)) seen.clear();
      const m = subtask.exec(line);
      if (m !== null) {
        seen.add(`${m[1]}#${m[2]}`);
        if (seen.size >= vertices * parallelism) return { time: logLineTime(line), line: from + i + 1 };
      }
    }
    await sleep(10);
  }
  throw new Error(`${c.system}: the job did not run at parallelism ${parallelism} within ${timeoutMs} ms`);
}

/** Lines in the JobManager's log now. */
export function mark(c: ClusterUnderTest): number {
  return c.jobManagerLog().split('\n').length - 1;
}

/** Waits for a checkpoint to complete after line `from`. */
export async function checkpointAfter(c: ClusterUnderTest, from: number, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      c
        .jobManagerLog()
        .split('\n')
        .slice(from)
        .some((l) => /Completed checkpoint \d+/.test(l))
    )
      return;
    await sleep(20);
  }
  throw new Error(`${c.system}: no checkpoint completed within ${timeoutMs} ms`);
}

/**
 * Records replayed by the rescale logged after line `from`. tsflink logs the exact count. Flink
 * does not; it is estimated as what the sources emitted between the restored checkpoint's trigger
 * time (its "Restoring job … from Checkpoint n @ t" line) and the old run's end.
 */
function replayed(c: ClusterUnderTest, from: number, sourceRecordsPerSecond: number): number | undefined {
  const lines = c.jobManagerLog().split('\n').slice(from);
  const exact = lines.map((l) => /New run after.*records replayed (\d+)/.exec(l)).find((m) => m !== null);
  if (exact) return Number(exact[1]);
  const restoring = lines.map((l) => /Restoring job \w+ from Checkpoint \d+ @ (\d+)/.exec(l)).find((m) => m !== null);
  const ended = lines.find((l) => /switched from state RUNNING to (RESTARTING|FAILING|CANCELLING)/.test(l));
  if (!restoring || ended === undefined) return undefined;
  return Math.max(0, Math.round(((logLineTime(ended) - Number(restoring[1])) / 1000) * sourceRecordsPerSecond));
}

/** One rescale kind: what is done and the parallelism the job runs at after it. */
export type RescaleStep = 'up' | 'stop' | 'kill';

/** What one reactive-mode run yields. */
export interface RescaleSample {
  /** Ms from the action to every subtask running at the new parallelism, per step in order. */
  readonly steps: ReadonlyArray<{ step: RescaleStep; ms: number; replayed: number | undefined; restoreMs: number | undefined }>;
  /** end_to_end_duration of the last checkpoint before the first rescale. */
  readonly checkpointMs: number | undefined;
  readonly checkpointBytes: number | undefined;
}

/** The reactive scenario of the Elastic Scaling page on one system. */
export interface RescaleScenario {
  readonly job: JobName;
  readonly args: readonly string[];
  readonly config: ClusterConfig;
  readonly steps: readonly RescaleStep[];
  /** Records per second one source subtask emits (for Flink's replay estimate). */
  readonly sourceRate: number;
  /** Wait until a completed checkpoint holds this many bytes before rescaling. */
  readonly fillBytes?: number;
}

/** Flink's /subtasktimes: when each subtask of a vertex entered each state. */
interface SubtaskTimes {
  subtasks: Array<{ timestamps: Partial<Record<'INITIALIZING' | 'RUNNING', number>> }>;
}

/**
 * How long the restore of a rescale took, read the same way on both systems: the slowest subtask's
 * time from INITIALIZING (state being restored) to RUNNING, over every vertex of the job.
 */
async function restoreTime(c: ClusterUnderTest, jobId: string): Promise<number | undefined> {
  const job = await restGet<{ vertices: Array<{ id: string }> }>(c, `/jobs/${jobId}`);
  let slowest: number | undefined;
  for (const vertex of job.vertices) {
    const times = await restGet<SubtaskTimes>(c, `/jobs/${jobId}/vertices/${vertex.id}/subtasktimes`);
    for (const { timestamps } of times.subtasks) {
      const { INITIALIZING: from, RUNNING: to } = timestamps;
      if (from !== undefined && to !== undefined && from > 0 && to >= from) slowest = Math.max(slowest ?? 0, to - from);
    }
  }
  return slowest;
}

interface CheckpointStats {
  latest?: { completed?: { end_to_end_duration?: number; state_size?: number; checkpointed_size?: number } | null };
}

export async function measureRescale(make: ClusterFactory, scenario: RescaleScenario): Promise<RescaleSample> {
  return withCluster(make, scenario.config, async (c) => {
    await c.startJobManager({ kind: 'application', job: scenario.job, args: scenario.args });
    await c.startTaskManager();
    const jobId = await onlyJob(c);
    const vertices = async (): Promise<number> => (await restGet<{ vertices: unknown[] }>(c, `/jobs/${jobId}`)).vertices.length;
    let at = (await runningAt(c, 0, 1, await vertices())).line;
    const count = await vertices();
    const latest = async () => (await restGet<CheckpointStats>(c, `/jobs/${jobId}/checkpoints`)).latest?.completed ?? undefined;
    if (scenario.fillBytes !== undefined) {
      const deadline = Date.now() + 300_000;
      for (;;) {
        const done = await latest();
        if ((done?.state_size ?? done?.checkpointed_size ?? 0) >= scenario.fillBytes) break;
        if (Date.now() > deadline) throw new Error(`${c.system}: the state did not reach ${scenario.fillBytes / MB} MB`);
        await sleep(200);
      }
    }
    await checkpointAfter(c, at);
    const before = await latest();
    const steps: Array<{ step: RescaleStep; ms: number; replayed: number | undefined; restoreMs: number | undefined }> = [];
    let parallelism = 1;
    for (const step of scenario.steps) {
      const from = mark(c);
      const old = parallelism;
      const t0 = Date.now();
      if (step === 'up') {
        await c.startTaskManager();
        parallelism++;
      } else if (step === 'stop') {
        await c.stopTaskManager();
        parallelism--;
      } else {
        c.killTaskManager();
        parallelism--;
      }
      const running = await runningAt(c, from, parallelism, count);
      const replayedRecords = replayed(c, from, scenario.sourceRate * old);
      at = running.line;
      await checkpointAfter(c, at);
      // Read after the checkpoint: Flink's REST answers from a cache a few seconds old.
      steps.push({ step, ms: running.time - t0, replayed: replayedRecords, restoreMs: await restoreTime(c, jobId) });
    }
    return { steps, checkpointMs: before?.end_to_end_duration, checkpointBytes: before?.state_size ?? before?.checkpointed_size };
  });
}

/** One bounded run of the throughput job on a session cluster. */
export interface ThroughputSample {
  readonly recordsPerSecond: number;
  readonly cpuSecondsPerMillion: number;
}

async function uploadAndRun(
  c: ClusterUnderTest,
  job: JobName,
  entryClass: string,
  args: readonly string[],
  parallelism: number,
): Promise<string> {
  const form = new FormData();
  form.append('jarfile', new Blob([await c.jar(job)], { type: 'application/x-java-archive' }), `${job}.jar`);
  const upload = await fetch(`${c.restUrl}/jars/upload`, { method: 'POST', body: form });
  if (!upload.ok) throw new Error(`${c.system} /jars/upload: HTTP ${upload.status} ${await upload.text()}`);
  const jarId = ((await upload.json()) as { filename: string }).filename.split('/').at(-1)!;
  const run = await fetch(`${c.restUrl}/jars/${jarId}/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ entryClass, programArgsList: args, parallelism }),
  });
  if (!run.ok) throw new Error(`${c.system} /jars/${jarId}/run: HTTP ${run.status} ${await run.text()}`);
  return ((await run.json()) as { jobid: string }).jobid;
}

interface JobDetails {
  state: string;
  timestamps: Record<string, number>;
}

export async function measureThroughput(make: ClusterFactory, records: number, runs: number): Promise<ThroughputSample[]> {
  return withCluster(make, { 'taskmanager.numberOfTaskSlots': 1 }, async (c) => {
    await c.startJobManager({ kind: 'session' });
    await c.startTaskManager();
    await c.startTaskManager();
    const samples: ThroughputSample[] = [];
    for (let i = 0; i < runs; i++) {
      const cpu = () => c.taskManagerPids().reduce((sum, pid) => sum + cpuTimeMs(pid), cpuTimeMs(c.jobManagerPid()));
      const cpuBefore = cpu();
      const jobId = await uploadAndRun(c, 'throughput', 'org.tsflink.bench.Throughput', ['--records', String(records)], 2);
      let details: JobDetails;
      for (;;) {
        details = await restGet<JobDetails>(c, `/jobs/${jobId}`);
        if (['FINISHED', 'FAILED', 'CANCELED'].includes(details.state)) break;
        await sleep(20);
      }
      if (details.state !== 'FINISHED') throw new Error(`${c.system}: the throughput job ended ${details.state}`);
      const seconds = (details.timestamps.FINISHED! - details.timestamps.RUNNING!) / 1000;
      samples.push({ recordsPerSecond: records / seconds, cpuSecondsPerMillion: (cpu() - cpuBefore) / 1000 / (records / 1e6) });
    }
    return samples;
  });
}

/** p99 of REST GETs at 200 requests/s against a cluster running the keyed-state job, after a 3 s warm-up. */
export async function measureRestP99(make: ClusterFactory, seconds: number): Promise<number> {
  return withCluster(make, {}, async (c) => {
    await c.startJobManager({ kind: 'application', job: 'state', args: ['--keys', '1000', '--rate', '1000'] });
    await c.startTaskManager();
    const jobId = await onlyJob(c);
    await runningAt(c, 0, 1, (await restGet<{ vertices: unknown[] }>(c, `/jobs/${jobId}`)).vertices.length);
    const paths = ['/overview', `/jobs/${jobId}`, `/jobs/${jobId}/checkpoints`, '/taskmanagers'];
    // A warm-up at the same rate first, so neither side is measured on its first (cold) requests.
    const warmUp = steadyLoad(
      () => c.restUrl,
      () => paths,
    );
    await sleep(3000);
    await warmUp.stop();
    const load = steadyLoad(
      () => c.restUrl,
      () => paths,
    );
    await sleep(seconds * 1000);
    const latencies = await load.stop();
    return percentile([...latencies.values()].flat(), 99);
  });
}
