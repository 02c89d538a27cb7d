import type { ExecutionAttemptId, JobId } from '../../core/ids.js';
import type { CheckpointTrigger } from '../../rpc/gateways/checkpoint-messages.js';
import type { CheckpointClock } from './checkpoint-clock.js';
import type { CheckpointError } from './checkpoint-failure.js';
import type { CheckpointIdCounter } from './checkpoint-id-counter.js';
import type { CheckpointSettings } from './checkpoint-settings.js';
import type { CheckpointStatsTracker } from './checkpoint-stats-tracker.js';
import type { CheckpointStorage } from './checkpoint-storage.js';
import type { CompletedCheckpointStore } from './completed-checkpoint-store.js';
import type { CompletedCheckpoint, VertexSnapshotInfo } from './completed-checkpoint.js';
import type { CheckpointCommitTarget } from './pending-checkpoint.js';

/** A running source subtask: where triggers go. */
export interface CheckpointTriggerTarget {
  readonly attemptId: ExecutionAttemptId;
  trigger(trigger: CheckpointTrigger): void;
}

/** The coordinator's narrow view of the execution graph it checkpoints. */
export interface CheckpointCoordinatorContext {
  readonly jobId: JobId;
  /**
   * The subtasks that receive triggers: running sources, and running subtasks whose producers have
   * all finished (no barrier can reach them through their inputs any more; Flink's FLIP-147).
   */
  tasksToTrigger(): ReadonlyArray<CheckpointTriggerTarget>;
  /** Every subtask: each must acknowledge, each is told of completion or abortion. */
  allTasks(): ReadonlyArray<CheckpointCommitTarget>;
  /** True when every subtask is RUNNING. */
  allTasksRunning(): boolean;
  /** The vertices at their current parallelism and max parallelism, with their chains' operator ids. */
  vertices(): readonly VertexSnapshotInfo[];
}

/** Who hears about checkpoint outcomes: the scheduler. */
export interface CheckpointCoordinatorListener {
  onCheckpointCompleted?(checkpoint: CompletedCheckpoint): void;
  /** A checkpoint failed after it was started (pre-flight refusals such as min-pause are not reported). */
  onCheckpointFailed?(failure: CheckpointError): void;
  /** Too many checkpoints failed in a row: the job must fail with `error`. */
  failJob(error: Error): void;
}

/** What a coordinator is built from; store, id counter and stats tracker outlive it. */
export interface CheckpointCoordinatorOptions {
  readonly context: CheckpointCoordinatorContext;
  readonly settings: CheckpointSettings;
  readonly store: CompletedCheckpointStore;
  readonly idCounter: CheckpointIdCounter;
  readonly statsTracker: CheckpointStatsTracker;
  readonly listener: CheckpointCoordinatorListener;
  /** Defaults to the storage the settings name. */
  readonly storage?: CheckpointStorage;
  readonly clock?: CheckpointClock;
  /** Source of randomness for the first trigger's delay, in [0, 1). */
  readonly random?: () => number;
}
