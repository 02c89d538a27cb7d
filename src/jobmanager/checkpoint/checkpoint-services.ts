import type { JobId } from '../../core/ids.js';
import { getLogger } from '../../core/logging.js';
import { loadCheckpointsFromDirectory, readCompletedCheckpoint } from './checkpoint-directory-loader.js';
import { CheckpointIdCounter } from './checkpoint-id-counter.js';
import type { CheckpointSettings } from './checkpoint-settings.js';
import { CheckpointStatsTracker } from './checkpoint-stats-tracker.js';
import { CompletedCheckpointStore, type RecoverableCheckpointPointers } from './completed-checkpoint-store.js';
import { displayPath, isSavepoint, type CompletedCheckpoint } from './completed-checkpoint.js';
import { assignState, type StateAssignment, type StateAssignmentOptions, type VertexRestorePlan } from './state-assignment.js';
import { removeOrphanCheckpoints } from './orphan-checkpoints.js';
import { sparePoolOf } from './spare-snapshot-files.js';

const log = getLogger('checkpoint.restore');

/** The checkpoint objects one job keeps across every execution graph (rescales and restarts share them). */
export interface JobCheckpointServices {
  readonly store: CompletedCheckpointStore;
  readonly idCounter: CheckpointIdCounter;
  readonly statsTracker: CheckpointStatsTracker;
}

/** How a job's checkpoints survive a JobManager failure. */
export interface CheckpointRecoveryOptions {
  /** Load what an earlier JobManager of this job completed. */
  readonly recover?: boolean;
  /** The high-availability record of retained checkpoints: kept up to date, and read on recovery. */
  readonly pointers?: RecoverableCheckpointPointers;
}

/**
 * Creates a job's store, id counter and statistics. With `recover`, the checkpoints an earlier
 * JobManager completed are loaded: those its HA record names (savepoints included) and, with file
 * storage, every usable `<dir>/<jobId>/chk-*`; ids continue above every checkpoint seen.
 */
export async function createJobCheckpointServices(
  settings: CheckpointSettings,
  jobId: JobId,
  options: CheckpointRecoveryOptions = {},
): Promise<JobCheckpointServices> {
  const storeOptions = {
    numRetained: settings.numRetained,
    retention: settings.retention,
    pointers: options.pointers,
    spares: sparePoolOf(settings, jobId),
  };
  const idCounter = new CheckpointIdCounter();
  const statsTracker = new CheckpointStatsTracker(settings.historySize);
  if (options.recover !== true) return { store: new CompletedCheckpointStore(storeOptions), idCounter, statsTracker };
  const recorded = (await options.pointers?.recover()) ?? [];
  const scanned =
    settings.storage.kind === 'filesystem' ? await loadCheckpointsFromDirectory(settings.storage.directory, jobId) : undefined;
  const byId = new Map<number, CompletedCheckpoint>();
  for (const checkpoint of [...recorded, ...(scanned?.checkpoints ?? [])]) byId.set(checkpoint.id, checkpoint);
  const checkpoints = [...byId.values()].sort((a, b) => a.id - b.id);
  const counted = ((await options.pointers?.nextCheckpointId?.()) ?? 1) - 1;
  idCounter.ensureAbove(Math.max(scanned?.highestSeenId ?? 0, checkpoints.at(-1)?.id ?? 0, counted));
  log.info(
    `Recovered ${checkpoints.length} completed checkpoint(s) of job ${jobId} (${recorded.length} from the HA record); ` +
      `${scanned?.skipped.length ?? 0} skipped; next checkpoint id ${idCounter.peek()}.`,
  );
  const store = CompletedCheckpointStore.of(checkpoints, storeOptions);
  if (settings.storage.kind === 'filesystem') {
    // Checkpoints the dead JobManager had in flight never completed and can never be restored.
    const keep = new Set(checkpoints.map((checkpoint) => checkpoint.id));
    const removed = await removeOrphanCheckpoints(settings.storage.directory, jobId, {
      keep,
      below: idCounter.peek(),
      onlyIncomplete: true,
      sharedReferenced: store.sharedState.referenced(),
    });
    if (removed.length > 0) log.info(`Removed checkpoint(s) ${removed.join(', ')} of job ${jobId}, which never completed.`);
  }
  return { store, idCounter, statsTracker };
}

/** Reads the savepoint at `path` (directory or `_metadata`) and makes it the store's latest, as Flink does for -s. */
export async function loadSavepointIntoStore(path: string, services: JobCheckpointServices): Promise<CompletedCheckpoint> {
  const savepoint = await readCompletedCheckpoint(path);
  // Its shared files belong to the job that wrote it (Flink's NO_CLAIM): this job's first checkpoint is full and never deletes them.
  await services.store.add(savepoint, { external: true });
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
export function restoreLatestCheckpoint(
  services: JobCheckpointServices,
  plan: readonly VertexRestorePlan[],
  options: StateAssignmentOptions & { readonly now?: number } = {},
): RestoredState | undefined {
  const checkpoint = services.store.latest();
  if (checkpoint === undefined) return undefined;
  const assignment = assignState(checkpoint, plan, { ...options, ownsSharedState: services.store.ownsSharedState(checkpoint) });
  services.statsTracker.reportRestored({
    id: checkpoint.id,
    restoreTimestamp: options.now ?? Date.now(),
    isSavepoint: isSavepoint(checkpoint),
    externalPath: displayPath(checkpoint),
  });
  log.info(
    `Restoring job ${checkpoint.jobId} from ${isSavepoint(checkpoint) ? 'savepoint' : 'checkpoint'} ${checkpoint.id} at ${displayPath(checkpoint)}.`,
  );
  return { checkpoint, assignment };
}
