import type { VertexId } from '../../core/ids.js';
import type { BarrierKind } from '../../rpc/gateways/checkpoint-messages.js';
import type { CheckpointStatsStatus } from '../../rest/types/responses.js';

export type { CheckpointStatsStatus } from '../../rest/types/responses.js';

/** One subtask's acknowledgement of a checkpoint, for the per-subtask details. */
export interface SubtaskCheckpointStats {
  readonly ackTimestamp: number;
  readonly stateSize: number;
  /** Bytes this subtask wrote for the checkpoint (less than `stateSize` when incremental). */
  readonly checkpointedSize: number;
  readonly syncDurationMs: number;
  readonly asyncDurationMs: number;
  readonly alignmentDurationMs: number;
}

/** Statistics of one vertex's subtasks within one checkpoint. */
export interface TaskCheckpointStats {
  readonly vertexId: VertexId;
  readonly numSubtasks: number;
  numAcknowledged: number;
  /** -1 until the first subtask acknowledges. */
  latestAckTimestamp: number;
  stateSize: number;
  checkpointedSize: number;
  processedData: number;
  persistedData: number;
  /** Entry i: subtask i's acknowledgement; undefined while it is pending (or when it failed). */
  readonly subtasks: Array<SubtaskCheckpointStats | undefined>;
}

/** Statistics of one checkpoint, updated in place while it is in progress. */
export interface CheckpointStats {
  readonly id: number;
  readonly kind: BarrierKind;
  status: CheckpointStatsStatus;
  readonly triggerTimestamp: number;
  readonly numSubtasks: number;
  numAcknowledged: number;
  /** -1 until the first subtask acknowledges. */
  latestAckTimestamp: number;
  stateSize: number;
  checkpointedSize: number;
  processedData: number;
  persistedData: number;
  readonly tasks: Map<string, TaskCheckpointStats>;
  externalPath: string | undefined;
  discarded: boolean;
  failureTimestamp: number | undefined;
  failureMessage: string | undefined;
}

/** The last restore, as REST's `latest.restored`. */
export interface RestoredCheckpointStats {
  readonly id: number;
  readonly restoreTimestamp: number;
  readonly isSavepoint: boolean;
  readonly externalPath: string;
}

/** A new in-progress entry for a triggered checkpoint, with one task entry per vertex. */
export function newCheckpointStats(
  id: number,
  kind: BarrierKind,
  triggerTimestamp: number,
  vertices: ReadonlyArray<{ vertexId: VertexId; parallelism: number }>,
): CheckpointStats {
  const tasks = new Map<string, TaskCheckpointStats>();
  let numSubtasks = 0;
  for (const vertex of vertices) {
    numSubtasks += vertex.parallelism;
    tasks.set(vertex.vertexId, {
      vertexId: vertex.vertexId,
      numSubtasks: vertex.parallelism,
      numAcknowledged: 0,
      latestAckTimestamp: -1,
      stateSize: 0,
      checkpointedSize: 0,
      processedData: 0,
      persistedData: 0,
      subtasks: new Array<SubtaskCheckpointStats | undefined>(vertex.parallelism).fill(undefined),
    });
  }
  return {
    id,
    kind,
    status: 'IN_PROGRESS',
    triggerTimestamp,
    numSubtasks,
    numAcknowledged: 0,
    latestAckTimestamp: -1,
    stateSize: 0,
    checkpointedSize: 0,
    processedData: 0,
    persistedData: 0,
    tasks,
    externalPath: undefined,
    discarded: false,
    failureTimestamp: undefined,
    failureMessage: undefined,
  };
}

/** Flink's end-to-end duration: to the latest acknowledgement (-1 before any), or to the failure for a failed checkpoint. */
export function endToEndDuration(stats: CheckpointStats): number {
  if (stats.status === 'FAILED' && stats.failureTimestamp !== undefined)
    return Math.max(0, stats.failureTimestamp - stats.triggerTimestamp);
  return stats.latestAckTimestamp < 0 ? -1 : Math.max(0, stats.latestAckTimestamp - stats.triggerTimestamp);
}
