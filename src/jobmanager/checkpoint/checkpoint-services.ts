import { getLogger } from '../../core/logging.js';
import { readCompletedCheckpoint } from './checkpoint-directory-loader.js';
import { CheckpointIdCounter } from './checkpoint-id-counter.js';
import type { CheckpointSettings } from './checkpoint-settings.js';
import { CheckpointStatsTracker } from './checkpoint-stats-tracker.js';
import { CompletedCheckpointStore } from './completed-checkpoint-store.js';
import { displayPath, isSavepoint, type CompletedCheckpoint } from './completed-checkpoint.js';
import { assignState, type StateAssignment, type StateAssignmentOptions, type VertexRestorePlan } from './state-assignment.js';

const log = getLogger('checkpoint.restore');

/** The checkpoint objects one job keeps across every execution graph (rescales and restarts share them). */
export interface JobCheckpointServices {
  readonly store: CompletedCheckpointStore;
  readonly idCounter: CheckpointIdCounter;
  readonly statsTracker: CheckpointStatsTracker;
}

/**
 * Creates a job's store, id counter and statistics. With `recover` and file storage, checkpoints
 * an earlier JobManager completed under `<dir>/<jobId>` are loaded, and ids continue above every
 * checkpoint directory found there.
 */
export async function createJobCheckpointServices(settings: CheckpointSettings, jobId: string, options: { readonly recover?: boolean } = {}): Promise<JobCheckpointServices> {
  const storeOptions = { numRetained: settings.numRetained, retention: settings.retention };
  const idCounter = new CheckpointIdCounter();
  const statsTracker = new CheckpointStatsTracker(settings.historySize);
  if (options.recover !== true || settings.storage.kind !== 'filesystem') {
    return { store: new CompletedCheckpointStore(storeOptions), idCounter, statsTracker };
  }
  const { store, loaded } = await CompletedCheckpointStore.loadFromDirectory(settings.storage.directory, jobId, storeOptions);
  idCounter.ensureAbove(loaded.highestSeenId);
  log.info(`Recovered ${loaded.checkpoints.length} completed checkpoint(s) of job ${jobId}; ${loaded.skipped.length} skipped; next checkpoint id ${idCounter.peek()}.`);
  return { store, idCounter, statsTracker };
}

/** Reads the savepoint at `path` (directory or `_metadata`) and makes it the store's latest, as Flink does for -s. */
export async function loadSavepointIntoStore(path: string, services: JobCheckpointServices): Promise<CompletedCheckpoint> {
  const savepoint = await readCompletedCheckpoint(path);
  await services.store.add(savepoint);
  services.idCounter.ensureAbove(savepoint.id);
  log.info(`Loaded ${isSavepoint(savepoint) ? 'savepoint' : 'checkpoint'} ${savepoint.id} from ${displayPath(savepoint)}.`);
  return savepoint;
}

/** A restore: the checkpoint used and what each new subtask gets from it. */
export interface RestoredState {
  readonly checkpoint: CompletedCheckpoint;
  readonly assignment: StateAssignment;
}

/**
 * Restores the store's latest checkpoint into `plan` and reports it to the statistics; undefined
 * when the store is empty (the job starts without state). Throws StateAssignmentError when the
 * checkpoint does not fit the plan.
 */
export function restoreLatestCheckpoint(services: JobCheckpointServices, plan: readonly VertexRestorePlan[], options: StateAssignmentOptions & { readonly now?: number } = {}): RestoredState | undefined {
  const checkpoint = services.store.latest();
  if (checkpoint === undefined) return undefined;
  const assignment = assignState(checkpoint, plan, options);
  services.statsTracker.reportRestored({
    id: checkpoint.id,
    restoreTimestamp: options.now ?? Date.now(),
    isSavepoint: isSavepoint(checkpoint),
    externalPath: displayPath(checkpoint),
  });
  log.info(`Restoring job ${checkpoint.jobId} from ${isSavepoint(checkpoint) ? 'savepoint' : 'checkpoint'} ${checkpoint.id} at ${displayPath(checkpoint)}.`);
  return { checkpoint, assignment };
}
