/**
 * Spare snapshot files: the files of subsumed checkpoints, kept for the next checkpoint's subtasks
 * to overwrite instead of being deleted (execution.checkpointing.recycle-files). A new file's
 * blocks have to be allocated as it is written, and on a thin-provisioned virtual disk each block's
 * first write also goes through the host; overwriting a file that already holds its blocks skips
 * both. Here a 1 GB snapshot wrote at about 400 MB/s into new files and 600 MB/s over spares.
 *
 * A subtask takes a spare by renaming it to its snapshot's path (taskmanager/checkpoint/
 * spare-file-claim.ts), so two never take the same one. Each spare is tagged with the checkpoint
 * whose completion made it spare. The next checkpoint is often triggered the moment one completes,
 * before the subsumed files have moved in, so a spare waits for the checkpoint after that as well;
 * one still there when a third completion gives up files is deleted. The pool holds one
 * checkpoint's files in the steady state and never more than two.
 */
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { JobId } from '../../core/ids.js';
import type { CheckpointSettings } from './checkpoint-settings.js';

/** Files below this size are deleted rather than kept: allocating a few blocks is not worth saving. */
export const MIN_SPARE_BYTES = 1024 * 1024;

/** Separates a spare's tag (the completed checkpoint that made it spare) from the rest of its name. */
const TAG_SEPARATOR = '~';

/** The directory spares of `jobId` wait in: under Flink's `taskowned/`, which holds what tasks own. */
export function spareDirectoryOf(baseDirectory: string, jobId: JobId): string {
  return join(baseDirectory, jobId, 'taskowned', 'spare');
}

/** The pool of `jobId`'s spares, when its settings recycle snapshot files. */
export function sparePoolOf(settings: CheckpointSettings, jobId: JobId): SpareSnapshotFiles | undefined {
  return settings.storage.kind === 'filesystem' && settings.recycleFiles === true
    ? new SpareSnapshotFiles(spareDirectoryOf(settings.storage.directory, jobId))
    : undefined;
}

/** Where a discard keeps snapshot files instead of deleting them: the pool, and the checkpoint whose completion subsumed them. */
export interface Recycling {
  readonly spares: SpareSnapshotFiles;
  readonly completedId: number;
}

/** One job's pool of spare snapshot files, kept in `directory`. */
export class SpareSnapshotFiles {
  /** The checkpoint whose completion last gave files, and the one before it: spares tagged below `previous` are deleted. */
  private latest = 0;
  private previous = 0;
  /** Changes to the directory, one at a time, so an expiry never races a file being moved in. */
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly directory: string) {}

  /**
   * Keeps `path`, a snapshot file no retained checkpoint references since checkpoint `completedId`
   * completed, as a spare (a small one is deleted). At a new completion, spares the two checkpoints
   * after theirs did not take go first. Resolves once `path` is a spare or gone; failures fall
   * back to deleting it.
   */
  give(path: string, completedId: number): Promise<void> {
    return this.serially(async () => {
      if (completedId > this.latest) {
        [this.previous, this.latest] = [this.latest, completedId];
        await this.expire(this.previous);
      }
      const stats = await stat(path).catch(() => undefined);
      // Gone already, or not a snapshot file: whoever discards the directory removes it.
      if (stats === undefined || !stats.isFile()) return;
      const size = stats.size;
      if (size < MIN_SPARE_BYTES) return rm(path, { force: true });
      await mkdir(this.directory, { recursive: true, mode: 0o700 });
      // The checkpoint directory and file name keep names unique: two checkpoints' files never collide.
      const name = `${completedId}${TAG_SEPARATOR}${basename(dirname(path))}-${basename(path)}`;
      await rename(path, join(this.directory, name)).catch(() => rm(path, { force: true }));
    });
  }

  /** Deletes every spare: the job ended, and nothing will take them. */
  clear(): Promise<void> {
    return this.serially(() => rm(this.directory, { recursive: true, force: true }));
  }

  /** Names of the spares waiting, for tests and logs. */
  async list(): Promise<string[]> {
    return (await readdir(this.directory).catch(() => [] as string[])).sort();
  }

  // A spare a subtask renames away meanwhile is simply not there to delete.
  private async expire(below: number): Promise<void> {
    for (const name of await this.list()) {
      const tag = Number(name.slice(0, name.indexOf(TAG_SEPARATOR)));
      if (!(tag >= below)) await rm(join(this.directory, name), { force: true });
    }
  }

  private serially(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
