import type { VertexId } from '../../core/ids.js';
import type { CheckpointingStatistics, CheckpointStatistics, CheckpointSubtaskDetails } from '../../rest/types/responses.js';
import type { BarrierKind } from '../../rpc/gateways/checkpoint-messages.js';
import { MAX_FAILURE_MESSAGE, truncateText } from '../../core/truncate.js';
import { newCheckpointStats, endToEndDuration, type CheckpointStats, type RestoredCheckpointStats } from './checkpoint-stats.js';
import { renderCheckpointDetails, renderCheckpointingStatistics, renderSubtaskDetails } from './checkpoint-stats-json.js';
import { StatsSummary } from './stats-summary.js';

/** Counters of REST's `counts` (Flink's CheckpointStatsCounts). */
export interface CheckpointStatsCounts {
  readonly restored: number;
  readonly total: number;
  readonly inProgress: number;
  readonly completed: number;
  readonly failed: number;
}

/** The JobManager job metrics about checkpoints, by Flink's metric names. */
export interface CheckpointMetrics {
  readonly numberOfCompletedCheckpoints: number;
  readonly numberOfFailedCheckpoints: number;
  readonly numberOfInProgressCheckpoints: number;
  readonly totalNumberOfCheckpoints: number;
  readonly lastCheckpointDuration: number;
  readonly lastCheckpointSize: number;
  /** Flink's lastCheckpointFullSize: the whole state the checkpoint references, shared parts included. */
  readonly lastCheckpointFullSize: number;
  readonly lastCheckpointRestoreTimestamp: number;
  readonly lastCompletedCheckpointId: number;
  readonly lastCheckpointExternalPath: string;
}

/** Summaries over all completed checkpoints, one per REST summary field. */
export interface CheckpointSummaries {
  readonly checkpointedSize: StatsSummary;
  readonly stateSize: StatsSummary;
  readonly endToEndDuration: StatsSummary;
  readonly alignmentBuffered: StatsSummary;
  readonly processedData: StatsSummary;
  readonly persistedData: StatsSummary;
}

/** A consistent view of the tracker, as REST renders it. */
export interface CheckpointStatsSnapshot {
  readonly counts: CheckpointStatsCounts;
  readonly summary: CheckpointSummaries;
  readonly latestCompleted: CheckpointStats | undefined;
  readonly latestSavepoint: CheckpointStats | undefined;
  readonly latestFailed: CheckpointStats | undefined;
  readonly latestRestored: RestoredCheckpointStats | undefined;
  /** Newest first, at most web.checkpoints.history entries. */
  readonly history: readonly CheckpointStats[];
}

/**
 * Checkpoint statistics of one job. It outlives coordinators (one per job, shared across
 * rescales and restarts) so counts and history stay continuous.
 */
export class CheckpointStatsTracker {
  private counts = { restored: 0, total: 0, inProgress: 0, completed: 0, failed: 0 };
  private readonly summary: CheckpointSummaries = {
    checkpointedSize: new StatsSummary(),
    stateSize: new StatsSummary(),
    endToEndDuration: new StatsSummary(),
    alignmentBuffered: new StatsSummary(),
    processedData: new StatsSummary(),
    persistedData: new StatsSummary(),
  };
  private readonly pending = new Map<number, CheckpointStats>();
  private history: CheckpointStats[] = [];
  private latestCompleted: CheckpointStats | undefined;
  private latestSavepoint: CheckpointStats | undefined;
  private latestFailed: CheckpointStats | undefined;
  private latestRestored: RestoredCheckpointStats | undefined;
  /** The newest completed checkpoint or savepoint, for the metrics. */
  private lastCompletedAny: CheckpointStats | undefined;

  constructor(readonly historySize = 10) {}

  /** A checkpoint was triggered. */
  reportPending(
    id: number,
    kind: BarrierKind,
    triggerTimestamp: number,
    vertices: ReadonlyArray<{ vertexId: VertexId; parallelism: number }>,
  ): void {
    const stats = newCheckpointStats(id, kind, triggerTimestamp, vertices);
    this.pending.set(id, stats);
    this.counts.total++;
    this.counts.inProgress++;
    this.history.unshift(stats);
    if (this.history.length > this.historySize) this.history.length = this.historySize;
  }

  /** Subtask `subtask.index` of `vertexId` acknowledged checkpoint `id` with `stateSize` bytes (durations for its details). */
  reportAcknowledged(
    id: number,
    vertexId: VertexId,
    ackTimestamp: number,
    stateSize: number,
    subtask?: {
      /** Bytes written for this checkpoint; absent: all of `stateSize`. */
      readonly checkpointedSize?: number;
      readonly index: number;
      readonly syncDurationMs: number;
      readonly asyncDurationMs: number;
      readonly alignmentDurationMs: number;
    },
  ): void {
    const stats = this.pending.get(id);
    if (stats === undefined) return;
    stats.numAcknowledged++;
    stats.latestAckTimestamp = Math.max(stats.latestAckTimestamp, ackTimestamp);
    const checkpointedSize = subtask?.checkpointedSize ?? stateSize;
    stats.stateSize += stateSize;
    stats.checkpointedSize += checkpointedSize;
    const task = stats.tasks.get(vertexId);
    if (task === undefined) return;
    task.numAcknowledged++;
    task.latestAckTimestamp = Math.max(task.latestAckTimestamp, ackTimestamp);
    task.stateSize += stateSize;
    task.checkpointedSize += checkpointedSize;
    if (subtask !== undefined && subtask.index >= 0 && subtask.index < task.subtasks.length) {
      task.subtasks[subtask.index] = {
        ackTimestamp,
        stateSize,
        checkpointedSize,
        syncDurationMs: subtask.syncDurationMs,
        asyncDurationMs: subtask.asyncDurationMs,
        alignmentDurationMs: subtask.alignmentDurationMs,
      };
    }
  }

