/** The JobManager's checkpoint subsystem: coordinator, store, state assignment, statistics and settings. */
export { CheckpointCoordinator } from './checkpoint-coordinator.js';
export type {
  CheckpointCoordinatorContext,
  CheckpointCoordinatorListener,
  CheckpointCoordinatorOptions,
  CheckpointTriggerTarget,
} from './checkpoint-coordinator-context.js';
export type { CheckpointCommitTarget } from './pending-checkpoint.js';
export { SYSTEM_CLOCK, type CheckpointClock, type ScheduledAction } from './checkpoint-clock.js';
export { CheckpointError, noSavepointLocationError, type CheckpointFailureReason } from './checkpoint-failure.js';
export { CheckpointFailureManager, CheckpointToleranceExceededError } from './checkpoint-failure-manager.js';
export { CheckpointIdCounter } from './checkpoint-id-counter.js';
export {
  checkpointSettingsFrom,
  isPeriodicCheckpointingEnabled,
  taskCheckpointSettings,
  type CheckpointSettings,
  type CheckpointStorageSettings,
  type CheckpointRetention,
} from './checkpoint-settings.js';
export { createCheckpointStorage, FileCheckpointStorage, MemoryCheckpointStorage, type CheckpointStorage } from './checkpoint-storage.js';
export { CompletedCheckpointStore, type TerminalJobStatus } from './completed-checkpoint-store.js';
export {
  loadCheckpointsFromDirectory,
  readCompletedCheckpoint,
  type LoadedCheckpoints,
  type SkippedCheckpoint,
} from './checkpoint-directory-loader.js';
export {
  NOT_EXTERNALLY_ADDRESSABLE,
  isSavepoint,
  type CompletedCheckpoint,
  type OperatorSnapshot,
  type VertexSnapshotInfo,
} from './completed-checkpoint.js';
export {
  assignState,
  checkpointMaxParallelism,
  StateAssignmentError,
  type StateAssignment,
  type VertexRestorePlan,
} from './state-assignment.js';
export { CheckpointStatsTracker, type CheckpointMetrics } from './checkpoint-stats-tracker.js';
export { renderCheckpointConfig, renderCheckpointingStatistics } from './checkpoint-stats-json.js';
export {
  createJobCheckpointServices,
  loadSavepointIntoStore,
  restoreLatestCheckpoint,
  type JobCheckpointServices,
  type RestoredState,
} from './checkpoint-services.js';
