import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { TsFlinkError } from '../../core/errors.js';
import { FlinkClientError, type FlinkRestClient } from './flink-rest-client.js';

/** How long the CLI waits for a savepoint (a little over the default checkpoint timeout of 10 min). */
const SAVEPOINT_WAIT_MS = 11 * 60_000;
/** Attempts of one request when the JobManager cannot be reached, and the pause between them. */
const ATTEMPTS = 3;
const RETRY_PAUSE_MS = 500;
/** Least time between two status polls. */
const MIN_POLL_INTERVAL_MS = 200;

/** The body of GET /jobs/:jobid/savepoints/:triggerid. */
interface OperationResult {
  readonly status: { readonly id: 'IN_PROGRESS' | 'COMPLETED' };
  readonly operation: {
    readonly location?: string;
    readonly 'failure-cause'?: { readonly class?: string; readonly message?: string; readonly 'stack-trace'?: string };
  } | null;
}

/** `flink savepoint <jobId> [targetDirectory]`: takes a savepoint of a running job and prints its path. */
export async function triggerSavepoint(
  client: FlinkRestClient,
  jobId: string,
  targetDirectory: string | undefined,
  print: (line: string) => void,
): Promise<void> {
  print(`Triggering savepoint for job ${jobId}.`);
  const body = { 'target-directory': targetDirectory ?? null, 'cancel-job': false };
  const path = await runOperation(client, jobId, `/jobs/${jobId}/savepoints`, body, print);
  print(`Savepoint completed. Path: ${path}`);
  // Flink's output exactly, to its last line: scripts parse it (compare-flink checks it).
  print('You can resume your program from this savepoint with the run command.');
}

/** `flink stop [-p <dir>] [-d] <jobId>`: stops the job with a savepoint and prints its path. */
export async function stopWithSavepoint(
  client: FlinkRestClient,
  jobId: string,
  targetDirectory: string | undefined,
  drain: boolean,
  print: (line: string) => void,
): Promise<void> {
  print(`Triggering stop-with-savepoint for job ${jobId}.`);
  const body = { targetDirectory: targetDirectory ?? null, drain };
  const path = await runOperation(client, jobId, `/jobs/${jobId}/stop`, body, print);
  print(`Savepoint completed. Path: ${path}`);
}

/**
 * Triggers an asynchronous savepoint operation under a trigger id of our own (so a retried POST
 * cannot start a second one) and polls it until it completes; resolves with the savepoint's path.
 */
async function runOperation(
  client: FlinkRestClient,
  jobId: string,
  path: string,
  body: Record<string, unknown>,
  print: (line: string) => void,
): Promise<string> {
  const triggerId = randomBytes(16).toString('hex');
  await retrying(() => client.post(path, { ...body, triggerId }));
  print('Waiting for response...');
  const deadline = Date.now() + SAVEPOINT_WAIT_MS;
  for (;;) {
    const asked = Date.now();
    const result = await retrying(() => client.get<OperationResult>(`/jobs/${jobId}/savepoints/${triggerId}`));
    if (result.status.id === 'COMPLETED') return completedPath(result);
    // tsflink holds each poll open while the savepoint runs, so the next poll follows at once (a
    // stop may end the JobManager right after); a server that answers at once is asked less often.
    const elapsed = Date.now() - asked;
    if (elapsed < MIN_POLL_INTERVAL_MS) await sleep(MIN_POLL_INTERVAL_MS - elapsed);
    if (Date.now() > deadline) {
      throw new TsFlinkError(
        'FLINK_SAVEPOINT_TIMEOUT',
        `The savepoint of job ${jobId} did not complete within ${SAVEPOINT_WAIT_MS / 60_000} minutes (trigger id ${triggerId}).`,
      );
    }
  }
}

function completedPath(result: OperationResult): string {
  const failure = result.operation?.['failure-cause'];
  if (failure !== undefined) {
    const reason = failure.message ?? failure['stack-trace']?.split('\n')[0] ?? failure.class ?? 'unknown cause';
    throw new TsFlinkError('FLINK_SAVEPOINT_FAILED', `The savepoint failed: ${reason}`);
  }
  const location = result.operation?.location;
  if (location === undefined)
    throw new TsFlinkError('FLINK_SAVEPOINT_FAILED', 'The JobManager reported the savepoint complete but named no location.');
  return location;
}

/** Runs a request again when the JobManager could not be reached; answered errors are final. */
async function retrying<T>(request: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      if (!(error instanceof FlinkClientError) || !error.unreachable || attempt >= ATTEMPTS) throw error;
      await sleep(RETRY_PAUSE_MS);
    }
  }
}
