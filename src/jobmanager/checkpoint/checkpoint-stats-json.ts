import type {
  CheckpointingStatistics,
  CheckpointStatistics,
  CheckpointSubtaskDetails,
  RestoredCheckpointStatistics,
  StatsSummaryJson,
  TaskCheckpointStatistics,
} from '../../rest/types/responses.js';
import type { CheckpointSettings } from './checkpoint-settings.js';
import {
  endToEndDuration,
  type CheckpointStats,
  type RestoredCheckpointStats,
  type SubtaskCheckpointStats,
  type TaskCheckpointStats,
} from './checkpoint-stats.js';
import type { CheckpointStatsSnapshot } from './checkpoint-stats-tracker.js';
import { StatsSummary } from './stats-summary.js';

const CLASS_NAMES = { IN_PROGRESS: 'in_progress', COMPLETED: 'completed', FAILED: 'failed' } as const;

/** Renders the statistics snapshot with Flink's field names; the overview leaves `tasks` empty, as Flink does. */
export function renderCheckpointingStatistics(snapshot: CheckpointStatsSnapshot): CheckpointingStatistics {
  const { counts, summary } = snapshot;
  return {
    counts: {
      restored: counts.restored,
      total: counts.total,
      in_progress: counts.inProgress,
      completed: counts.completed,
      failed: counts.failed,
    },
    summary: {
      checkpointed_size: summary.checkpointedSize.toJson(),
      state_size: summary.stateSize.toJson(),
      end_to_end_duration: summary.endToEndDuration.toJson(),
      alignment_buffered: summary.alignmentBuffered.toJson(),
      processed_data: summary.processedData.toJson(),
      persisted_data: summary.persistedData.toJson(),
    },
    latest: {
      completed: snapshot.latestCompleted === undefined ? null : renderCheckpoint(snapshot.latestCompleted, false),
      savepoint: snapshot.latestSavepoint === undefined ? null : renderCheckpoint(snapshot.latestSavepoint, false),
      failed: snapshot.latestFailed === undefined ? null : renderCheckpoint(snapshot.latestFailed, false),
      restored: snapshot.latestRestored === undefined ? null : renderRestored(snapshot.latestRestored),
    },
    history: snapshot.history.map((stats) => renderCheckpoint(stats, false)),
  };
}

/** One checkpoint with its per-vertex statistics (GET /jobs/:jobid/checkpoints/details/:checkpointid). */
export function renderCheckpointDetails(stats: CheckpointStats): CheckpointStatistics {
  return renderCheckpoint(stats, true);
}

function renderCheckpoint(stats: CheckpointStats, withTasks: boolean): CheckpointStatistics {
  const tasks: Record<string, TaskCheckpointStatistics> = {};
  if (withTasks) for (const task of stats.tasks.values()) tasks[task.vertexId] = renderTask(stats, task);
  const json = {
    className: CLASS_NAMES[stats.status],
    id: stats.id,
    status: stats.status,
    is_savepoint: stats.kind !== 'CHECKPOINT',
    savepointFormat: stats.kind === 'CHECKPOINT' ? null : 'CANONICAL',
    trigger_timestamp: stats.triggerTimestamp,
    latest_ack_timestamp: stats.latestAckTimestamp,
    checkpointed_size: stats.checkpointedSize,
    state_size: stats.stateSize,
    end_to_end_duration: endToEndDuration(stats),
    alignment_buffered: 0,
    processed_data: stats.processedData,
    persisted_data: stats.persistedData,
    num_subtasks: stats.numSubtasks,
    num_acknowledged_subtasks: stats.numAcknowledged,
    checkpoint_type: stats.kind,
    tasks,
  } satisfies CheckpointStatistics;
  if (stats.status === 'COMPLETED') return { ...json, external_path: stats.externalPath ?? null, discarded: stats.discarded };
  if (stats.status === 'FAILED')
    return { ...json, failure_timestamp: stats.failureTimestamp ?? -1, failure_message: stats.failureMessage ?? null };
  return json;
}

/**
 * One vertex's part of a checkpoint with each subtask's acknowledgement and a summary over them
 * (GET /jobs/:jobid/checkpoints/details/:checkpointid/subtasks/:vertexid). tsflink buffers nothing
 * during alignment and does not time a barrier's start delay, so those figures are 0.
 */
