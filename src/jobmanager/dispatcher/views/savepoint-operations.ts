import { serializeError } from '../../../core/errors.js';
import { newTriggerId, type JobId, type TriggerId } from '../../../core/ids.js';
import type { SavepointOperationStatus } from '../../../rpc/gateways/job-view-types.js';
import { JobRequestError } from '../../../rpc/gateways/job-gateway.js';

/** How long a finished operation's result stays available (Flink's rest.async.store-duration default). */
export const OPERATION_RESULT_RETENTION_MS = 5 * 60_000;

interface Operation {
  status: SavepointOperationStatus;
  finishedAt: number | undefined;
  /** A client has read the outcome. */
  accessed: boolean;
  readonly done: Promise<void>;
}

/** How often a shutdown looks again for results nobody has read yet. */
const ACCESS_CHECK_INTERVAL_MS = 20;

/**
 * The asynchronous savepoint and stop-with-savepoint operations of the REST API, keyed by job and
 * trigger id: a repeated trigger id does not start a second operation, results stay pollable for
 * a while after they complete.
 */
export class SavepointOperations {
  private readonly operations = new Map<string, Operation>();

  constructor(
    private readonly retentionMs = OPERATION_RESULT_RETENTION_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Starts `run` under `triggerId` (a fresh one when undefined) unless that id already names an operation; returns the id. */
  start(jobId: JobId, triggerId: TriggerId | undefined, run: () => Promise<string>): string {
    this.evictExpired();
    const id = triggerId ?? newTriggerId();
    const key = keyOf(jobId, id);
    if (this.operations.has(key)) return id;
    const operation: Operation = {
      status: { state: 'IN_PROGRESS' },
      finishedAt: undefined,
      accessed: false,
      done: Promise.resolve()
        .then(run)
        .then(
          (location) => {
            operation.status = { state: 'COMPLETED', location };
          },
          (error: unknown) => {
            operation.status = { state: 'FAILED', failure: serializeError(error) };
          },
        )
        .finally(() => {
          operation.finishedAt = this.clock();
        }),
    };
    this.operations.set(key, operation);
    return id;
  }

  /** The operation's status; while in progress, waits up to `waitMs` for it to finish first. */
  async status(jobId: JobId, triggerId: TriggerId, waitMs: number): Promise<SavepointOperationStatus> {
    this.evictExpired();
    const operation = this.operations.get(keyOf(jobId, triggerId));
    if (operation === undefined)
      throw new JobRequestError('NOT_FOUND', `There is no savepoint operation with trigger id ${triggerId} for job ${jobId}.`);
    if (operation.status.state === 'IN_PROGRESS' && waitMs > 0) await settledWithin(operation.done, waitMs);
    if (operation.status.state !== 'IN_PROGRESS') operation.accessed = true;
    return operation.status;
  }

  /**
   * Resolves once every operation has finished and a client has read its outcome, or after
   * `timeoutMs`. The REST endpoint waits for this before it closes (as Flink's operation cache
   * does), so a stop-with-savepoint that ends the JobManager still reaches the client polling it.
   */
  async whenResultsAccessed(timeoutMs: number): Promise<void> {
    const deadline = this.clock() + timeoutMs;
    while ([...this.operations.values()].some((operation) => !operation.accessed) && this.clock() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, ACCESS_CHECK_INTERVAL_MS));
    }
  }

  private evictExpired(): void {
    const now = this.clock();
    for (const [key, operation] of this.operations) {
      if (operation.finishedAt !== undefined && now - operation.finishedAt > this.retentionMs) this.operations.delete(key);
    }
  }
}

function keyOf(jobId: JobId, triggerId: TriggerId): string {
  return `${jobId}/${triggerId}`;
}

/** Resolves when `promise` settles or `ms` passed, whichever is first, leaving no timer behind. */
function settledWithin(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
