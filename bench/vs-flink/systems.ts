import { copyFileSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeJar } from '../../src/packaging/jar-writer.js';
import { processExists } from '../../test/helpers/cluster-probes.js';
import { FLINK_HOME, restUrlFrom, TestDist } from '../../test/helpers/test-dist.js';
import { onCleanup } from '../process-cleanup.js';
import { FlinkCluster, type FlinkProcess } from './flink-cluster.js';
import type { FlinkDistribution } from './flink-distribution.js';

/** The jobs both systems run, by the entry class both use. */
export const JOBS = {
  throughput: { entryClass: 'org.tsflink.bench.Throughput', module: 'throughput-job.js' },
  state: { entryClass: 'org.tsflink.bench.KeyedState', module: 'state-job.js' },
  topSpeed: { entryClass: 'org.apache.flink.streaming.examples.windowing.TopSpeedWindowing', module: undefined },
} as const;

/** A job of JOBS. */
export type JobName = keyof typeof JOBS;

/** Options of a cluster (config.yaml keys), given identically to both systems. */
export type ClusterConfig = Readonly<Record<string, string | number | boolean>>;

/** How a cluster is started: a session, or an application cluster running one job. */
export type ClusterMode =
  { readonly kind: 'session' } | { readonly kind: 'application'; readonly job: JobName; readonly args: readonly string[] };

/**
 * One cluster of either system, driven the same way: processes started as each system's scripts
 * start them, REST at the same paths, the JobManager log in the same line format.
 */
