import { execa, type ResultPromise } from 'execa';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

/** The repository root, where bin/ lives. */
export const FLINK_HOME = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');

/** What a script run printed and how it ended. */
export interface ScriptResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of a test distribution: the config.yaml content and extra environment. */
export interface TestDistOptions {
  /** Lines of conf/config.yaml (flat `key: value` is fine). Defaults add rest.port 0 and taskmanager.host localhost. */
  readonly config?: Record<string, string | number | boolean>;
  readonly env?: Record<string, string>;
}

/** FLINK_IDENT_STRING of test processes, so pid and log names are predictable. */
export const IDENT = 'tester';

const DEFAULT_CONFIG: Record<string, string | number | boolean> = {
  'rest.port': 0,
  'taskmanager.host': 'localhost',
  'jobmanager.rpc.address': 'localhost',
};

/**
 * A throw-away installation for one test: its own conf, pid, log and tmp dirs (so clusters of
 * different tests never meet), the real bin/ scripts run through execa, and a destroy() that kills
 * every process the test started.
 */
export class TestDist {
  /** Every dist not yet destroyed, so a command interrupted by a signal can clean up. */
  private static readonly live = new Set<TestDist>();
  readonly dir: string;
  readonly confDir: string;
  readonly pidDir: string;
  readonly logDir: string;
  readonly tmpDir: string;
  /** This dist's job classpath (FLINK_LIB_DIR), so tests never share lib/. */
  readonly libDir: string;
  private readonly foreground = new Set<ResultPromise>();

  private constructor(private readonly options: TestDistOptions) {
    this.dir = mkdtempSync(join(tmpdir(), 'tsf-'));
    this.confDir = join(this.dir, 'conf');
    this.pidDir = join(this.dir, 'pid');
    this.logDir = join(this.dir, 'log');
    this.tmpDir = join(this.dir, 'tmp');
    this.libDir = join(this.dir, 'lib');
    for (const dir of [this.confDir, this.pidDir, this.logDir, this.tmpDir, this.libDir]) mkdirSync(dir, { recursive: true });
    this.writeConfig({});
  }

  static create(options: TestDistOptions = {}): TestDist {
    const dist = new TestDist(options);
    TestDist.live.add(dist);
    return dist;
  }

  /** Destroys every dist still alive (for commands such as `npm run chaos` stopped by Ctrl-C). */
  static async destroyAll(): Promise<void> {
    await Promise.allSettled([...TestDist.live].map((dist) => dist.destroy()));
  }

  /** Rewrites conf/config.yaml with the defaults, the dist's options and `extra`. */
  writeConfig(extra: Record<string, string | number | boolean>): void {
    const all = { ...DEFAULT_CONFIG, 'io.tmp.dirs': this.tmpDir, ...this.options.config, ...extra };
    writeFileSync(
      join(this.confDir, 'config.yaml'),
      Object.entries(all)
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join('\n') + '\n',
    );
  }

  get env(): Record<string, string> {
    return {
      FLINK_CONF_DIR: this.confDir,
      FLINK_PID_DIR: this.pidDir,
      FLINK_LOG_DIR: this.logDir,
      FLINK_IDENT_STRING: IDENT,
      FLINK_LIB_DIR: this.libDir,
      NO_COLOR: '1',
      ...this.options.env,
    };
  }