export function renderSubtaskDetails(stats: CheckpointStats, task: TaskCheckpointStats): CheckpointSubtaskDetails {
  const acked = task.subtasks.filter((subtask): subtask is SubtaskCheckpointStats => subtask !== undefined);
  const summaryOf = (value: (subtask: SubtaskCheckpointStats) => number): StatsSummaryJson => {
    const summary = new StatsSummary();
    for (const subtask of acked) summary.add(value(subtask));
    return summary.toJson();
  };
  const zero = summaryOf(() => 0);
  const endToEnd = (subtask: SubtaskCheckpointStats): number => Math.max(0, subtask.ackTimestamp - stats.triggerTimestamp);
  return {
    ...renderTask(stats, task),
    summary: {
      checkpointed_size: summaryOf((s) => s.checkpointedSize),
      state_size: summaryOf((s) => s.stateSize),
      end_to_end_duration: summaryOf(endToEnd),
      checkpoint_duration: { sync: summaryOf((s) => Math.round(s.syncDurationMs)), async: summaryOf((s) => Math.round(s.asyncDurationMs)) },
      alignment: { buffered: zero, processed: zero, persisted: zero, duration: summaryOf((s) => Math.round(s.alignmentDurationMs)) },
      start_delay: zero,
    },
    // className is the Jackson type tag Flink writes on each subtask's statistics.
    subtasks: task.subtasks.map((subtask, index) =>
      subtask === undefined
        ? { className: 'pending' as const, index, status: 'pending_or_failed' as const }
        : {
            className: 'completed' as const,
            index,
            status: 'completed' as const,
            ack_timestamp: subtask.ackTimestamp,
            end_to_end_duration: endToEnd(subtask),
            state_size: subtask.stateSize,
            checkpointed_size: subtask.checkpointedSize,
            checkpoint: { sync: Math.round(subtask.syncDurationMs), async: Math.round(subtask.asyncDurationMs) },
            alignment: { buffered: 0, processed: 0, persisted: 0, duration: Math.round(subtask.alignmentDurationMs) },
            start_delay: 0,
            unaligned_checkpoint: false,
            aborted: false,
          },
    ),
  };
}

function renderTask(stats: CheckpointStats, task: TaskCheckpointStats): TaskCheckpointStatistics {
  return {
    id: stats.id,
    status: stats.status,
    latest_ack_timestamp: task.latestAckTimestamp,
    checkpointed_size: task.checkpointedSize,
    state_size: task.stateSize,
    end_to_end_duration: task.latestAckTimestamp < 0 ? -1 : Math.max(0, task.latestAckTimestamp - stats.triggerTimestamp),
    alignment_buffered: 0,
    processed_data: task.processedData,
    persisted_data: task.persistedData,
    num_subtasks: task.numSubtasks,
    num_acknowledged_subtasks: task.numAcknowledged,
  };
}

function renderRestored(restored: RestoredCheckpointStats): RestoredCheckpointStatistics {
  return {
    id: restored.id,
    restore_timestamp: restored.restoreTimestamp,
    is_savepoint: restored.isSavepoint,
    external_path: restored.externalPath,
  };
}

/** Flink reports a disabled interval as Long.MAX_VALUE; JSON numbers cannot hold it exactly. */
const DISABLED_INTERVAL = Number.MAX_SAFE_INTEGER;
/** Flink's default periodic materialization interval of the changelog backend (10 min), reported though unused. */
const CHANGELOG_MATERIALIZATION_INTERVAL_MS = 600_000;

/** The body of GET /jobs/:jobid/checkpoints/config (Flink's CheckpointConfigInfo). */
export function renderCheckpointConfig(settings: CheckpointSettings): Record<string, unknown> {
  return {
    mode: settings.mode.toLowerCase(),
    interval: settings.intervalMs ?? DISABLED_INTERVAL,
    timeout: settings.timeoutMs,
    min_pause: settings.minPauseMs,
    max_concurrent: settings.maxConcurrent,
    externalization: {
      enabled: settings.retention !== 'NO_EXTERNALIZED_CHECKPOINTS',
      delete_on_cancellation: settings.retention === 'DELETE_ON_CANCELLATION',
    },
    state_backend: 'HashMapStateBackend',
    checkpoint_storage: settings.storage.kind === 'memory' ? 'JobManagerCheckpointStorage' : 'FileSystemCheckpointStorage',
    unaligned_checkpoints: false,
    tolerable_failed_checkpoints: settings.tolerableFailures,
    aligned_checkpoint_timeout: 0,
    checkpoints_after_tasks_finish: true,
    state_changelog_enabled: false,
    changelog_periodic_materialization_interval: CHANGELOG_MATERIALIZATION_INTERVAL_MS,
    changelog_storage: 'memory',
  };
}
