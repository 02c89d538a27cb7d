import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { logLineTime, residentSetBytes } from '../test/helpers/cluster-probes.js';
import { getJson, restUrlFrom, TestDist } from '../test/helpers/test-dist.js';
import { baseline, currentEnvironment, metric, type BenchResult } from './benchmark.js';
import { startIdleNode, timeBareHttpServer, timeBareNodeProcess, timeUnixSocketCloseAfterKill } from './node-baselines.js';
import { onCleanup } from './process-cleanup.js';

/** Registry name: `npm run bench startup`. */
export const name = 'startup';

const RUNS = 5;
const IDLE_MS = 2000;
const MB = 1024 * 1024;

/** What one fresh cluster yields. */
interface ClusterSample {
  readonly jobManagerReadyMs: number;
  readonly taskManagerRegisteredMs: number;
  readonly jobManagerRssMb: number;
  readonly taskManagerRssMb: number;
  readonly bareNodeRssMb: number;
  readonly killNoticedMs: number;
}

/** `jobmanager.sh start` until REST answers /overview; returns the elapsed ms and the REST URL. */
export async function startJobManager(dist: TestDist): Promise<{ ms: number; url: string }> {
  const startedAt = performance.now();
  const result = await dist.run('jobmanager.sh', ['start']);
  if (result.exitCode !== 0) throw new Error(`jobmanager.sh start failed: ${result.stderr}`);
  const url = restUrlFrom(result.stdout);
  await getJson(url, '/overview');
  return { ms: performance.now() - startedAt, url };
}

/** `taskmanager.sh start` until it returns, which it does once the JobManager accepted the registration. */
export async function startTaskManager(dist: TestDist, url: string): Promise<number> {
  const startedAt = performance.now();
  const result = await dist.run('taskmanager.sh', ['start']);
  const elapsed = performance.now() - startedAt;
  if (result.exitCode !== 0 || !/registered with the JobManager/.test(result.stdout))
    throw new Error(`taskmanager.sh start did not register: ${result.stdout}${result.stderr}`);
  const overview = await getJson<{ taskmanagers: number }>(url, '/overview');
  if (overview.taskmanagers !== 1) throw new Error(`expected 1 registered TaskManager, REST shows ${overview.taskmanagers}`);
  return elapsed;
}

/** Kills the TaskManager with SIGKILL and reads, from the JobManager's log, when it noticed. */
async function killAndTimeNotice(dist: TestDist, taskManagerPid: number): Promise<number> {
  const lostLine = new RegExp(`^.* TaskManager \\S*:${taskManagerPid}-\\S* lost: .*$`, 'm');
  const killedAt = Date.now();
  process.kill(taskManagerPid, 'SIGKILL');
  const deadline = killedAt + 15_000;
  while (Date.now() < deadline) {
    const line = lostLine.exec(dist.log('standalonesession', 0))?.[0];
    if (line !== undefined) return logLineTime(line) - killedAt;
    await sleep(10);
  }
  throw new Error(`the JobManager did not log the loss of TaskManager pid ${taskManagerPid} within 15 s`);
}

async function measureCluster(): Promise<ClusterSample> {
  const dist = TestDist.create();
  const done = onCleanup(() => dist.destroy());
  try {
    const jobManager = await startJobManager(dist);
    const taskManagerRegisteredMs = await startTaskManager(dist, jobManager.url);
    const bare = await startIdleNode();
    await sleep(IDLE_MS);
    const [jobManagerPid] = dist.pids('standalonesession');
    const [taskManagerPid] = dist.pids('taskexecutor');
    const rss = { jm: residentSetBytes(jobManagerPid!), tm: residentSetBytes(taskManagerPid!), bare: residentSetBytes(bare.pid) };
    await bare.stop();
    const killNoticedMs = await killAndTimeNotice(dist, taskManagerPid!);
    return {
      jobManagerReadyMs: jobManager.ms,
      taskManagerRegisteredMs,
      jobManagerRssMb: rss.jm / MB,
      taskManagerRssMb: rss.tm / MB,
      bareNodeRssMb: rss.bare / MB,
      killNoticedMs,
    };
  } finally {
    await done();
  }
}

/** Baselines of one round, measured between the cluster runs so both see the same machine load. */
async function measureBaselines(): Promise<{ bareProcessMs: number; bareHttpMs: number; socketCloseMs: number }> {
  return {
    bareProcessMs: await timeBareNodeProcess(),
    bareHttpMs: await timeBareHttpServer(),
    socketCloseMs: await timeUnixSocketCloseAfterKill(),
  };
}

/** Startup latency, idle memory and failure detection of a cluster started through the bin scripts. */
export async function run(): Promise<BenchResult> {
  const samples: ClusterSample[] = [];
  const bases: Array<Awaited<ReturnType<typeof measureBaselines>>> = [];
  for (let i = 0; i < RUNS; i++) {
    samples.push(await measureCluster());
    bases.push(await measureBaselines());
  }
  const of = <K extends keyof ClusterSample>(key: K): number[] => samples.map((s) => s[key]);
  const bareProcess = baseline(
    "`node -e ''` start to exit",
    bases.map((b) => b.bareProcessMs),
  );
  return {
    name,
    ranAt: new Date().toISOString(),
    environment: currentEnvironment(),
    metrics: [
      metric('`jobmanager.sh start` until REST answers', 'ms', of('jobManagerReadyMs'), {
        baselines: [
          bareProcess,
          baseline(
            'bare node:http server started and answering',
            bases.map((b) => b.bareHttpMs),
          ),
        ],
        target: { comparison: '<', value: 400 },
      }),
      metric('`taskmanager.sh start` until registered', 'ms', of('taskManagerRegisteredMs'), {
        baselines: [bareProcess],
        target: { comparison: '<', value: 300 },
      }),
      metric(`JobManager idle RSS (after ${IDLE_MS / 1000} s)`, 'MB', of('jobManagerRssMb'), {
        baselines: [baseline('idle bare `node`', of('bareNodeRssMb'))],
        target: { comparison: '<', value: 80 },
      }),
      metric(`TaskManager idle RSS (after ${IDLE_MS / 1000} s)`, 'MB', of('taskManagerRssMb'), {
        baselines: [baseline('idle bare `node`', of('bareNodeRssMb'))],
        target: { comparison: '<', value: 80 },
      }),
      metric('kill -9 of a TaskManager until the JobManager logs the loss', 'ms', of('killNoticedMs'), {
        baselines: [
          baseline(
            'plain Unix-socket server sees close after kill -9 of its client',
            bases.map((b) => b.socketCloseMs),
          ),
        ],
        target: { comparison: '<', value: 100 },
      }),
    ],
    notes: [
      `${RUNS} fresh clusters (own conf, pid, log and tmp dirs), started with the real bin/ scripts; script times include bash and the CLI process.`,
      "kill -9 detection compares the JobManager log line's millisecond timestamp with the wall clock at the kill.",
    ],
  };
}
