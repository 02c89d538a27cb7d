import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import { CORRUPT_MARKER_FILE_NAME } from './checkpoint-directory-loader.js';
import type { CheckpointRetention } from './checkpoint-settings.js';
import { discardCheckpointFiles } from './checkpoint-storage.js';
import { subsume } from './checkpoint-subsume.js';
import { displayPath, isSavepoint, type CompletedCheckpoint } from './completed-checkpoint.js';
import { SharedStateRegistry } from './shared-state-registry.js';
import type { Recycling, SpareSnapshotFiles } from './spare-snapshot-files.js';

const log = getLogger('checkpoint.store');

/** How a job ended, for deciding which retained checkpoints to delete. */
export type TerminalJobStatus = 'FINISHED' | 'CANCELED' | 'FAILED' | 'SUSPENDED';

/** Options of a store. */
export interface CompletedCheckpointStoreOptions {
  readonly numRetained: number;
  readonly retention?: CheckpointRetention;
  /** Deletes a dropped checkpoint's files (keeping snapshot files as spares with `recycling`); the default removes a plain checkpoint's directory. */
  readonly discard?: (checkpoint: CompletedCheckpoint, recycling?: Recycling) => Promise<void>;
  /** Where subsumed checkpoints' snapshot files go instead of being deleted (execution.checkpointing.recycle-files). */
  readonly spares?: SpareSnapshotFiles | undefined;
  /** A high-availability record of the retained checkpoints, rewritten on every change (none: Flink's standalone store). */
  readonly pointers?: CheckpointPointers;
  /** Reference counts of shared (incremental) state files; the default deletes files from disk. */
  readonly sharedState?: SharedStateRegistry;
}

/** Where a high-availability setup records which checkpoints a restarted JobManager may recover. */
export interface CheckpointPointers {
  record(retained: readonly CompletedCheckpoint[]): Promise<void>;
  /** The job ended for good (`status`): its record goes. */
  clear(status: Exclude<TerminalJobStatus, 'SUSPENDED'>): Promise<void>;
}

/** Pointers a new JobManager can read back: the file-based store or ZooKeeper. */
export interface RecoverableCheckpointPointers extends CheckpointPointers {
  /** The recorded checkpoints that can still be read, oldest first. */
  recover(): Promise<CompletedCheckpoint[]>;
  /** The id the next checkpoint must not go below, when the store records one. */
  nextCheckpointId?(): Promise<number>;
}

/**
 * The completed checkpoints of one job, oldest first, shared by every coordinator of the job across
 * restarts and rescales. Checkpoints with a directory are deleted from disk when subsumed;
 * savepoints never are. This is Flink's standalone store; with `pointers` it also keeps a
 * high-availability record of what it retains.
 */
export class CompletedCheckpointStore {
  private checkpoints: CompletedCheckpoint[] = [];
  private readonly numRetained: number;
  private readonly retention: CheckpointRetention;
  private readonly discard: (checkpoint: CompletedCheckpoint, recycling?: Recycling) => Promise<void>;
  /** Snapshot files of subsumed checkpoints waiting to be overwritten; the job's clean-up clears them. */
  readonly spares: SpareSnapshotFiles | undefined;
  private readonly pointers: CheckpointPointers | undefined;
  /** The shared files of retained checkpoints: a file goes only when no retained checkpoint references it. */
  readonly sharedState: SharedStateRegistry;
  /** Checkpoints whose shared files this job does not own (a restore from another job's checkpoint, as NO_CLAIM). */
  private readonly external = new Set<CompletedCheckpoint>();

  constructor(options: CompletedCheckpointStoreOptions) {
    this.sharedState = options.sharedState ?? new SharedStateRegistry();
    this.numRetained = Math.max(1, options.numRetained);
    this.retention = options.retention ?? 'NO_EXTERNALIZED_CHECKPOINTS';
    this.discard = options.discard ?? discardCheckpointFiles;
    this.pointers = options.pointers;
    this.spares = options.spares;
  }

  /** A store holding `checkpoints` (recovered by the caller), oldest first. */
  static of(checkpoints: readonly CompletedCheckpoint[], options: CompletedCheckpointStoreOptions): CompletedCheckpointStore {
    const store = new CompletedCheckpointStore(options);
    store.checkpoints = [...checkpoints];
    for (const checkpoint of checkpoints) store.sharedState.register(checkpoint);
    return store;
  }

  /** False for a checkpoint added as external (another job's, restored as NO_CLAIM): its shared files are not this job's to reference or delete. */
  ownsSharedState(checkpoint: CompletedCheckpoint): boolean {
    return !this.external.has(checkpoint);
  }

  /** The checkpoint a restore uses: the most recently added one still considered good. */
  latest(): CompletedCheckpoint | undefined {
    return this.checkpoints[this.checkpoints.length - 1];
  }

  /** Every retained checkpoint, oldest first. */
  all(): readonly CompletedCheckpoint[] {
    return [...this.checkpoints];
  }

  /** The highest id held, 0 when empty. */
  highestId(): number {
    return this.checkpoints.reduce((max, checkpoint) => Math.max(max, checkpoint.id), 0);
  }

