/**
 * REST under load: latency of `/overview` and `/jobs/:jobid` at 200 requests/s while the throughput
 * job runs, and what that load costs the job, against runs of the same job without load.
 */
import { Agent, get } from 'node:http';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { cpuTimeMs } from '../test/helpers/cluster-probes.js';
import type { TestDist } from '../test/helpers/test-dist.js';
import { baseline, currentEnvironment, metric, type Baseline, type BenchResult, type MetricResult } from './benchmark.js';
import { killQuietly, onCleanup } from './process-cleanup.js';
import { freshTaskManagers, JOB_CLASS, runningToFinishedMs, throughputCluster } from './throughput.js';

/** Registry name: `npm run bench rest`. */
export const name = 'rest';

const RUNS = 5;
const RECORDS = 30_000_000;
const REQUESTS_PER_SECOND = 200;

/** Latencies (ms) of the requests one run made, per path (/jobs/... paths grouped as /jobs/:jobid). */
export type Latencies = Map<string, number[]>;

/** One GET over a keep-alive agent: the milliseconds until the whole body arrived. */
function timedGet(agent: Agent, url: string): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    get(url, { agent }, (response) => {
      response.resume();
      response.on('end', () =>
        response.statusCode === 200 ? resolve(performance.now() - start) : reject(new Error(`GET ${url}: HTTP ${response.statusCode}`)),
      );
    }).on('error', reject);
  });
}

/**
 * Sends requests at a steady rate (200/s), alternating over `paths`, until stop() is called; each request
 * goes out at its planned time whether or not the previous one came back (an open-loop load).
 */
export function steadyLoad(baseUrl: () => string | undefined, paths: () => readonly string[]): { stop(): Promise<Latencies> } {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const latencies: Latencies = new Map();
  const inFlight = new Set<Promise<void>>();
  const interval = 1000 / REQUESTS_PER_SECOND;
  const startedAt = performance.now();
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    const due = Math.floor((performance.now() - startedAt) / interval);
    const base = baseUrl();
    const targets = paths();
    for (; sent < due; sent++) {
      if (base === undefined || targets.length === 0) continue;
      const path = targets[sent % targets.length]!;
      const request = timedGet(agent, `${base}${path}`).then(
        (ms) => {
          const key = path.startsWith('/jobs/') ? '/jobs/:jobid' : path;
          const list = latencies.get(key);
          if (list === undefined) latencies.set(key, [ms]);
          else list.push(ms);
        },
        () => undefined,
      );
      inFlight.add(request);
      const done = (): void => {
        inFlight.delete(request);
      };
      request.then(done, done);
    }
    timer = setTimeout(tick, interval / 2);
  };
  tick();
  return {
    async stop() {
      clearTimeout(timer);
      await Promise.all(inFlight);
      agent.destroy();
      return latencies;
    },
  };
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** The id of the cluster's one job, asked until it is listed (undefined when the cluster went away). */
async function findJob(url: string): Promise<string | undefined> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const listed = await fetch(`${url}/jobs`).then(
      (r) => r.json() as Promise<{ jobs: Array<{ id: string }> }>,
      () => undefined,
    );
    if (listed?.jobs[0] !== undefined) return listed.jobs[0].id;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return undefined;
}

/**
 * Which cores each side may use: with a core left free, the TaskManagers get core 0 and the
 * JobManager and the load (this process) core 1, so the figure is REST's cost and not the
 * scheduler moving a TaskManager's GC threads onto the core the requests need. Undefined: no pinning.
 */
interface CoreSplit {
  readonly taskManagers: string;
  readonly rest: string;
}

const ALL_CORES = `0-${Math.max(0, availableParallelism() - 1)}`;

/** Sets the CPU affinity of every thread of `pid` (Linux taskset); false when it cannot. */
async function pin(pid: number, cores: string): Promise<boolean> {
  const result = await execa('taskset', ['-a', '-p', '-c', cores, String(pid)], { reject: false });
  return result.exitCode === 0;
}

/** What one run of the job measured. */
interface JobRun {
  recordsPerSecond: number;
  latencies: Latencies;
  jobManagerCpuMs: number;
}

/** Where a run's requests go: nowhere, the JobManager's REST API, or a bare server (the load's own cost). */
type LoadTarget = 'none' | 'jobmanager' | { readonly bareUrl: string };

