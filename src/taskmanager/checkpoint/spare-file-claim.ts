/**
 * Taking a spare snapshot file (execution.checkpointing.recycle-files): the JobManager keeps the
 * files of subsumed checkpoints in a spare directory, and a subtask about to write a snapshot
 * renames one of them to its snapshot's path, then overwrites it. A rename is atomic, so when two
 * subtasks reach for the same spare one gets it and the other tries the next.
 */
import { readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';

/** Where spares wait, and the part of a name that marks this subtask's own earlier files. */
export interface SpareSource {
  readonly directory: string;
  /** A spare whose name holds this (the subtask's earlier snapshot) is taken first: it is likely the size needed. */
  readonly prefer: string;
}

/** Renames a spare from `source` to `path`; false when none could be taken (the caller creates a new file). */
export async function claimSpareFile(source: SpareSource, path: string): Promise<boolean> {
  const names = await readdir(source.directory).catch(() => [] as string[]);
  const ordered = [...names.filter((name) => name.includes(source.prefer)), ...names.filter((name) => !name.includes(source.prefer))];
  for (const name of ordered) {
    try {
      await rename(join(source.directory, name), path);
      return true;
    } catch (error) {
      // Taken by another subtask, or expired by the JobManager: try the next. Anything else ends the attempt.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return false;
    }
  }
  return false;
}
