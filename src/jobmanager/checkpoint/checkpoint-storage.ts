import type { JobId } from '../../core/ids.js';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically, type AtomicFileWriter } from './atomic-file-writer.js';
import { encodeCheckpointMetadata, METADATA_FILE_NAME } from './checkpoint-metadata.js';
import type { CheckpointStorageSettings } from './checkpoint-settings.js';
import type { CompletedCheckpoint } from './completed-checkpoint.js';
import { writeSavepoint } from './savepoint-writer.js';
import type { Recycling } from './spare-snapshot-files.js';

/** Prefix of a checkpoint's directory (Flink's `chk-`). */
export const CHECKPOINT_DIR_PREFIX = 'chk-';

/** Where the coordinator puts a checkpoint's location and its metadata. */
export interface CheckpointStorage {
  readonly kind: 'memory' | 'filesystem';
  /** Prepares the location of checkpoint `id` before any task writes to it; rejects on I/O errors. */
  initializeLocation(jobId: JobId, id: number): Promise<void>;
  /** Makes a fully acknowledged checkpoint durable: its metadata is written last and atomically. */
  finalizeCheckpoint(checkpoint: CompletedCheckpoint): Promise<CompletedCheckpoint>;
  /** Makes a savepoint self-contained under `targetDirectory`: state copied there, then `_metadata`. */
  finalizeSavepoint(checkpoint: CompletedCheckpoint, targetDirectory: string): Promise<CompletedCheckpoint>;
  /** Removes what checkpoint `id` left in its location (after a failure, or once a savepoint was copied out). */
  discardLocation(jobId: JobId, id: number): Promise<void>;
}

/** Test seams of the storages. */
export interface CheckpointStorageOptions {
  /** How `_metadata` is written; the default is writeFileAtomically. */
  readonly writeMetadata?: AtomicFileWriter;
}

/** Builds the storage the settings name. */
export function createCheckpointStorage(settings: CheckpointStorageSettings, options: CheckpointStorageOptions = {}): CheckpointStorage {
  return settings.kind === 'memory' ? new MemoryCheckpointStorage(options) : new FileCheckpointStorage(settings.directory, options);
}

/** Checkpoints kept in the JobManager's memory (tasks acknowledge their state inline), as Flink's JobManagerCheckpointStorage. */
export class MemoryCheckpointStorage implements CheckpointStorage {
  readonly kind = 'memory';
  private readonly writeMetadata: AtomicFileWriter;

  constructor(options: CheckpointStorageOptions = {}) {
    this.writeMetadata = options.writeMetadata ?? writeFileAtomically;
  }

  async initializeLocation(): Promise<void> {}

  async finalizeCheckpoint(checkpoint: CompletedCheckpoint): Promise<CompletedCheckpoint> {
    return { ...checkpoint, externalPath: undefined, directory: undefined };
  }

  finalizeSavepoint(checkpoint: CompletedCheckpoint, targetDirectory: string): Promise<CompletedCheckpoint> {
    return writeSavepoint(checkpoint, targetDirectory, this.writeMetadata);
  }

  async discardLocation(): Promise<void> {}
}

/** Checkpoints under `<base>/<jobId>/chk-<id>/`, each completed by its `_metadata`, as Flink's FsCheckpointStorage. */
export class FileCheckpointStorage implements CheckpointStorage {
  readonly kind = 'filesystem';
  private readonly writeMetadata: AtomicFileWriter;
  private readonly initializedJobs = new Set<string>();

  constructor(
    readonly baseDirectory: string,
    options: CheckpointStorageOptions = {},
  ) {
    this.writeMetadata = options.writeMetadata ?? writeFileAtomically;
  }

  /** The directory of checkpoint `id` of job `jobId`. */
  checkpointDirectory(jobId: JobId, id: number): string {
    return join(this.baseDirectory, jobId, `${CHECKPOINT_DIR_PREFIX}${id}`);
  }

  async initializeLocation(jobId: JobId, id: number): Promise<void> {
    if (!this.initializedJobs.has(jobId)) {
      // Flink's layout has shared/ and taskowned/ beside the chk-<n> directories.
      await mkdir(join(this.baseDirectory, jobId, 'shared'), { recursive: true });
      await mkdir(join(this.baseDirectory, jobId, 'taskowned'), { recursive: true });
      this.initializedJobs.add(jobId);
    }
    await mkdir(this.checkpointDirectory(jobId, id), { recursive: true });
  }

  async finalizeCheckpoint(checkpoint: CompletedCheckpoint): Promise<CompletedCheckpoint> {
    const directory = this.checkpointDirectory(checkpoint.jobId, checkpoint.id);
    const finalized: CompletedCheckpoint = { ...checkpoint, externalPath: `file:${directory}`, directory };
    await this.writeMetadata(join(directory, METADATA_FILE_NAME), encodeCheckpointMetadata(finalized, directory));
    return finalized;
  }

  finalizeSavepoint(checkpoint: CompletedCheckpoint, targetDirectory: string): Promise<CompletedCheckpoint> {
    return writeSavepoint(checkpoint, targetDirectory, this.writeMetadata);
  }

  /** Also removes the checkpoint's incremental files: a checkpoint that never completed is referenced by nobody. */
  async discardLocation(jobId: JobId, id: number): Promise<void> {
    await rm(this.checkpointDirectory(jobId, id), { recursive: true, force: true });
    await rm(join(this.baseDirectory, jobId, 'shared', `${CHECKPOINT_DIR_PREFIX}${id}`), { recursive: true, force: true });
  }
}

/**
 * Deletes the files of a subsumed or abandoned checkpoint, keeping its snapshot files as spares
 * with `recycling`; savepoints and in-memory checkpoints are left alone.
 */
export async function discardCheckpointFiles(checkpoint: CompletedCheckpoint, recycling?: Recycling): Promise<void> {
  const directory = checkpoint.directory;
  if (checkpoint.kind !== 'CHECKPOINT' || directory === undefined) return;
  if (recycling !== undefined) {
    const names = await readdir(directory).catch(() => [] as string[]);
    // Its own files only: _metadata and markers are the JobManager's, and small anyway.
    for (const name of names) if (name !== METADATA_FILE_NAME) await recycling.spares.give(join(directory, name), recycling.completedId);
  }
  await rm(directory, { recursive: true, force: true });
}
