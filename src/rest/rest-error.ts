import { hasErrorCode } from '../core/error-codes.js';
import { TsFlinkError } from '../core/errors.js';
import { JarRequestError } from '../rpc/gateways/jar-gateway.js';
import { JobRequestError, type JobRequestFailure } from '../rpc/gateways/job-gateway.js';

/** An error answered with its HTTP status and Flink's `{"errors": [...]}` body. */
export class RestError extends TsFlinkError {
  constructor(
    readonly status: number,
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(`REST_${status}`, message);
  }

  /** The `errors` array of the response body. */
  get errors(): string[] {
    return [this.message, ...this.details];
  }
}

export function notFound(message: string): RestError {
  return new RestError(404, message);
}

export function badRequest(message: string): RestError {
  return new RestError(400, message);
}

/** Flink's status per refusal: unsupported operations surface as its unhandled-exception 500. */
const STATUS_OF: Record<JobRequestFailure, number> = { NOT_FOUND: 404, BAD_REQUEST: 400, CONFLICT: 409, UNSUPPORTED: 500 };

/** The REST answer to an error a handler let through; undefined for errors that are bugs (500 with a log line). */
export function toRestError(error: unknown): RestError | undefined {
  if (error instanceof RestError) return error;
  // Log file refusals keep their code across RPC, so a TaskManager's answer maps like the JobManager's own.
  if (hasErrorCode(error, 'LOG_FILE_NOT_FOUND')) return new RestError(404, (error as Error).message);
  if (hasErrorCode(error, 'LOG_FILE_INVALID')) return new RestError(400, (error as Error).message);
  // Flink's jar handlers answer 400 for a missing jar as for a failing one.
  if (error instanceof JarRequestError) return new RestError(400, error.message);
  if (error instanceof JobRequestError) {
    const status = STATUS_OF[error.failure];
    return status === 500 ? new RestError(500, 'Internal server error.', [error.message]) : new RestError(status, error.message);
  }
  return undefined;
}
