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

/**
 * Builds bench/flink with Maven when its jars are missing or older than its sources, then returns
 * the runtime. Maven's local repository keeps Flink after the first download, so later runs only
 * check timestamps.
 */
export async function ensureFlink(): Promise<FlinkDistribution> {
  const java = process.env.JAVA_HOME === undefined ? 'java' : join(process.env.JAVA_HOME, 'bin', 'java');
  if (!(await commandWorks(java, ['-version'])))
    throw new FlinkUnavailableError(`Cannot run real Flink: no Java found (tried '${java} -version'); install a JDK 17 or set JAVA_HOME.`);
  const target = join(FLINK_MODULE, 'target');
  const jobsJar = join(target, 'tsflink-bench-jobs.jar');
  const libDir = join(target, 'flink-lib');
  const stale =
    !existsSync(jobsJar) ||
    !existsSync(libDir) ||
    statSync(jobsJar).mtimeMs < Math.max(newestMtime(join(FLINK_MODULE, 'pom.xml')), newestMtime(join(FLINK_MODULE, 'src')));
  if (stale) {
    if (!(await commandWorks('mvn', ['-v'])))
      throw new FlinkUnavailableError("Cannot fetch real Flink: 'mvn' is not installed; install Maven (apt-get install maven) and retry.");
    process.stderr.write(`Building ${FLINK_MODULE} with Maven (Flink's jars are downloaded once)...\n`);
    const built = await execa('mvn', ['-q', '-f', join(FLINK_MODULE, 'pom.xml'), 'package'], { reject: false, all: true });
    if (built.exitCode !== 0) {
      const tail = (built.all ?? '').trim().split('\n').slice(-5).join(' | ');
      throw new FlinkUnavailableError(`Cannot fetch real Flink: 'mvn -q -f bench/flink/pom.xml package' failed: ${tail}`);
    }
  }
  const libJars = readdirSync(libDir)
    .filter((name) => name.endsWith('.jar'))
    .sort()
    .map((name) => join(libDir, name));
  const runtime = libJars.map((jar) => /\/flink-runtime-(\d[\w.-]*)\.jar$/.exec(jar)?.[1]).find((v) => v !== undefined);
  if (runtime === undefined)
    throw new FlinkUnavailableError(`Cannot run real Flink: no flink-runtime jar in ${libDir}; delete ${target} and retry.`);
  return { java, libJars, jobsJar, version: runtime };
}
