import { TsFlinkError } from '../core/errors.js';

/** An error answered with its HTTP status and Flink's `{"errors": [...]}` body. */
export class RestError extends TsFlinkError {
  constructor(readonly status: number, message: string) {
    super(`REST_${status}`, message);
  }
}

export function notFound(message: string): RestError {
  return new RestError(404, message);
}

export function badRequest(message: string): RestError {
  return new RestError(400, message);
}
