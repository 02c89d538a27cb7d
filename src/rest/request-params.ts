import {
  parseJobId,
  parseTriggerId,
  parseVertexId,
  resourceIdOf,
  type JobId,
  type ResourceId,
  type TriggerId,
  type VertexId,
} from '../core/ids.js';
import { truncateText } from '../core/truncate.js';
import { badRequest } from './rest-error.js';
import type { RestRequest } from './router.js';

/** A 32-hex path parameter (job, vertex or trigger id), lower-cased as Flink prints ids; 400 otherwise. */
function hexIdParam<T>(
  request: RestRequest,
  name: 'jobid' | 'vertexid' | 'triggerid',
  what: string,
  parse: (value: string) => T | undefined,
): T {
  const value = request.params[name] ?? '';
  const id = parse(value);
  if (id === undefined) throw badRequest(`Invalid ${what} '${value}': expected 32 hexadecimal characters.`);
  return id;
}

/** The job id of the path. */
export function jobIdParam(request: RestRequest): JobId {
  return hexIdParam(request, 'jobid', 'job id', parseJobId);
}

/** The vertex id of the path. */
export function vertexIdParam(request: RestRequest): VertexId {
  return hexIdParam(request, 'vertexid', 'job vertex id', parseVertexId);
}

/** The trigger id of the path. */
export function triggerIdParam(request: RestRequest): TriggerId {
  return hexIdParam(request, 'triggerid', 'trigger id', parseTriggerId);
}

/** The TaskManager (resource) id of the path, as given: an unknown one is a 404 for the caller to answer. */
export function taskManagerIdParam(request: RestRequest): ResourceId {
  return resourceIdOf(request.params['taskmanagerid'] ?? '');
}

/** A non-negative integer path parameter such as a checkpoint id. */
export function integerParam(request: RestRequest, name: string, what: string): number {
  const value = request.params[name] ?? '';
  if (!/^\d{1,15}$/.test(value)) throw badRequest(`Invalid ${what} '${value}': expected a non-negative integer.`);
  return Number(value);
}

/** An optional integer query parameter at least `min`; 400 when it is present and malformed. */
export function integerQuery(request: RestRequest, name: string, fallback: number, min: number): number {
  const value = request.query.get(name);
  if (value === null) return fallback;
  if (!/^-?\d{1,15}$/.test(value.trim()) || Number(value) < min) {
    throw badRequest(`Invalid query parameter ${name}='${value}': expected an integer of at least ${min}.`);
  }
  return Number(value);
}

/** The request body as a JSON object; an absent body reads as `{}`. 400 for anything else. */
export function objectBody(request: RestRequest, what: string): Record<string, unknown> {
  const body = request.body;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest(`The request body of ${what} must be a JSON object.`);
  return body as Record<string, unknown>;
}

/** Longest string field a request may carry by default: PATH_MAX, enough for any path, name or id. */
export const MAX_STRING_FIELD = 4_096;

/** An optional string field of a body (null counts as absent, as Jackson reads it), at most `maxLength` characters. */
export function optionalString(body: Record<string, unknown>, field: string, maxLength = MAX_STRING_FIELD): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest(`Field '${field}' must be a string, got ${truncateText(JSON.stringify(value), 200)}.`);
  if (value.length > maxLength) throw badRequest(`Field '${field}' is ${value.length} characters long; at most ${maxLength} are accepted.`);
  return value;
}

/** An optional boolean field of a body, `fallback` when absent. */
export function optionalBoolean(body: Record<string, unknown>, field: string, fallback: boolean): boolean {
  const value = body[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw badRequest(`Field '${field}' must be true or false, got ${JSON.stringify(value)}.`);
  return value;
}

/** An optional client-chosen trigger id of a body: 32 hex characters. */
export function optionalTriggerId(body: Record<string, unknown>): TriggerId | undefined {
  const value = optionalString(body, 'triggerId');
  if (value === undefined) return undefined;
  const id = parseTriggerId(value);
  if (id === undefined) throw badRequest(`Field 'triggerId' must be 32 hexadecimal characters, got '${value}'.`);
  return id;
}

/** The savepoint format of a body: only CANONICAL and NATIVE exist; tsflink writes one format for both. */
export function checkFormatType(body: Record<string, unknown>): void {
  const value = optionalString(body, 'formatType');
  if (value !== undefined && value !== 'CANONICAL' && value !== 'NATIVE') {
    throw badRequest(`Field 'formatType' must be CANONICAL or NATIVE, got '${value}'.`);
  }
}
