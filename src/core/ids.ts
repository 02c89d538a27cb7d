import { randomBytes } from 'node:crypto';

type Brand<T, B extends string> = T & { readonly __brand: B };

// Each id is branded once, where it enters a process: generated here (`new…`), parsed from user
// input (`parse…`), or read off the wire, where the gateway contract in src/rpc/gateways/ that
// declares the field is the brand (and its validator, where it has one, the check). Code in between
// passes the branded type on and never casts.

/** A job's id: 32 lowercase hex characters, as Flink's JobID. */
export type JobId = Brand<string, 'JobId'>;
/** A job vertex's id: 32 lowercase hex characters. */
export type VertexId = Brand<string, 'VertexId'>;
/** An operator's id inside a vertex: 32 lowercase hex characters. */
export type OperatorId = Brand<string, 'OperatorId'>;
/** A TaskManager's resource id, e.g. `localhost:4242-a1b2c3`. */
export type ResourceId = Brand<string, 'ResourceId'>;
/** One deployment of one subtask: 32 lowercase hex characters. */
export type ExecutionAttemptId = Brand<string, 'ExecutionAttemptId'>;
/** A slot allocation: 32 lowercase hex characters. */
export type AllocationId = Brand<string, 'AllocationId'>;
/** An asynchronous REST operation (savepoint, stop): 32 lowercase hex characters. */
export type TriggerId = Brand<string, 'TriggerId'>;

const HEX32 = /^[0-9a-f]{32}$/;

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export function newJobId(): JobId {
  return randomHex(16) as JobId;
}

export function newExecutionAttemptId(): ExecutionAttemptId {
  return randomHex(16) as ExecutionAttemptId;
}

export function newAllocationId(): AllocationId {
  return randomHex(16) as AllocationId;
}

export function newTriggerId(): TriggerId {
  return randomHex(16) as TriggerId;
}

/** True when `value` has the form of Flink's 32-hex ids (JobID, JobVertexID, TriggerId). */
export function isHexId(value: string): boolean {
  return HEX32.test(value);
}

/** Parses a user-supplied job id; undefined when it is not 32 hex characters. */
export function parseJobId(value: string): JobId | undefined {
  return parseHexId<JobId>(value);
}

/** Parses a user-supplied job vertex id; undefined when it is not 32 hex characters. */
export function parseVertexId(value: string): VertexId | undefined {
  return parseHexId<VertexId>(value);
}

/** Parses a user-supplied trigger id; undefined when it is not 32 hex characters. */
export function parseTriggerId(value: string): TriggerId | undefined {
  return parseHexId<TriggerId>(value);
}

/**
 * A TaskManager's resource id, as configured (`taskmanager.resource-id`) or made up at start; any
 * non-empty text, so this only brands it. Call it once, where the TaskManager picks its id.
 */
export function resourceIdOf(value: string): ResourceId {
  return value as ResourceId;
}

function parseHexId<T extends string>(value: string): T | undefined {
  const lower = value.toLowerCase();
  return HEX32.test(lower) ? (lower as T) : undefined;
}
