import { execa } from 'execa';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FLINK_HOME } from '../../test/helpers/test-dist.js';

/** The Maven module that resolves real Apache Flink and builds the Java twins of the benchmark jobs. */
export const FLINK_MODULE = join(FLINK_HOME, 'bench', 'flink');

/** A real Flink runtime on this machine: the JVM to run it with and its classpath. */
export interface FlinkDistribution {
  /** The `java` executable. */
  readonly java: string;
  /** Flink's runtime jars (what flink-dist's lib/ holds), in a stable order. */
  readonly libJars: readonly string[];
  /** Our jar of Java benchmark jobs (Throughput, KeyedState). */
  readonly jobsJar: string;
  /** The Flink version the module resolved. */
  readonly version: string;
}

/** Raised when Flink cannot be fetched or run here; its message is the one line the user sees. */
export class FlinkUnavailableError extends Error {}

/** The newest modification time under a directory (file names only; the module is small). */
function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

async function commandWorks(command: string, args: readonly string[]): Promise<boolean> {
  try {
    await execa(command, args, { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

/** A Maven module of ours, built: the JVM to run it with, its jar and its runtime classpath. */
export interface BuiltModule {
  readonly java: string;
  readonly jar: string;
  /** The module's runtime dependencies, in a stable order. */
  readonly libJars: readonly string[];
}

/**
 * Builds a Maven module of ours when its jar or classpath directory is missing or older than its
 * sources. Maven's local repository keeps the dependencies after the first download, so later runs
 * only check timestamps. `what` names the module in the one-line error.
 */
export async function ensureModule(module: string, jarName: string, libName: string, what: string): Promise<BuiltModule> {
  const java = process.env.JAVA_HOME === undefined ? 'java' : join(process.env.JAVA_HOME, 'bin', 'java');
  if (!(await commandWorks(java, ['-version'])))
    throw new FlinkUnavailableError(`Cannot run ${what}: no Java found (tried '${java} -version'); install a JDK 17 or set JAVA_HOME.`);
  const target = join(module, 'target');
  const jar = join(target, jarName);
  const libDir = join(target, libName);
  const stale =
    !existsSync(jar) ||
    !existsSync(libDir) ||
    statSync(jar).mtimeMs < Math.max(newestMtime(join(module, 'pom.xml')), newestMtime(join(module, 'src')));
  if (stale) {
    if (!(await commandWorks('mvn', ['-v'])))
      throw new FlinkUnavailableError(`Cannot fetch ${what}: 'mvn' is not installed; install Maven (apt-get install maven) and retry.`);
    process.stderr.write(`Building ${module} with Maven (its jars are downloaded once)...\n`);
    const built = await execa('mvn', ['-q', '-f', join(module, 'pom.xml'), 'package'], { reject: false, all: true });
    if (built.exitCode !== 0) {
      const tail = (built.all ?? '').trim().split('\n').slice(-5).join(' | ');
      throw new FlinkUnavailableError(`Cannot fetch ${what}: 'mvn -q -f ${module}/pom.xml package' failed: ${tail}`);
    }
  }
  const libJars = readdirSync(libDir)
    .filter((name) => name.endsWith('.jar'))
    .sort()
    .map((name) => join(libDir, name));
  return { java, jar, libJars };
}

/** Builds bench/flink when needed and returns real Flink's runtime. */
export async function ensureFlink(): Promise<FlinkDistribution> {
  const { java, jar, libJars } = await ensureModule(FLINK_MODULE, 'tsflink-bench-jobs.jar', 'flink-lib', 'real Flink');
  const runtime = libJars.map((j) => /\/flink-runtime-(\d[\w.-]*)\.jar$/.exec(j)?.[1]).find((v) => v !== undefined);
  if (runtime === undefined)
    throw new FlinkUnavailableError(
      `Cannot run real Flink: no flink-runtime jar in ${join(FLINK_MODULE, 'target', 'flink-lib')}; delete its target/ and retry.`,
    );
  return { java, libJars, jobsJar: jar, version: runtime };
}