/** One run of the throughput job at `parallelism` (one TaskManager each), with the load sent to `target`. */
async function runJob(dist: TestDist, parallelism: number, target: LoadTarget, split: CoreSplit | undefined): Promise<JobRun> {
  const child = dist.startForeground('standalone-job.sh', [
    `-Dparallelism.default=${parallelism}`,
    '-j',
    JOB_CLASS,
    '--records',
    String(RECORDS),
  ]);
  let output = '';
  let jobId: string | undefined;
  let url: string | undefined;
  let jobManager: { pid: number; cpuAtStart: number } | undefined;
  let jobManagerCpuMs = 0;
  child.all!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (url !== undefined) return;
    url = /Web frontend listening at (http:\/\/\S+?)\.?\s/.exec(output)?.[1];
    if (url === undefined) return;
    const pid = dist.pids('standalonejob').at(-1);
    if (pid !== undefined) jobManager = { pid, cpuAtStart: cpuTimeMs(pid) };
    if (pid !== undefined && split !== undefined)
      pin(pid, split.rest).catch((error: unknown) => process.stderr.write(`could not pin the JobManager: ${String(error)}\n`));
    findJob(url).then(
      (id) => {
        jobId = id;
      },
      (error: unknown) => process.stderr.write(`could not find the job: ${String(error)}\n`),
    );
  });
  // The JobManager's CPU is read just before it winds down: once FINISHED is logged it exits.
  child.all!.on('data', () => {
    if (jobManager !== undefined && jobManagerCpuMs === 0 && /switched from state RUNNING to FINISHED/.test(output)) {
      try {
        jobManagerCpuMs = cpuTimeMs(jobManager.pid) - jobManager.cpuAtStart;
      } catch {
        /* already gone */
      }
    }
  });
  const load =
    target === 'none'
      ? undefined
      : target === 'jobmanager'
        ? steadyLoad(
            () => url,
            () => (jobId === undefined ? [] : ['/overview', `/jobs/${jobId}`]),
          )
        : steadyLoad(
            () => (url === undefined ? undefined : target.bareUrl),
            () => ['/overview'],
          );
  const result = await child;
  const latencies = (await load?.stop()) ?? new Map();
  return { recordsPerSecond: RECORDS / (runningToFinishedMs(result.exitCode, String(result.all)) / 1000), latencies, jobManagerCpuMs };
}

const BARE_SERVER =
  "const s=require('http').createServer((q,r)=>{r.setHeader('content-type','application/json');r.end(JSON.stringify({taskmanagers:2,'slots-total':2,'slots-available':0,'jobs-running':1,'jobs-finished':0,'jobs-cancelled':0,'jobs-failed':0,'flink-version':'1.20.0','flink-commit':'tsflink'}))});" +
  "s.listen(0,'127.0.0.1',()=>console.log(s.address().port));";

/** A bare node:http server answering a JSON body of /overview's size, in a process of its own. */
async function startBareServer(cores: string | undefined): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = execa(process.execPath, ['-e', BARE_SERVER], { reject: false });
  const stop = onCleanup(() => killQuietly(child.pid));
  let port = '';
  for await (const chunk of child.stdout) {
    port += String(chunk);
    if (port.includes('\n')) break;
  }
  if (cores !== undefined && child.pid !== undefined) await pin(child.pid, cores);
  return { url: `http://127.0.0.1:${port.trim()}`, stop };
}

/** p99 latency of the bare server at the same rate, for 5 s. */
async function bareServerP99(): Promise<number> {
  const server = await startBareServer(undefined);
  try {
    const load = steadyLoad(
      () => server.url,
      () => ['/overview'],
    );
    await new Promise((resolve) => setTimeout(resolve, 5000));
    return percentile((await load.stop()).get('/overview') ?? [], 99);
  } finally {
    await server.stop();
  }
}