  /** Checkpoint `id` completed; `externalPath` as shown (the in-memory marker when not on disk). */
  reportCompleted(id: number, externalPath: string): void {
    const stats = this.pending.get(id);
    if (stats === undefined) return;
    this.pending.delete(id);
    stats.status = 'COMPLETED';
    stats.externalPath = externalPath;
    this.counts.inProgress--;
    this.counts.completed++;
    this.summary.checkpointedSize.add(stats.checkpointedSize);
    this.summary.stateSize.add(stats.stateSize);
    this.summary.endToEndDuration.add(Math.max(0, endToEndDuration(stats)));
    this.summary.alignmentBuffered.add(0);
    this.summary.processedData.add(stats.processedData);
    this.summary.persistedData.add(stats.persistedData);
    if (stats.kind === 'CHECKPOINT') this.latestCompleted = stats;
    else this.latestSavepoint = stats;
    this.lastCompletedAny = stats;
  }

  /** Checkpoint `id`, which was in progress, failed. */
  reportFailed(id: number, failureTimestamp: number, message: string): void {
    const stats = this.pending.get(id);
    if (stats === undefined) return;
    this.pending.delete(id);
    stats.status = 'FAILED';
    stats.failureTimestamp = failureTimestamp;
    stats.failureMessage = truncateText(message, MAX_FAILURE_MESSAGE);
    this.counts.inProgress--;
    this.counts.failed++;
    this.latestFailed = stats;
  }

  /** A checkpoint failed before it was in progress (e.g. its location could not be created). */
  reportFailedWithoutInProgress(): void {
    this.counts.total++;
    this.counts.failed++;
  }

  /** A completed checkpoint's files were deleted (subsumed or the job ended). */
  reportDiscarded(id: number): void {
    for (const stats of [this.latestCompleted, this.lastCompletedAny, ...this.history]) {
      if (stats?.id === id && stats.status === 'COMPLETED') stats.discarded = true;
    }
  }

  /** The job restored a checkpoint or savepoint. */
  reportRestored(restored: RestoredCheckpointStats): void {
    this.counts.restored++;
    this.latestRestored = restored;
  }

  snapshot(): CheckpointStatsSnapshot {
    return {
      counts: { ...this.counts },
      summary: this.summary,
      latestCompleted: this.latestCompleted,
      latestSavepoint: this.latestSavepoint,
      latestFailed: this.latestFailed,
      latestRestored: this.latestRestored,
      history: [...this.history],
    };
  }

  /** The body of GET /jobs/:jobid/checkpoints. */
  renderCheckpointingStatistics(): CheckpointingStatistics {
    return renderCheckpointingStatistics(this.snapshot());
  }

  /** The body of GET /jobs/:jobid/checkpoints/details/:checkpointid; undefined when the id is not in the history. */
  renderCheckpointDetails(id: number): CheckpointStatistics | undefined {
    const stats = this.history.find((entry) => entry.id === id);
    return stats === undefined ? undefined : renderCheckpointDetails(stats);
  }

  /** The body of GET …/checkpoints/details/:checkpointid/subtasks/:vertexid; undefined for an unknown checkpoint or vertex. */
  renderSubtaskDetails(id: number, vertexId: VertexId): CheckpointSubtaskDetails | undefined {
    const stats = this.history.find((entry) => entry.id === id);
    const task = stats?.tasks.get(vertexId);
    return stats === undefined || task === undefined ? undefined : renderSubtaskDetails(stats, task);
  }

  metrics(): CheckpointMetrics {
    const last = this.lastCompletedAny;
    return {
      numberOfCompletedCheckpoints: this.counts.completed,
      numberOfFailedCheckpoints: this.counts.failed,
      numberOfInProgressCheckpoints: this.counts.inProgress,
      totalNumberOfCheckpoints: this.counts.total,
      lastCheckpointDuration: last === undefined ? -1 : endToEndDuration(last),
      lastCheckpointSize: last === undefined ? -1 : last.checkpointedSize,
      lastCheckpointFullSize: last === undefined ? -1 : last.stateSize,
      lastCheckpointRestoreTimestamp: this.latestRestored?.restoreTimestamp ?? -1,
      lastCompletedCheckpointId: last?.id ?? -1,
      lastCheckpointExternalPath: last?.externalPath ?? 'n/a',
    };
  }
}
