import { execa, type ResultPromise } from 'execa';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { FLINK_HOME } from '../../test/helpers/test-dist.js';
import { onCleanup } from '../process-cleanup.js';
import { ensureModule, FlinkUnavailableError } from './flink-distribution.js';

/** The Maven module of our driver around Flink's autoscaler library (bench/flink-autoscaler). */
export const AUTOSCALER_MODULE = join(FLINK_HOME, 'bench', 'flink-autoscaler');

/** What Maven Central serves, and so what the driver stands in for; said in every report. */
export const STANDALONE_NOTE =
  'Maven Central does not serve org.apache.flink:flink-autoscaler-standalone (1.7–1.13 refused), only the library ' +
  'org.apache.flink:flink-autoscaler. bench/flink-autoscaler is our driver: it wires the library as the standalone ' +
  'entrypoint does (RestApiMetricsCollector, ScalingMetricEvaluator and ScalingExecutor in JobAutoScalerImpl, the ' +
  'in-memory state store), lists jobs and reads each /jobs/:id/jobmanager/config as the flink-cluster fetcher does, and ' +
  'applies decisions with PUT /jobs/:id/resource-requirements as RescaleApiScalingRealizer does. Not reproduced: the ' +
  'JDBC state store and event handler, the YARN fetcher and the options validator.';

/** One line the driver printed: a decision, an applied change, an event or an error. */
export type DriverEvent =
  | { event: 'started'; timeMs: number }
  | { event: 'decision'; timeMs: number; jobId: string; message: string; vertices: DecidedVertex[] }
  | { event: 'applied'; timeMs: number; jobId: string; vertices: Record<string, { from: number; to: number }> }
  | { event: 'event'; timeMs: number; jobId: string; type: string; reason: string; message: string }
  | { event: 'error'; timeMs: number; phase: string; jobId: string | null; message: string };

/** A vertex of a decision: Flink's evaluated metrics behind old → new parallelism. */
export interface DecidedVertex {
  readonly id: string;
  readonly from: number;
  readonly to: number;
  readonly metrics: Record<string, { current: number | null; average: number | null }>;
}

/** A running driver: what it printed so far, its stderr log, and how to stop it. */
export interface RunningDriver {
  readonly events: DriverEvent[];
  log(): string;
  stop(): Promise<void>;
}

/** Builds the driver when needed (Maven fetches the library once); throws FlinkUnavailableError without Java or Maven. */
export async function ensureAutoscalerDriver(): Promise<{ java: string; classpath: string }> {
  const built = await ensureModule(AUTOSCALER_MODULE, 'tsflink-flink-autoscaler.jar', 'lib', "Flink's autoscaler");
  return { java: built.java, classpath: [built.jar, ...built.libJars].join(':') };
}

/**
 * Starts Flink's autoscaler (our driver) against the cluster at `restUrl` with Flink options
 * `options` (job.autoscaler.*, autoscaler.standalone.control-loop.interval).
 */
export async function startAutoscalerDriver(
  restUrl: string,
  options: Readonly<Record<string, string>>,
  logFile?: string,
): Promise<RunningDriver> {
  const { java, classpath } = await ensureAutoscalerDriver();
  const url = new URL(restUrl);
  const args = Object.entries({
    ...options,
    'autoscaler.standalone.fetcher.flink-cluster.host': url.hostname,
    'autoscaler.standalone.fetcher.flink-cluster.port': url.port,
  }).flatMap(([k, v]) => [`--${k}`, v]);
  const child: ResultPromise = execa(java, ['-Xmx256m', '-cp', classpath, 'org.tsflink.autoscaler.FlinkAutoscalerDriver', ...args], {
    reject: false,
    buffer: false,
  });
  const forget = onCleanup(() => {
    child.kill('SIGKILL');
  });
  const events: DriverEvent[] = [];
  // The whole log goes to the file as it comes, for a run to be followed or read after it.
  const logStream = logFile === undefined ? undefined : createWriteStream(logFile);
  let stderr = '';
  let pending = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) if (line.startsWith('{')) events.push(JSON.parse(line) as DriverEvent);
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    logStream?.write(chunk);
    // Keep the end: a long run logs a lot.
    stderr = (stderr + chunk).slice(-200_000);
  });
  return {
    events,
    log: () => stderr,
    stop: async () => {
      child.kill('SIGTERM');
      await child;
      logStream?.end();
      await forget();
    },
  };
}

export { FlinkUnavailableError };
