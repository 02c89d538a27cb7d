/**
 * A load step on real processes: an adaptive-scheduler tsflink job whose input steps up and down
 * (the scheduled-load fixture: a keyed counter with a capacity of 4000 records/s per subtask) on
 * one-slot TaskManagers, under some controller: Flink's autoscaler (our driver around its library),
 * tsflink's own (inside the JobManager, by configuration), or none (a fixed parallelism). Samples
 * the job's parallelism and backlog every second, and gives what the controller reported.
 */
import { join } from 'node:path';
import { startScheduledLoadJob } from '../test/helpers/scheduled-load.js';
import { getJson, TestDist, waitFor } from '../test/helpers/test-dist.js';
import { onCleanup } from './process-cleanup.js';
import { startAutoscalerDriver, type DriverEvent } from './vs-flink/flink-autoscaler-driver.js';

/** One phase of the load: records per second for so many seconds. */
export interface LoadPhase {
  readonly rate: number;
  readonly seconds: number;
}

/** What the trial saw. */
export interface AutoscalerTrial {
  /** Epoch ms the load started. */
  readonly loadStartMs: number;
  readonly phases: readonly LoadPhase[];
  readonly events: readonly DriverEvent[];
  /** Vertex id → name, from GET /jobs/:id. */
  readonly vertexNames: Readonly<Record<string, string>>;
  /** The driver's stderr log (its end). */
  readonly driverLog: string;
  /** Samples of the job's vertex parallelism and the source's pendingRecords, every second. */
  readonly samples: ReadonlyArray<{ timeMs: number; parallelism: Record<string, number>; backlog: number }>;
}

/**
 * Autoscaler options short enough for a trial of minutes (Flink's defaults take an hour to scale
 * down), given alike to Flink's autoscaler and to tsflink's in the benchmark.
 */
export const FAST_FLINK_OPTIONS: Readonly<Record<string, string>> = {
  'autoscaler.standalone.control-loop.interval': '2 s',
  'job.autoscaler.enabled': 'true',
  'job.autoscaler.metrics.window': '15 s',
  'job.autoscaler.stabilization.interval': '5 s',
  'job.autoscaler.restart.time': '5 s',
  'job.autoscaler.catch-up.duration': '30 s',
  'job.autoscaler.scale-down.interval': '10 s',
  'job.autoscaler.vertex.max-parallelism': '3',
};

const KEYS = 50;

/** A controller started beside the job: what it reported, its log, and how to stop it. */
export interface TrialController {
  events(): DriverEvent[];
  log(): string;
  stop(): Promise<void>;
}

/** No controller of its own (the fixed baseline, or tsflink's autoscaler running inside the JobManager). */
export const NO_CONTROLLER = (): Promise<TrialController> =>
  Promise.resolve({ events: () => [], log: () => '', stop: () => Promise.resolve() });

/** Runs the scheduled-load job on an adaptive-scheduler tsflink cluster under `controller` until the load ends. */
export async function runScheduledTrial(
  phases: readonly LoadPhase[],
  clusterConfig: Readonly<Record<string, string | number | boolean>>,
  taskManagers: number,
  controller: (restUrl: string) => Promise<TrialController>,
): Promise<AutoscalerTrial> {
  const dist = TestDist.create({
    config: {
      'taskmanager.numberOfTaskSlots': 1,
      'execution.checkpointing.interval': '1 s',
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': 1000,
      'restart-strategy.fixed-delay.delay': '100 ms',
      'jobmanager.scheduler': 'adaptive',
      ...clusterConfig,
    },
  });
  const forget = onCleanup(() => dist.destroy());
  try {
    for (let i = 0; i < taskManagers; i++) {
      const started = await dist.run('taskmanager.sh', ['start']);
      if (started.exitCode !== 0) throw new Error(`taskmanager.sh start failed: ${started.stderr}`);
    }
    const loadStartMs = Date.now() + 5_000;
    const schedule = phases.map((p) => `${p.rate}:${p.seconds}`).join(',');
    const job = startScheduledLoadJob(dist, { schedule, startMs: loadStartMs, keys: KEYS, costUs: 250, output: join(dist.dir, 'counts') });
    const url = await waitFor('the REST URL', () => /Web frontend listening at (\S+)\./.exec(dist.log('standalonejob', 0))?.[1], 60_000);
    const jobId = await waitFor('the job', async () => (await getJson<{ jobs: Array<{ id: string }> }>(url, '/jobs')).jobs[0]?.id, 60_000);
    const running = await controller(url);
    const vertexNames: Record<string, string> = {};
    const samples: Array<{ timeMs: number; parallelism: Record<string, number>; backlog: number }> = [];
    let done = false;
    job.then(
      () => (done = true),
      () => (done = true),
    );
    const endMs = loadStartMs + phases.reduce((s, p) => s + p.seconds, 0) * 1000;
    try {
      // Samples until the job has finished or the load has been over for two minutes.
      while (!done && Date.now() < endMs + 120_000) {
        const sample = await sampleJob(url, jobId, vertexNames).catch(() => undefined);
        if (sample !== undefined) samples.push(sample);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    } finally {
      await running.stop();
    }
    return { loadStartMs, phases, events: running.events(), vertexNames, driverLog: running.log(), samples };
  } finally {
    await forget();
  }
}

/** Parallelism per vertex name and the source's backlog, now. */
async function sampleJob(
  url: string,
  jobId: string,
  names: Record<string, string>,
): Promise<{ timeMs: number; parallelism: Record<string, number>; backlog: number }> {
  const details = await getJson<{ vertices: Array<{ id: string; name: string; parallelism: number }> }>(url, `/jobs/${jobId}`);
  const parallelism: Record<string, number> = {};
  for (const v of details.vertices) {
    names[v.id] = v.name;
    parallelism[v.name] = v.parallelism;
  }
  const source = details.vertices[0]!;
  const metrics = await getJson<Array<{ id: string; sum?: number }>>(url, `/jobs/${jobId}/vertices/${source.id}/subtasks/metrics`);
  const pending = metrics.find((m) => m.id.endsWith('.pendingRecords'));
  const backlog =
    pending === undefined
      ? 0
      : ((await getJson<Array<{ sum?: number }>>(url, `/jobs/${jobId}/vertices/${source.id}/subtasks/metrics?get=${pending.id}&agg=sum`))[0]
          ?.sum ?? 0);
  return { timeMs: Date.now(), parallelism, backlog };
}

/** Flink's autoscaler (our driver) as a trial's controller. */
export function flinkAutoscalerController(
  options: Readonly<Record<string, string>> = FAST_FLINK_OPTIONS,
  logFile?: string,
): (restUrl: string) => Promise<TrialController> {
  return async (restUrl) => {
    const driver = await startAutoscalerDriver(restUrl, options, logFile);
    return { events: () => driver.events, log: driver.log, stop: driver.stop };
  };
}