/** Latency and throughput cost with the job at `parallelism`; targets apply to the configuration `targeted`. */
async function measureAt(
  dist: TestDist,
  parallelism: number,
  bare: Baseline,
  label: string,
  targeted: boolean,
  split: CoreSplit | undefined,
): Promise<MetricResult[]> {
  const quietRuns: JobRun[] = [];
  const loaded: JobRun[] = [];
  const bareLoaded: JobRun[] = [];
  await pin(process.pid, split?.rest ?? ALL_CORES);
  const bareServer = await startBareServer(split?.rest);
  /** Each run on new TaskManagers (see freshTaskManagers), pinned like the rest of the configuration. */
  const run = async (target: LoadTarget): Promise<JobRun> => {
    await freshTaskManagers(dist);
    for (const pid of dist.pids('taskexecutor')) await pin(pid, split?.taskManagers ?? ALL_CORES);
    return runJob(dist, parallelism, target, split);
  };
  try {
    // Triples in alternating order, so drift in the machine's speed favours no side.
    for (let i = 0; i < RUNS; i++) {
      const forward = i % 2 === 0;
      if (forward) quietRuns.push(await run('none'));
      else bareLoaded.push(await run({ bareUrl: bareServer.url }));
      loaded.push(await run('jobmanager'));
      if (forward) bareLoaded.push(await run({ bareUrl: bareServer.url }));
      else quietRuns.push(await run('none'));
    }
  } finally {
    await bareServer.stop();
  }
  const quiet = quietRuns.map((r) => r.recordsPerSecond);
  const cost = (runs: readonly JobRun[]): number[] => runs.map((r, i) => (100 * (quiet[i]! - r.recordsPerSecond)) / quiet[i]!);
  const target = (comparison: '<', value: number) => (targeted ? { target: { comparison, value } } : {});
  const latency = (path: string, p: number): number[] => loaded.map((r) => percentile(r.latencies.get(path) ?? [], p));
  const requests = loaded.map((r) => [...r.latencies.values()].reduce((n, l) => n + l.length, 0));
  return [
    metric(`${label}: /overview p99 latency at ${REQUESTS_PER_SECOND} req/s`, 'ms', latency('/overview', 99), {
      baselines: [bare],
      ...target('<', 5),
    }),
    metric(`${label}: /overview median latency`, 'ms', latency('/overview', 50)),
    metric(`${label}: /jobs/:jobid p99 latency at ${REQUESTS_PER_SECOND} req/s`, 'ms', latency('/jobs/:jobid', 99), {
      baselines: [bare],
      ...target('<', 5),
    }),
    metric(`${label}: /jobs/:jobid median latency`, 'ms', latency('/jobs/:jobid', 50)),
    metric(
      `${label}: job throughput under REST load`,
      'records/s',
      loaded.map((r) => r.recordsPerSecond),
      { baselines: [baseline('same job without load', quiet)] },
    ),
    metric(`${label}: throughput cost of the REST load`, '%', cost(loaded), {
      baselines: [baseline('the same load sent to a bare node:http server on the same core', cost(bareLoaded))],
      ...target('<', 2),
    }),
    // The JobManager's own work (deploying, tracking the job) is what it used in the run without load.
    metric(
      `${label}: JobManager CPU per answered request`,
      'ms',
      loaded.map((r, i) => Math.max(0, r.jobManagerCpuMs - quietRuns[i]!.jobManagerCpuMs) / Math.max(1, requests[i]!)),
    ),
  ];
}

export async function run(): Promise<BenchResult> {
  const { dist, done } = await throughputCluster();
  try {
    const bareBaseline = baseline('bare node:http server, same rate and body size', [
      await bareServerP99(),
      await bareServerP99(),
      await bareServerP99(),
    ]);
    // Pinning needs taskset and a second core; without them the first configuration runs unpinned.
    const split = availableParallelism() > 1 && (await pin(process.pid, ALL_CORES)) ? { taskManagers: '0', rest: '1' } : undefined;
    const metrics = [
      ...(await measureAt(dist, 1, bareBaseline, '1 TaskManager (a core left for the JobManager and the load)', true, split)),
      ...(await measureAt(dist, 2, bareBaseline, '2 TaskManagers (every core busy)', false, undefined)),
    ];
    return {
      name,
      ranAt: new Date().toISOString(),
      environment: currentEnvironment(),
      metrics,
      notes: [
        `${RECORDS.toLocaleString('en')} records per run through source → keyBy → reduce → discard, one slot per TaskManager, two new TaskManagers for every run; runs without load, with the load on the JobManager and with it on a bare server take turns in alternating order.`,
        'The load is open-loop (each request leaves at its planned time) over keep-alive connections from the benchmark process, on the same machine.',
        "With every core busy, the cost is the CPU the JobManager and the load generator take from the TaskManagers; the JobManager's share is the CPU-per-request figure.",
        'The cost stands beside the cost of the same load sent to a bare node:http server placed like the JobManager: what any server and the load generator take from the job on this machine.',
        "With a core left free, the TaskManagers are pinned to core 0 and the JobManager and the load to core 1 (taskset), so the cost is REST's and not the scheduler's; with every core busy nothing is pinned.",
      ],
    };
  } finally {
    await done();
  }
}
