// Checkpoint statistics as GET /jobs/:jobid/checkpoints and its detail endpoints return them, with
// Flink's field names. Types only, like responses.ts, so the dashboard's browser build erases them.

/** Status of a checkpoint in statistics (Flink's CheckpointStatsStatus). */
export type CheckpointStatsStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

/** Flink's StatsSummaryDto: min, max, average and percentiles of one checkpoint statistic. */
export interface StatsSummaryJson {
  readonly min: number;
  readonly max: number;
  readonly avg: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999: number;
}

/** One vertex's part of a checkpoint (Flink's TaskCheckpointStatistics), `tasks` of a checkpoint's details by vertex id. */
export interface TaskCheckpointStatistics {
  /** The checkpoint's id (Flink repeats it in each vertex's entry). */
  readonly id: number;
  readonly status: CheckpointStatsStatus;
  /** -1 until the first subtask acknowledges. */
  readonly latest_ack_timestamp: number;
  readonly checkpointed_size: number;
  readonly state_size: number;
  readonly end_to_end_duration: number;
  readonly alignment_buffered: number;
  readonly processed_data: number;
  readonly persisted_data: number;
  readonly num_subtasks: number;
  readonly num_acknowledged_subtasks: number;
}

/** One checkpoint (Flink's CheckpointStatistics); also the body of GET /jobs/:jobid/checkpoints/details/:checkpointid. */
export interface CheckpointStatistics {
  readonly className: 'in_progress' | 'completed' | 'failed';
  readonly id: number;
  readonly status: CheckpointStatsStatus;
  readonly is_savepoint: boolean;
  readonly savepointFormat: string | null;
  readonly trigger_timestamp: number;
  readonly latest_ack_timestamp: number;
  readonly checkpointed_size: number;
  readonly state_size: number;
  readonly end_to_end_duration: number;
  readonly alignment_buffered: number;
  readonly processed_data: number;
  readonly persisted_data: number;
  readonly num_subtasks: number;
  readonly num_acknowledged_subtasks: number;
  readonly checkpoint_type: string;
  /** Each vertex's part, by vertex id; empty in the overview, as in Flink. */
  readonly tasks: Readonly<Record<string, TaskCheckpointStatistics>>;
  /** Completed checkpoints only. */
  readonly external_path?: string | null;
  readonly discarded?: boolean;
  /** Failed checkpoints only. */
  readonly failure_timestamp?: number;
  readonly failure_message?: string | null;
}

/** The checkpoint a run restored (Flink's RestoredCheckpointStatistics). */
export interface RestoredCheckpointStatistics {
  readonly id: number;
  readonly restore_timestamp: number;
  readonly is_savepoint: boolean;
  readonly external_path: string;
}

/** GET /jobs/:jobid/checkpoints (Flink's CheckpointingStatistics). */
export interface CheckpointingStatistics {
  readonly counts: {
    readonly restored: number;
    readonly total: number;
    readonly in_progress: number;
    readonly completed: number;
    readonly failed: number;
  };
  readonly summary: Readonly<
    Record<
      'checkpointed_size' | 'state_size' | 'end_to_end_duration' | 'alignment_buffered' | 'processed_data' | 'persisted_data',
      StatsSummaryJson
    >
  >;
  readonly latest: {
    readonly completed: CheckpointStatistics | null;
    readonly savepoint: CheckpointStatistics | null;
    readonly failed: CheckpointStatistics | null;
    readonly restored: RestoredCheckpointStatistics | null;
  };
  /** The most recent checkpoints, newest first (Flink keeps web.checkpoints.history of them). */
  readonly history: readonly CheckpointStatistics[];
}

/** A subtask that has not acknowledged the checkpoint (or failed it). */
export interface PendingSubtaskCheckpointStatistics {
  readonly className: 'pending';
  readonly index: number;
  readonly status: 'pending_or_failed';
}

/** A subtask's acknowledgement of a checkpoint. */
export interface CompletedSubtaskCheckpointStatistics {
  readonly className: 'completed';
  readonly index: number;
  readonly status: 'completed';
  readonly ack_timestamp: number;
  readonly end_to_end_duration: number;
  readonly state_size: number;
  readonly checkpointed_size: number;
  readonly checkpoint: { readonly sync: number; readonly async: number };
  readonly alignment: { readonly buffered: number; readonly processed: number; readonly persisted: number; readonly duration: number };
  readonly start_delay: number;
  readonly unaligned_checkpoint: boolean;
  readonly aborted: boolean;
}

/** One subtask of a checkpoint's vertex (Flink's SubtaskCheckpointStatistics). */
export type SubtaskCheckpointStatistics = PendingSubtaskCheckpointStatistics | CompletedSubtaskCheckpointStatistics;

/**
 * GET /jobs/:jobid/checkpoints/details/:checkpointid/subtasks/:vertexid: each subtask's
 * acknowledgement, with a summary over them (Flink's TaskCheckpointStatisticsWithSubtaskDetails).
 */
export interface CheckpointSubtaskDetails extends TaskCheckpointStatistics {
  readonly summary: {
    readonly checkpointed_size: StatsSummaryJson;
    readonly state_size: StatsSummaryJson;
    readonly end_to_end_duration: StatsSummaryJson;
    readonly checkpoint_duration: { readonly sync: StatsSummaryJson; readonly async: StatsSummaryJson };
    readonly alignment: {
      readonly buffered: StatsSummaryJson;
      readonly processed: StatsSummaryJson;
      readonly persisted: StatsSummaryJson;
      readonly duration: StatsSummaryJson;
    };
    readonly start_delay: StatsSummaryJson;
  };
  readonly subtasks: readonly SubtaskCheckpointStatistics[];
}
