import { execa } from 'execa';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { processExists, waitForProcessExit } from '../../test/helpers/cluster-probes.js';
import { onCleanup } from '../process-cleanup.js';
import type { FlinkDistribution } from './flink-distribution.js';

/** Flink's entry points, the classes its scripts start. */
export const ENTRY_POINTS = {
  standalonesession: 'org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint',
  standalonejob: 'org.apache.flink.container.entrypoint.StandaloneApplicationClusterEntryPoint',
  taskexecutor: 'org.apache.flink.runtime.taskexecutor.TaskManagerRunner',
} as const;

/** A daemon name as in Flink's pid and log file names. */
export type FlinkDaemon = keyof typeof ENTRY_POINTS;

/**
 * The JVM options Flink's distribution sets in its shipped config.yaml (`env.java.opts.all`) so
 * that Flink runs on Java 17: the module exports and opens its serializers and RPC rely on.
 */
const JAVA_17_OPTS = [
  '-XX:+IgnoreUnrecognizedVMOptions',
  ...['java.base/sun.net.util', 'java.rmi/sun.rmi.registry', 'java.security.jgss/sun.security.krb5'].map(
    (p) => `--add-exports=${p}=ALL-UNNAMED`,
  ),
  ...[
    'java.lang',
    'java.net',
    'java.io',
    'java.nio',
    'sun.nio.ch',
    'java.lang.reflect',
    'java.text',
    'java.time',
    'java.util',
    'java.util.concurrent',
    'java.util.concurrent.atomic',
    'java.util.concurrent.locks',
  ].map((p) => `--add-opens=java.base/${p}=ALL-UNNAMED`),
];

/** The memory Flink's distribution ships in conf/config.yaml. */
export const FLINK_DEFAULT_MEMORY: Readonly<Record<string, string>> = {
  'jobmanager.memory.process.size': '1600m',
  'taskmanager.memory.process.size': '1728m',
};

/**
 * The smallest memory settings Flink's checks accept that still run the benchmark jobs: every
 * component at its floor (heap large enough for the runtime's own classes and the web UI).
 */
export const FLINK_SMALLEST_MEMORY: Readonly<Record<string, string>> = {
  'jobmanager.memory.heap.size': '128m',
  'jobmanager.memory.off-heap.size': '8m',
  'jobmanager.memory.jvm-metaspace.size': '96m',
  'jobmanager.memory.jvm-overhead.min': '16m',
  'jobmanager.memory.jvm-overhead.max': '16m',
  'taskmanager.memory.framework.heap.size': '64m',
  'taskmanager.memory.task.heap.size': '64m',
  'taskmanager.memory.framework.off-heap.size': '8m',
  'taskmanager.memory.task.off-heap.size': '0m',
  'taskmanager.memory.managed.size': '0m',
  'taskmanager.memory.network.min': '8m',
  'taskmanager.memory.network.max': '8m',
  'taskmanager.memory.jvm-metaspace.size': '96m',
  'taskmanager.memory.jvm-overhead.min': '16m',
  'taskmanager.memory.jvm-overhead.max': '16m',
};

/** log4j2 properties as Flink's conf/log4j.properties, minus rolling: Flink's own line pattern. */
const LOG4J_PROPERTIES = `rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
appender.main.name = MainAppender
appender.main.type = File
appender.main.append = false
appender.main.fileName = \${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
logger.pekko.name = org.apache.pekko
logger.pekko.level = INFO
`;

/** A free TCP port on localhost (Flink's JobManager RPC port must be known to its TaskManagers). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The prefix BashJavaUtils marks its results with, as config.sh's extractExecutionResults reads them. */
const RESULT_PREFIX = 'BASH_JAVA_UTILS_EXEC_RESULT:';

/** A started Flink process. */
export interface FlinkProcess {
  readonly daemon: FlinkDaemon;
  readonly pid: number;
  readonly logFile: string;
  readonly outFile: string;
}

/**
 * One real Apache Flink installation for a benchmark or comparison run: its own conf, log and tmp
 * dirs and ports, its processes started the way Flink's bin/ scripts start them (BashJavaUtils for
 * the memory flags, then the entry point with `--configDir` and the derived `-D`s), and stopped the
 * way `flink-daemon.sh stop` does (SIGTERM, SIGKILL after 10 s).
 */
export class FlinkCluster {
  readonly dir: string;
  readonly confDir: string;
  readonly logDir: string;
  readonly restPort: number;
  readonly rpcPort: number;
  private readonly processes: FlinkProcess[] = [];
  private readonly forget: () => Promise<void>;