export interface ClusterUnderTest {
  readonly system: 'tsflink' | 'Flink';
  readonly restUrl: string;
  /** Starts the JobManager; resolves with the ms until REST answers /overview. */
  startJobManager(mode: ClusterMode): Promise<number>;
  /** Starts one more TaskManager; resolves with the ms until REST lists it. */
  startTaskManager(): Promise<number>;
  /** Stops the newest TaskManager gracefully, as `taskmanager.sh stop`. */
  stopTaskManager(): Promise<void>;
  /** kill -9 of the newest TaskManager. */
  killTaskManager(): void;
  jobManagerPid(): number;
  taskManagerPids(): number[];
  /** The JobManager's log so far. */
  jobManagerLog(): string;
  /** Runs `bin/flink <args>` against this cluster. */
  cli(args: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  /** A jar of the job that this system's /jars/upload accepts. */
  jar(job: JobName): Promise<Buffer>;
  destroy(): Promise<void>;
}

/** GETs JSON from a cluster. */
export async function restGet<T>(cluster: ClusterUnderTest, path: string): Promise<T> {
  const response = await fetch(`${cluster.restUrl}${path}`);
  if (!response.ok) throw new Error(`${cluster.system} GET ${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

async function registeredTaskManagers(url: string): Promise<number> {
  const response = await fetch(`${url}/taskmanagers`);
  if (!response.ok) return -1;
  return ((await response.json()) as { taskmanagers: unknown[] }).taskmanagers.length;
}

/** tsflink through its bin/ scripts. */
class TsflinkCluster implements ClusterUnderTest {
  readonly system = 'tsflink';
  private readonly dist: TestDist;
  private url = '';
  private daemon: 'standalonesession' | 'standalonejob' = 'standalonesession';
  private readonly forget: () => Promise<void>;

  constructor(config: ClusterConfig) {
    this.dist = TestDist.create({ config });
    this.forget = onCleanup(() => this.dist.destroy());
    this.dist.writeConfig({ 'execution.checkpointing.dir': `file://${join(this.dist.dir, 'chk')}` });
  }

  get restUrl(): string {
    return this.url;
  }

  async startJobManager(mode: ClusterMode): Promise<number> {
    const t0 = performance.now();
    let result;
    if (mode.kind === 'session') {
      result = await this.dist.run('jobmanager.sh', ['start']);
    } else {
      this.daemon = 'standalonejob';
      const job = JOBS[mode.job];
      if (job.module === undefined)
        copyFileSync(join(FLINK_HOME, 'examples', 'streaming', 'TopSpeedWindowing.jar'), join(this.dist.libDir, 'TopSpeedWindowing.jar'));
      else copyFileSync(join(FLINK_HOME, 'dist', 'bench', 'jobs', job.module), join(this.dist.libDir, job.module.replace(/\.js$/, '.mjs')));
      result = await this.dist.run('standalone-job.sh', ['start', '-j', job.entryClass, ...mode.args]);
    }
    if (result.exitCode !== 0) throw new Error(`tsflink JobManager did not start: ${result.stdout}${result.stderr}`);
    this.url = restUrlFrom(result.stdout);
    while (
      !(await fetch(`${this.url}/overview`)
        .then((r) => r.ok)
        .catch(() => false))
    )
      await sleep(5);
    return performance.now() - t0;
  }

  async startTaskManager(): Promise<number> {
    const before = await registeredTaskManagers(this.url);
    const t0 = performance.now();
    const result = await this.dist.run('taskmanager.sh', ['start']);
    if (result.exitCode !== 0) throw new Error(`tsflink taskmanager.sh start failed: ${result.stdout}${result.stderr}`);
    while ((await registeredTaskManagers(this.url)) <= before) await sleep(5);
    return performance.now() - t0;
  }

  async stopTaskManager(): Promise<void> {
    const result = await this.dist.run('taskmanager.sh', ['stop']);
    if (result.exitCode !== 0) throw new Error(`tsflink taskmanager.sh stop failed: ${result.stderr}`);
  }

  killTaskManager(): void {
    process.kill(this.dist.pids('taskexecutor').at(-1)!, 'SIGKILL');
  }

  jobManagerPid(): number {
    return this.dist.pids(this.daemon)[0]!;
  }

  taskManagerPids(): number[] {
    return this.dist.pids('taskexecutor').filter(processExists);
  }

  jobManagerLog(): string {
    return this.dist.log(this.daemon, 0);
  }

  async cli(args: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    return this.dist.run('flink', args);
  }

  async jar(job: JobName): Promise<Buffer> {
    const { entryClass, module } = JOBS[job];
    if (module === undefined) return readFileSync(join(FLINK_HOME, 'examples', 'streaming', 'TopSpeedWindowing.jar'));
    const dir = await mkdtemp(join(tmpdir(), 'tsf-jar-'));
    try {
      const path = join(dir, 'job.jar');
      const content = await readFile(join(FLINK_HOME, 'dist', 'bench', 'jobs', module));
      await writeJar(path, { mainClass: entryClass, entries: [{ path: `${entryClass.replaceAll('.', '/')}.mjs`, content }] });
      return await readFile(path);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async destroy(): Promise<void> {
    await this.forget();
  }
}

/** Apache Flink started from its entry points, as its scripts would. */
class RealFlinkCluster implements ClusterUnderTest {
  readonly system = 'Flink';
  private jobManager: FlinkProcess | undefined;

  constructor(
    private readonly flink: FlinkDistribution,
    private readonly cluster: FlinkCluster,
  ) {}

  get restUrl(): string {
    return this.cluster.restUrl;
  }

  async startJobManager(mode: ClusterMode): Promise<number> {
    const t0 = performance.now();
    this.jobManager =
      mode.kind === 'session'
        ? await this.cluster.start('standalonesession')
        : await this.cluster.start('standalonejob', ['--job-classname', JOBS[mode.job].entryClass, ...mode.args]);
    await this.cluster.waitUntil('REST answers', this.jobManager, async () =>
      (await fetch(`${this.restUrl}/overview`)).ok ? true : undefined,
    );
    return performance.now() - t0;
  }

  async startTaskManager(): Promise<number> {
    const before = await registeredTaskManagers(this.restUrl);
    const t0 = performance.now();
    const tm = await this.cluster.start('taskexecutor');
    await this.cluster.waitUntil('registered', tm, async () => ((await registeredTaskManagers(this.restUrl)) > before ? true : undefined));
    return performance.now() - t0;
  }

  async stopTaskManager(): Promise<void> {
    await this.cluster.stopLast('taskexecutor');
  }

  killTaskManager(): void {
    process.kill(this.cluster.pids('taskexecutor').at(-1)!, 'SIGKILL');
  }

  jobManagerPid(): number {
    return this.jobManager!.pid;
  }

  taskManagerPids(): number[] {
    return this.cluster.pids('taskexecutor');
  }

  jobManagerLog(): string {
    return this.cluster.log(this.jobManager?.daemon ?? 'standalonesession');
  }

  async cli(args: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    return this.cluster.cli(args);
  }

  async jar(job: JobName): Promise<Buffer> {
    if (job === 'topSpeed') {
      const examples = this.flink.libJars.find((j) => /flink-examples-streaming/.test(j));
      if (examples === undefined) throw new Error('flink-examples-streaming is not in bench/flink/target/flink-lib');
      return readFile(examples);
    }
    return readFile(this.flink.jobsJar);
  }

  async destroy(): Promise<void> {
    await this.cluster.destroy();
  }
}

/** A tsflink cluster in a fresh TestDist. */
export function tsflinkCluster(config: ClusterConfig): ClusterUnderTest {
  return new TsflinkCluster(config);
}

/** A real Flink cluster in a fresh directory, with the job jars in its lib/. */
export async function flinkCluster(flink: FlinkDistribution, config: ClusterConfig): Promise<ClusterUnderTest> {
  const cluster = await FlinkCluster.create(flink, config, [flink.jobsJar]);
  return new RealFlinkCluster(flink, cluster);
}
