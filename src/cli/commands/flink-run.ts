import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { UsageError } from '../../core/errors.js';
import { classEntryPaths, isPlainModuleName } from '../../packaging/class-path.js';
import { writeJar } from '../../packaging/jar-writer.js';
import { plainModuleClass } from '../../packaging/plain-module.js';
import { FlinkClientError, type FlinkRestClient } from './flink-rest-client.js';

/** How often an attached run asks for its job's state. */
const POLL_INTERVAL_MS = 500;
/** Job states after which nothing more happens to the job. */
const TERMINAL = new Set(['FINISHED', 'FAILED', 'CANCELED', 'SUSPENDED']);
/** Flink's separator before a failed program's cause. */
const FAILURE_RULE = '------------------------------------------------------------';

/** What `flink run` was asked to do. */
export interface RunRequest {
  readonly jarPath: string;
  readonly programArgs: readonly string[];
  readonly entryClass: string | undefined;
  readonly parallelism: number | undefined;
  readonly detached: boolean;
  readonly savepointPath: string | undefined;
  readonly allowNonRestoredState: boolean;
  readonly restoreMode: string | undefined;
}

/** The job's ending as an attached run reports it: the exit code of `flink run`. */
export type RunOutcome = 0 | 1;

/**
 * `flink run`: uploads the jar to the session cluster's /jars, runs it there (its main submits the
 * job), removes the upload, prints Flink's "Job has been submitted with JobID" line and, attached,
 * waits for the job and prints its result. Ctrl-C ends only the client: the job keeps running.
 */
export async function runJar(client: FlinkRestClient, request: RunRequest, print: (line: string) => void): Promise<RunOutcome> {
  const bytes = await readJar(request.jarPath);
  const jarId = await uploadJar(client, request.jarPath, bytes);
  let jobId: string;
  try {
    ({ jobid: jobId } = await client.post<{ jobid: string }>(`/jars/${encodeURIComponent(jarId)}/run`, {
      entryClass: request.entryClass,
      programArgsList: request.programArgs,
      parallelism: request.parallelism,
      savepointPath: request.savepointPath,
      allowNonRestoredState: request.allowNonRestoredState,
      restoreMode: request.restoreMode,
    }));
  } finally {
    // The job holds its own copy of the code; the upload would only pile up in web.upload.dir.
    await client.delete(`/jars/${encodeURIComponent(jarId)}`).catch(() => undefined);
  }
  print(`Job has been submitted with JobID ${jobId}`);
  if (request.detached) return 0;
  return awaitJob(client, jobId, print);
}

async function readJar(path: string): Promise<Buffer> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isFile())
    throw new UsageError(`Could not build the program from JAR file: JAR file does not exist: ${path}`);
  return isPlainModuleName(path) ? packPlainModule(path) : readFile(path);
}

/** A plain .js/.mjs job travels as the jar it stands for: the module at its class's path, named in the manifest. */
async function packPlainModule(path: string): Promise<Buffer> {
  const mainClass = await plainModuleClass(path);
  const [jsPath, mjsPath] = classEntryPaths(mainClass);
  const dir = await mkdtemp(join(tmpdir(), 'tsflink-run-'));
  try {
    const jar = join(dir, 'job.jar');
    await writeJar(jar, { mainClass, entries: [{ path: path.endsWith('.mjs') ? mjsPath : jsPath, content: await readFile(path) }] });
    return await readFile(jar);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Uploads the jar; a cluster without the jar endpoints (an application cluster) is named as such. */
async function uploadJar(client: FlinkRestClient, path: string, bytes: Buffer): Promise<string> {
  // The upload handler insists on a .jar name; a plain module travels under its name with .jar added.
  const fileName = basename(path).toLowerCase().endsWith('.jar') ? basename(path) : `${basename(path)}.jar`;
  try {
    const { filename } = await client.upload<{ filename: string }>('/jars/upload', 'jarfile', fileName, bytes);
    return basename(filename);
  } catch (error) {
    if (error instanceof FlinkClientError && (error.status === 404 || error.status === 405)) {
      // Flink's client ends a 50-line trace with the REST refusal "[POST request not allowed]";
      // one line keeps that cause and says what to do instead.
      throw new UsageError(
        `Failed to submit JobGraph: [POST request not allowed]: the JobManager at ${client.baseUrl} takes no job submissions: it is an application cluster (standalone-job.sh), which runs its one job, or a session cluster with web.submit.enable: false. Start a session cluster (start-cluster.sh) to use flink run.`,
      );
    }
    throw error;
  }
}

interface JobState {
  readonly state: string;
  readonly duration: number;
}

/** Waits for the job to end and prints what Flink's attached client prints; 1 unless it FINISHED. */
async function awaitJob(client: FlinkRestClient, jobId: string, print: (line: string) => void): Promise<RunOutcome> {
  let job: JobState;
  for (;;) {
    job = await client.get<JobState>(`/jobs/${jobId}`);
    if (TERMINAL.has(job.state)) break;
    await delay(POLL_INTERVAL_MS);
  }
  if (job.state === 'FINISHED') {
    print('Program execution finished');
    print(`Job with JobID ${jobId} has finished.`);
    print(`Job Runtime: ${job.duration} ms`);
    return 0;
  }
  print('');
  print(FAILURE_RULE);
  print(' The program finished with the following exception:');
  print('');
  print(`Job ${jobId} ended ${job.state}${await rootCause(client, jobId)}`);
  return 1;
}

async function rootCause(client: FlinkRestClient, jobId: string): Promise<string> {
  try {
    const exceptions = await client.get<{ 'root-exception'?: string | null }>(`/jobs/${jobId}/exceptions`);
    const first = exceptions['root-exception']?.split('\n')[0];
    return first === undefined || first === '' ? '.' : `: ${first}`;
  } catch {
    return '.';
  }
}