  private constructor(
    private readonly flink: FlinkDistribution,
    ports: { rest: number; rpc: number },
    config: Readonly<Record<string, string | number | boolean>>,
    private readonly extraJars: readonly string[],
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'flink-'));
    this.confDir = join(this.dir, 'conf');
    this.logDir = join(this.dir, 'log');
    for (const dir of [this.confDir, this.logDir, join(this.dir, 'tmp')]) mkdirSync(dir, { recursive: true });
    this.restPort = ports.rest;
    this.rpcPort = ports.rpc;
    const all: Record<string, string | number | boolean> = {
      'jobmanager.rpc.address': 'localhost',
      'jobmanager.rpc.port': ports.rpc,
      'jobmanager.bind-host': 'localhost',
      'taskmanager.bind-host': 'localhost',
      'taskmanager.host': 'localhost',
      'rest.address': 'localhost',
      'rest.bind-address': 'localhost',
      'rest.port': ports.rest,
      'io.tmp.dirs': join(this.dir, 'tmp'),
      // 1.20 reads the old key; 2.x the new one. Without a directory, checkpoints live in the
      // JobManager's heap, capped at 5 MB.
      'state.checkpoints.dir': `file://${join(this.dir, 'chk')}`,
      'execution.checkpointing.dir': `file://${join(this.dir, 'chk')}`,
      'taskmanager.numberOfTaskSlots': 1,
      'parallelism.default': 1,
      // The shipped process sizes unless the caller sets memory of its own: Flink refuses a total
      // that disagrees with explicit components.
      ...Object.fromEntries(
        Object.entries(FLINK_DEFAULT_MEMORY).filter(
          ([key]) => !Object.keys(config).some((k) => k.startsWith(key.split('.').slice(0, 2).join('.'))),
        ),
      ),
      ...config,
    };
    writeFileSync(
      join(this.confDir, 'config.yaml'),
      Object.entries(all)
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join('\n') + '\n',
    );
    writeFileSync(join(this.confDir, 'log4j.properties'), LOG4J_PROPERTIES);
    this.forget = onCleanup(() => this.teardown());
  }

  /**
   * A fresh installation. `config` is what goes into conf/config.yaml over the shipped defaults.
   * `extraJars` join lib/ (a job jar copied there, as the Elastic Scaling page does).
   */
  static async create(
    flink: FlinkDistribution,
    config: Readonly<Record<string, string | number | boolean>> = {},
    extraJars: readonly string[] = [],
  ): Promise<FlinkCluster> {
    const ports = { rest: await freePort(), rpc: await freePort() };
    return new FlinkCluster(flink, ports, config, extraJars);
  }

  /** The REST base URL. */
  get restUrl(): string {
    return `http://localhost:${this.restPort}`;
  }

  private get classpath(): string {
    return [...this.flink.libJars, ...this.extraJars].join(':');
  }

  /**
   * Runs BashJavaUtils as config.sh does; returns the JVM flags and the derived `-D` properties.
   * An invalid memory setup fails here, before any daemon starts, as the scripts do.
   */
  private async resourceParams(daemon: FlinkDaemon): Promise<{ jvm: string[]; dynamic: string[] }> {
    const command = daemon === 'taskexecutor' ? 'GET_TM_RESOURCE_PARAMS' : 'GET_JM_RESOURCE_PARAMS';
    const result = await execa(
      this.flink.java,
      ['-classpath', this.classpath, 'org.apache.flink.runtime.util.bash.BashJavaUtils', command, '--configDir', this.confDir],
      { reject: false, all: true },
    );
    const lines = (result.all ?? '')
      .split('\n')
      .filter((l) => l.startsWith(RESULT_PREFIX))
      .map((l) => l.slice(RESULT_PREFIX.length).trim());
    if (result.exitCode !== 0 || lines.length < 2) {
      const tail = (result.all ?? '').trim().split('\n').slice(-8).join('\n');
      throw new Error(`[ERROR] Cannot run BashJavaUtils to execute command ${command}.\n${tail}`);
    }
    return { jvm: lines[0]!.split(/\s+/), dynamic: lines[1]!.split(/\s+/).filter((s) => s.length > 0) };
  }

  /** Starts a daemon in the background as flink-daemon.sh does; `args` follow the derived `-D`s. */
  async start(daemon: FlinkDaemon, args: readonly string[] = []): Promise<FlinkProcess> {
    const { jvm, dynamic } = await this.resourceParams(daemon);
    const id = this.processes.filter((p) => p.daemon === daemon).length;
    const prefix = join(this.logDir, `flink-${userInfo().username}-${daemon}-${id}-${hostname()}`);
    const logFile = `${prefix}.log`;
    const outFile = `${prefix}.out`;
    const gc = daemon === 'taskexecutor' ? ['-XX:+UseG1GC'] : [];
    const javaArgs = [
      ...jvm,
      ...gc,
      ...JAVA_17_OPTS,
      `-Dlog.file=${logFile}`,
      `-Dlog4j.configuration=file:${join(this.confDir, 'log4j.properties')}`,
      `-Dlog4j.configurationFile=file:${join(this.confDir, 'log4j.properties')}`,
      '-classpath',
      this.classpath,
      ENTRY_POINTS[daemon],
      '--configDir',
      this.confDir,
      ...dynamic,
      ...args,
    ];
    const out = openSync(outFile, 'w');
    try {
      const child = spawn(this.flink.java, javaArgs, {
        stdio: ['ignore', out, out],
        detached: true,
        env: { ...process.env, FLINK_CONF_DIR: this.confDir },
      });
      child.unref();
      if (child.pid === undefined) throw new Error(`Error starting ${daemon} daemon.`);
      const started: FlinkProcess = { daemon, pid: child.pid, logFile, outFile };
      this.processes.push(started);
      return started;
    } finally {
      closeSync(out);
    }
  }

  /** Runs `bin/flink <args>` as the script does (CliFrontend with this installation's conf dir). */
  async cli(args: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const result = await execa(
      this.flink.java,
      [
        ...JAVA_17_OPTS,
        `-Dlog.file=${join(this.logDir, `flink-${userInfo().username}-client-${hostname()}.log`)}`,
        `-Dlog4j.configurationFile=file:${join(this.confDir, 'log4j.properties')}`,
        '-classpath',
        this.classpath,
        'org.apache.flink.client.cli.CliFrontend',
        ...args,
      ],
      { reject: false, env: { FLINK_CONF_DIR: this.confDir }, timeout: 120_000 },
    );
    return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout), stderr: String(result.stderr) };
  }

  /** Every process started and still alive, of one daemon (oldest first). */
  pids(daemon: FlinkDaemon): number[] {
    return this.processes.filter((p) => p.daemon === daemon && processExists(p.pid)).map((p) => p.pid);
  }

  /** The log of the first process of a daemon ('' before it wrote one). */
  log(daemon: FlinkDaemon, id = 0): string {
    const process = this.processes.filter((p) => p.daemon === daemon)[id];
    return process !== undefined && existsSync(process.logFile) ? readFileSync(process.logFile, 'utf8') : '';
  }

  /** The last lines of a process's log and .out, for a failure message. */
  tail(process: FlinkProcess, lines = 15): string {
    const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n') : '');
    return `${process.logFile}:\n${read(process.logFile)}\n${process.outFile}:\n${read(process.outFile)}`;
  }

  /**
   * Waits until `probe` answers, failing fast with the log tail when `process` dies first, so a
   * Flink that cannot come up stops the run instead of hanging it.
   */
  async waitUntil<T>(what: string, process: FlinkProcess, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      try {
        const value = await probe();
        if (value !== undefined) return value;
      } catch {
        // not up yet
      }
      if (!processExists(process.pid)) throw new Error(`Flink's ${process.daemon} exited before ${what}.\n${this.tail(process)}`);
      if (performance.now() > deadline)
        throw new Error(`Flink's ${process.daemon} did not reach "${what}" in ${timeoutMs} ms.\n${this.tail(process)}`);
      await sleep(10);
    }
  }

  /** Stops a process as flink-daemon.sh stop does: SIGTERM, then SIGKILL after 10 s. */
  async stop(process: FlinkProcess): Promise<void> {
    if (!processExists(process.pid)) return;
    try {
      globalThis.process.kill(process.pid, 'SIGTERM');
    } catch {
      return;
    }
    if (!(await waitForProcessExit(process.pid, 10_000))) {
      try {
        globalThis.process.kill(process.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
      await waitForProcessExit(process.pid, 5_000);
    }
  }

  /** Stops the most recently started process of a daemon (LIFO, as `taskmanager.sh stop`). */
  async stopLast(daemon: FlinkDaemon): Promise<FlinkProcess | undefined> {
    const last = this.processes.filter((p) => p.daemon === daemon && processExists(p.pid)).at(-1);
    if (last !== undefined) await this.stop(last);
    return last;
  }

  /** Kills every process (newest first) and removes the installation's files; also runs on Ctrl-C. */
  async destroy(): Promise<void> {
    await this.forget();
  }

  private async teardown(): Promise<void> {
    for (const p of [...this.processes].reverse()) {
      try {
        if (processExists(p.pid)) globalThis.process.kill(p.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await Promise.all(this.processes.map((p) => waitForProcessExit(p.pid, 5_000)));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
