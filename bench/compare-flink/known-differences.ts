/**
 * Where tsflink's answers differ from Apache Flink 1.20's on purpose, or are not served yet: the
 * one list `npm run compare-flink` marks its findings with and the golden-shape test allows.
 * docs/differences-from-flink.md explains each to users.
 */

/** Why a difference is there. */
export type DifferenceKind = 'deliberate' | 'not yet served' | 'timing';

/** One known difference: an endpoint, optionally narrowed to the paths in its answer. */
export interface KnownDifference {
  readonly kind: DifferenceKind;
  /** A REST template as in Flink's snapshot, or '*' for every endpoint. */
  readonly endpoint: string;
  /** Shape paths (a trailing `*` matches any continuation); absent: the endpoint's status itself. */
  readonly paths?: readonly string[];
  readonly reason: string;
}

/** Fields of the newest Flink REST schema (the snapshot tsflink follows), absent from 1.20's answers. */
const NEWER_SCHEMA =
  "tsflink answers with Flink's newest REST schema (the master snapshot in test/fixtures), a superset of 1.20's: the newer fields are extra, none is missing";

/** Why a source subtask's state differs after a scale-up. */
const IDLE_SOURCE =
  'a generator source subtask that gets no split after a scale-up stays RUNNING and idle, where Flink finishes it: a later rescale can give it work again';

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    kind: 'timing',
    endpoint: '/jobs/:jobid/checkpoints',
    paths: ['$.history[].status', '$.history[].failure_message', '$.history[].failure_timestamp'],
    reason:
      'a checkpoint in flight when the job is canceled ends FAILED in the history, on Flink as on tsflink; whether one was in flight depends on when the cancel lands',
  },
  {
    kind: 'deliberate',
    endpoint: '*',
    paths: [
      '$.jobs[].jobType',
      '$.jobs[].pending-operators',
      '$.jobs[].schedulerType',
      '$.pending-operators',
      '$.schedulerType',
      '$.slots-free-and-blocked',
      '$.taskmanagers-blocked',
      '$.taskmanagers[].assignedTasks',
      '$.taskmanagers[].blocked',
      '$.allocatedSlots[].assignedTasks',
      '$.assignedTasks',
      '$.blocked',
      '$.subtasks[].other-concurrent-attempts',
      '$.other-concurrent-attempts',
      '$.exceptionHistory.entries[].endpoint',
      '$.exceptionHistory.entries[].taskManagerId',
      '$.exceptionHistory.entries[].taskName',
      '$.subtasks[].taskmanager-id',
      '$.subtasks[].attempt-number',
    ],
    reason: NEWER_SCHEMA,
  },
  {
    kind: 'deliberate',
    endpoint: '/jobs/:jobid/checkpoints/details/:checkpointid/subtasks/:vertexid',
    paths: ['$.summary.*'],
    reason: 'the summary percentiles are numbers, as the REST schema declares them; Flink 1.20 writes them as strings',
  },
  {
    kind: 'deliberate',
    endpoint: '/jobs/:jobid/config',
    paths: ['$.execution-config.execution-mode'],
    reason: 'the DataSet execution mode (PIPELINED/BATCH) is gone from Flink 2.x and means nothing to a streaming job',
  },
  {
    kind: 'deliberate',
    endpoint: '/jobs/:jobid/resource-requirements',
    reason: 'a finished job still answers with its last requirements, where Flink 1.20 fails with 500',
  },
  ...[
    ['/jobs/:jobid/vertices/:vertexid', '$.subtasks[].status'],
    ['/jobs/:jobid/vertices/:vertexid/taskmanagers', '$.taskmanagers[].status'],
    ['/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex', '$.status'],
    ['/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/attempts/:attempt', '$.status'],
  ].map(([endpoint, path]): KnownDifference => ({
    kind: 'deliberate',
    endpoint: endpoint!,
    paths: [path!],
    reason: IDLE_SOURCE,
  })),
];

function pathMatches(pattern: string, path: string): boolean {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : pattern === path;
}

/** The known difference that explains a finding at `endpoint` (and `path`, for a shape finding). */
export function knownDifference(endpoint: string, path?: string): KnownDifference | undefined {
  return KNOWN_DIFFERENCES.find(
    (d) =>
      (d.endpoint === '*' || d.endpoint === endpoint) &&
      (path === undefined ? d.paths === undefined : d.paths !== undefined && d.paths.some((p) => pathMatches(p, path))),
  );
}