  /** Runs `bin/<script> args...` to completion. */
  async run(script: string, args: readonly string[] = [], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<ScriptResult> {
    const result = await execa(join(FLINK_HOME, 'bin', script), [...args], {
      env: { ...this.env, ...env },
      reject: false,
      timeout: timeoutMs,
      cwd: FLINK_HOME,
    });
    return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
  }

  /** Starts `bin/<script> start-foreground` and leaves it running; destroy() ends it. */
  startForeground(script: string, args: readonly string[] = []): ResultPromise {
    const child = execa(join(FLINK_HOME, 'bin', script), ['start-foreground', ...args], {
      env: this.env,
      reject: false,
      cwd: FLINK_HOME,
      all: true,
    });
    this.foreground.add(child);
    return child;
  }

  /** The pids listed in the pid file of `daemon`, oldest first. */
  pids(daemon: 'standalonejob' | 'standalonesession' | 'taskexecutor' | 'autoscaler'): number[] {
    const file = this.pidFile(daemon);
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map(Number);
  }

  pidFile(daemon: string): string {
    return join(this.pidDir, `flink-${IDENT}-${daemon}.pid`);
  }

  /** Contents of a daemon instance's log file (`.log` or `.out`). */
  log(daemon: string, instance: number, kind: 'log' | 'out' = 'log'): string {
    const name = readdirSync(this.logDir).find(
      (f) => f.startsWith(`flink-`) && f.includes(`-${daemon}-${instance}-`) && f.endsWith(`.${kind}`),
    );
    return name === undefined ? '' : readFileSync(join(this.logDir, name), 'utf8');
  }

  /** Copies a built example jar (examples/streaming/<name>.jar) into this dist's lib/. */
  addExampleJar(name: string): void {
    copyFileSync(join(FLINK_HOME, 'examples', 'streaming', `${name}.jar`), join(this.libDir, `${name}.jar`));
  }

  /** Copies a compiled test job (dist/test/fixtures/jobs/<name>.js) into lib/ as a plain module. */
  addFixtureJob(name: string): void {
    copyFileSync(join(FLINK_HOME, 'dist', 'test', 'fixtures', 'jobs', `${name}.js`), join(this.libDir, `${name}.mjs`));
  }

  /**
   * Lines the TaskManagers printed to their `.out` files (what print() wrote); with `since` (a mark
   * from stdoutMark()), only the lines written after it.
   */
  taskManagerStdout(since: ReadonlyMap<string, number> = new Map()): string[] {
    return readdirSync(this.logDir)
      .filter((f) => f.includes('-taskexecutor-') && f.endsWith('.out'))
      .flatMap((f) =>
        readFileSync(join(this.logDir, f), 'utf8')
          .split('\n')
          .slice(since.get(f) ?? 0),
      )
      .filter((line) => line.trim() !== '');
  }

  /** Remembers how far each TaskManager `.out` file is, for taskManagerStdout(since). */
  stdoutMark(): Map<string, number> {
    const mark = new Map<string, number>();
    for (const f of readdirSync(this.logDir).filter((f) => f.includes('-taskexecutor-') && f.endsWith('.out'))) {
      mark.set(f, readFileSync(join(this.logDir, f), 'utf8').split('\n').length - 1);
    }
    return mark;
  }

  /** Kills everything this dist started and removes its files. */
  async destroy(): Promise<void> {
    TestDist.live.delete(this);
    for (const child of this.foreground) child.kill('SIGKILL');
    for (const daemon of ['autoscaler', 'standalonejob', 'standalonesession', 'taskexecutor'] as const) {
      for (const pid of this.pids(daemon)) killQuietly(pid);
    }
    await Promise.allSettled([...this.foreground]);
    await sleep(50);
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last === undefined ? '' : ` (last error: ${String(last)})`}`);
    await sleep(50);
  }
}

/** GETs a REST path as JSON. */
export async function getJson<T>(baseUrl: string, path: string): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`);
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The REST URL a JobManager's `start` printed. */
export function restUrlFrom(output: string): string {
  const match = /(https?:\/\/[^\s)]+)/.exec(output);
  if (match === null) throw new Error(`No REST URL in: ${output}`);
  return match[1]!;
}

/** The parts of GET /jobs/:id that tests check: the job's state and each vertex's id, name, parallelism and status. */
export interface JobDetails {
  state: string;
  vertices: Array<{ id: string; name: string; parallelism: number; status: string }>;
}

/**
 * Waits until a standalone job has finished: FINISHED over REST, or GONE once its JobManager has
 * exited with it (an application cluster stops after its job).
 */
export async function finishedOrGone(url: string, jobId: string, timeoutMs = 120_000): Promise<'FINISHED' | 'GONE'> {
  return waitFor(
    'the job to finish',
    async () => {
      const state = (await getJson<{ state: string }>(url, `/jobs/${jobId}`).catch(() => ({ state: 'GONE' }))).state;
      return state === 'FINISHED' || state === 'GONE' ? state : undefined;
    },
    timeoutMs,
  );
}

/** Waits until job `jobId` is RUNNING with every vertex at `parallelism` and RUNNING; gives the job's details then. */
export async function runningAt(url: string, jobId: string, parallelism: number, timeoutMs = 30_000): Promise<JobDetails> {
  return waitFor(
    `the job to run at parallelism ${parallelism}`,
    async () => {
      const job = await getJson<JobDetails>(url, `/jobs/${jobId}`);
      return job.state === 'RUNNING' && job.vertices.every((v) => v.parallelism === parallelism && v.status === 'RUNNING')
        ? job
        : undefined;
    },
    timeoutMs,
  );
}