  /** Adds a completed checkpoint and subsumes the oldest beyond num-retained; resolves with the subsumed ones once their files are gone. */
  async add(checkpoint: CompletedCheckpoint, options: { readonly external?: boolean } = {}): Promise<CompletedCheckpoint[]> {
    // Counted before anything older is dropped, so shared files this one still uses survive the subsumption.
    if (options.external === true) this.external.add(checkpoint);
    else this.sharedState.register(checkpoint);
    const { kept, subsumed } = subsume([...this.checkpoints, checkpoint], this.numRetained);
    this.checkpoints = kept;
    // Only subsumption recycles: files dropped at the job's end or as corrupt have no next checkpoint to take them.
    const recycling = this.spares === undefined ? undefined : { spares: this.spares, completedId: checkpoint.id };
    const released = subsumed.map((old) => this.release(old, recycling));
    // Recorded before the subsumed files go, so the record never names a deleted checkpoint.
    await this.recordPointers();
    await Promise.all(subsumed.map((old) => this.discardQuietly(old, 'subsumed', recycling)));
    await Promise.all(released);
    return subsumed;
  }

  /** Drops a checkpoint's references to shared files (synchronously); resolves once the unreferenced ones are deleted. */
  private async release(checkpoint: CompletedCheckpoint, recycling?: Recycling): Promise<void> {
    if (this.external.delete(checkpoint)) return;
    const deleted = await this.sharedState.unregister(checkpoint, recycling);
    if (deleted.length > 0) log.debug(`Deleted ${deleted.length} shared state file(s) no retained checkpoint references.`);
  }

  /**
   * Takes a checkpoint out of consideration (its state failed to restore) so the next restore falls
   * back to the previous good one. A marker in its directory keeps a later scan from picking it again.
   * Resolves with the new latest checkpoint.
   */
  async markCorrupt(id: number, reason: string): Promise<CompletedCheckpoint | undefined> {
    const index = this.checkpoints.findIndex((checkpoint) => checkpoint.id === id);
    if (index < 0) return this.latest();
    const [corrupt] = this.checkpoints.splice(index, 1);
    // Its shared files stay while other retained checkpoints reference them.
    const released = this.release(corrupt!);
    await this.recordPointers();
    await released;
    const fallback = this.latest();
    log.warn(
      `Checkpoint ${id} at ${displayPath(corrupt!)} is corrupt and will not be restored (${reason}); ` +
        (fallback === undefined ? 'no older checkpoint is left to fall back to.' : `falling back to checkpoint ${fallback.id}.`),
    );
    if (corrupt!.directory !== undefined) {
      await writeFile(join(corrupt!.directory, CORRUPT_MARKER_FILE_NAME), `${reason}\n`).catch((error: unknown) => {
        log.warn(`Could not mark ${corrupt!.directory} as corrupt: ${describeError(error)}`);
      });
    }
    return fallback;
  }

  /** The job reached a final status: deletes the retained checkpoints the retention policy does not keep. */
  async shutdown(status: TerminalJobStatus): Promise<void> {
    if (status !== 'SUSPENDED')
      await this.pointers
        ?.clear(status)
        .catch((error: unknown) => log.warn(`Could not remove the HA checkpoint record: ${describeError(error)}`));
    if (!this.discardsOnShutdown(status)) {
      for (const checkpoint of this.checkpoints) log.info(`Checkpoint ${checkpoint.id} at ${displayPath(checkpoint)} is retained.`);
      return;
    }
    const dropped = this.checkpoints;
    this.checkpoints = [];
    const released = dropped.map((checkpoint) => this.release(checkpoint));
    await Promise.all(dropped.map((checkpoint) => this.discardQuietly(checkpoint, `job ${status.toLowerCase()}`)));
    await Promise.all(released);
  }

  private discardsOnShutdown(status: TerminalJobStatus): boolean {
    // A suspended job (JobManager stopping) keeps its checkpoints, as in Flink's HA stores, so a restarted JobManager can recover.
    if (status === 'SUSPENDED') return false;
    if (this.retention === 'NO_EXTERNALIZED_CHECKPOINTS' || status === 'FINISHED') return true;
    return this.retention === 'DELETE_ON_CANCELLATION' && status === 'CANCELED';
  }

  private async recordPointers(): Promise<void> {
    try {
      await this.pointers?.record(this.checkpoints);
    } catch (error) {
      // The checkpoint directory scan still finds chk-* after a JobManager failure; savepoints would be missed.
      log.warn(`Could not record the retained checkpoints for high availability: ${describeError(error)}`);
    }
  }

  private async discardQuietly(checkpoint: CompletedCheckpoint, why: string, recycling?: Recycling): Promise<void> {
    if (isSavepoint(checkpoint)) return;
    try {
      await this.discard(checkpoint, recycling);
      log.debug(`Discarded checkpoint ${checkpoint.id} (${why}).`);
    } catch (error) {
      // A leftover directory wastes space but must never fail the job or the JobManager.
      log.warn(`Could not delete checkpoint ${checkpoint.id} at ${displayPath(checkpoint)}: ${describeError(error)}`);
    }
  }
}
