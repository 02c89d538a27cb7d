import type { ExecutionAttemptId, JobId, OperatorId } from '../../core/ids.js';
import type { StateSlice } from './task-deployment-descriptor.js';

/** What a barrier asks for: a checkpoint, a savepoint, or the savepoint that stops the job. */
export type BarrierKind = 'CHECKPOINT' | 'SAVEPOINT' | 'SYNC_SAVEPOINT';

/** Where one operator's part of a subtask snapshot is: a slice per key group, and list state entries. */
export interface OperatorStateHandle {
  readonly operatorId: OperatorId;
  /**
   * Slices of keyed state, one per key group from `start`; null for an empty group. With
   * incremental checkpoints a slice is the group's full base and `deltas` (when present) holds, per
   * group, the deltas to apply on top of it in order (null or empty: none). A base or delta may be
   * shared with other checkpoints (the JobManager's SharedStateRegistry counts the references).
   */
  readonly keyGroups?: {
    readonly start: number;
    readonly slices: ReadonlyArray<StateSlice | null>;
    readonly deltas?: ReadonlyArray<readonly StateSlice[] | null>;
  };
  readonly listStates?: ReadonlyArray<{
    readonly name: string;
    readonly mode: 'SPLIT_DISTRIBUTE' | 'UNION' | 'BROADCAST';
    readonly entries: readonly StateSlice[];
  }>;
}

/** What a subtask acknowledges for one checkpoint: the location of every operator's state. */
export interface SubtaskStateHandle {
  readonly operators: readonly OperatorStateHandle[];
  /** Bytes of state the snapshot holds, base and deltas it references included (Flink's state size). */
  readonly stateSize: number;
  /** Bytes this checkpoint wrote (Flink's checkpointed size); absent: equal to `stateSize`. */
  readonly checkpointedSize?: number;
  /** Time the subtask spent aligning barriers, in ms. */
  readonly alignmentDurationMs: number;
  /** Time of the synchronous copy, in ms. */
  readonly syncDurationMs: number;
  /** Time writing the copy out, in ms. */
  readonly asyncDurationMs: number;
}

/** A subtask acknowledging a checkpoint. */
export interface CheckpointAcknowledgement {
  readonly jobId: JobId;
  readonly attemptId: ExecutionAttemptId;
  readonly checkpointId: number;
  readonly state: SubtaskStateHandle;
}

/** Sent as the job of a decline for an attempt the TaskManager does not know: the JobManager then finds it by attempt. */
export const UNKNOWN_JOB = '';

/** A subtask refusing a checkpoint (its snapshot failed). */
export interface CheckpointDecline {
  readonly jobId: JobId | typeof UNKNOWN_JOB;
  readonly attemptId: ExecutionAttemptId;
  readonly checkpointId: number;
  readonly reason: string;
  /** The task could not take part yet or any more (starting, finishing): not a real failure, not counted. */
  readonly notReady?: boolean;
}

/** Trigger sent to a source subtask. */
export interface CheckpointTrigger {
  readonly attemptId: ExecutionAttemptId;
  readonly checkpointId: number;
  readonly timestamp: number;
  readonly kind: BarrierKind;
  /** Stop-with-savepoint with `--drain`: the source ends its input (MAX_WATERMARK, end of data) before the barrier. */
  readonly drain?: boolean;
  /**
   * A checkpoint that ends the run for a planned rescale: after this barrier the source emits
   * nothing more (unless the checkpoint is aborted), so the next run, restoring it, replays nothing.
   */
  readonly haltSources?: boolean;
}
