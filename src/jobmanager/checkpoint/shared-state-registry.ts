/**
 * Flink's SharedStateRegistry for tsflink's incremental checkpoints. A subtask's incremental
 * snapshot file lives under `<dir>/<job>/shared/chk-<n>/`, and later checkpoints reference its key
 * groups' bases and deltas for as long as they stay unchanged. The registry counts, per shared file,
 * the retained checkpoints that reference it, and deletes the file when the last of them goes
 * (subsumed, or dropped when the job ends). Counting and forgetting are synchronous, so a checkpoint
 * being completed can be checked against files already given up before it joins the store.
 */
import { rm, rmdir } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';
import { describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import { referencedFiles, type CompletedCheckpoint } from './completed-checkpoint.js';
import type { Recycling } from './spare-snapshot-files.js';

const log = getLogger('checkpoint.store');

/** Name of the directory of shared state beside the `chk-<n>` directories (Flink's). */
export const SHARED_STATE_DIR = 'shared';

/** The directory (with a trailing separator) of the shared files `checkpoint` may reference; undefined for a savepoint or in memory. */
export function sharedStateRootOf(checkpoint: CompletedCheckpoint): string | undefined {
  if (checkpoint.kind !== 'CHECKPOINT' || checkpoint.directory === undefined) return undefined;
  return `${dirname(checkpoint.directory)}${sep}${SHARED_STATE_DIR}${sep}`;
}

/** Reference counts of the shared state files of one job's retained checkpoints. */
export class SharedStateRegistry {
  private readonly counts = new Map<string, number>();
  /** Files deleted because no retained checkpoint referenced them: nothing may reference them again. */
  private readonly discarded = new Set<string>();

  constructor(private readonly deleteFile: (path: string, recycling?: Recycling) => Promise<void> = deleteSharedFile) {}

  /**
   * The shared files of `checkpoint`: those it references under its job's `shared/` directory. A
   * savepoint's files are its own (it is self-contained) and an in-memory checkpoint has none.
   */
  static sharedFilesOf(checkpoint: CompletedCheckpoint): string[] {
    const sharedRoot = sharedStateRootOf(checkpoint);
    if (sharedRoot === undefined) return [];
    return [...referencedFiles(checkpoint).keys()].filter((path) => path.startsWith(sharedRoot));
  }

  /** A retained checkpoint references its shared files from now on. */
  register(checkpoint: CompletedCheckpoint): void {
    for (const path of SharedStateRegistry.sharedFilesOf(checkpoint)) this.counts.set(path, (this.counts.get(path) ?? 0) + 1);
  }

  /** Shared files `checkpoint` references that were already deleted: such a checkpoint must not complete. */
  missingFiles(checkpoint: CompletedCheckpoint): string[] {
    return SharedStateRegistry.sharedFilesOf(checkpoint).filter((path) => this.discarded.has(path));
  }

  /**
   * `checkpoint` is no longer retained: its references go, and the files nobody references any more
   * are deleted (kept as spares with `recycling`). The counts change at once; resolves with the
   * deleted paths once they are gone.
   */
  unregister(checkpoint: CompletedCheckpoint, recycling?: Recycling): Promise<string[]> {
    const unreferenced: string[] = [];
    for (const path of SharedStateRegistry.sharedFilesOf(checkpoint)) {
      const count = (this.counts.get(path) ?? 0) - 1;
      if (count > 0) {
        this.counts.set(path, count);
        continue;
      }
      this.counts.delete(path);
      this.discarded.add(path);
      unreferenced.push(path);
    }
    return Promise.all(
      unreferenced.map((path) =>
        this.deleteFile(path, recycling).then(
          () => path,
          (error: unknown) => {
            log.warn(`Could not delete the shared state file ${path}: ${describeError(error)}`);
            return path;
          },
        ),
      ),
    );
  }

  /** Whether a retained checkpoint references `path`. */
  isReferenced(path: string): boolean {
    return this.counts.has(path);
  }

  /** Every shared file a retained checkpoint references. */
  referenced(): ReadonlySet<string> {
    return new Set(this.counts.keys());
  }

  /** Reference count of `path` (0: none), for tests and logs. */
  referenceCount(path: string): number {
    return this.counts.get(path) ?? 0;
  }
}

/** Deletes a shared file (or keeps it as a spare), then its `shared/chk-<n>` directory once that is empty. */
async function deleteSharedFile(path: string, recycling?: Recycling): Promise<void> {
  if (recycling !== undefined) await recycling.spares.give(path, recycling.completedId);
  else await rm(path, { force: true });
  const parent = dirname(path);
  if (!relative(dirname(parent), parent).startsWith('chk-')) return;
  await rmdir(parent).catch(() => undefined); // other files of that checkpoint are still referenced
}
