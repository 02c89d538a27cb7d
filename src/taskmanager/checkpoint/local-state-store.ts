/**
 * Task-local recovery (Flink's TaskLocalStateStore): a TaskManager keeps a second copy of every
 * snapshot file its subtasks write, under its own directory, in the same `<job>/chk-<id>/<file>`
 * layout as checkpoint storage. A restore on this TaskManager reads a slice from the copy when the
 * copy belongs to the same checkpoint (its path names the checkpoint id) and the slice's CRC-32
 * from the checkpoint matches; anything else is read from checkpoint storage.
 */
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';

const log = getLogger('checkpoint');

/** Where incremental files (and their copies) live beside the `chk-<id>` directories. */
const SHARED_DIR = 'shared';

/** The local copies of one TaskManager, under `root`. */
export class LocalStateStore {
  constructor(readonly root: string) {}

  /**
   * Where the copy of snapshot file `primaryPath` (`…/<job>/chk-<id>/<file>` in checkpoint storage)
   * lives; undefined for a path not in that layout (a savepoint), which gets no copy.
   */
  copyPathOf(primaryPath: string): string | undefined {
    const file = basename(primaryPath);
    const checkpointDir = basename(dirname(primaryPath));
    let parent = dirname(dirname(primaryPath));
    // An incremental checkpoint's file lives under `<job>/shared/chk-<id>/`, and so does its copy.
    const shared = basename(parent) === SHARED_DIR;
    if (shared) parent = dirname(parent);
    const job = basename(parent);
    if (!/^chk-\d+$/.test(checkpointDir) || !/^[0-9a-f]{32}$/.test(job)) return undefined;
    return shared ? join(this.root, job, SHARED_DIR, checkpointDir, file) : join(this.root, job, checkpointDir, file);
  }

  /**
   * Removes this TaskManager's copies of incremental files named `<prefix>…` (one subtask's, of any
   * attempt) that the subtask's latest completed checkpoint no longer references.
   */
  async retainShared(jobId: string, prefix: string, referenced: ReadonlySet<string>): Promise<void> {
    const sharedDir = join(this.root, jobId, SHARED_DIR);
    const keep = new Set([...referenced].map((path) => this.copyPathOf(path)));
    for (const checkpointDir of await readdir(sharedDir).catch(() => [] as string[])) {
      const dir = join(sharedDir, checkpointDir);
      const files = await readdir(dir).catch(() => [] as string[]);
      const stale = files.filter((file) => file.startsWith(prefix) && !keep.has(join(dir, file)));
      await Promise.all(stale.map((file) => rm(join(dir, file), { force: true })));
      if (stale.length === files.length) await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Checkpoint `checkpointId` of `jobId` completed: copies of older checkpoints can no longer be
   * restored (a restore always takes the latest completed one), so they are removed.
   */
  async retainFrom(jobId: string, checkpointId: number): Promise<void> {
    const jobDir = join(this.root, jobId);
    let entries: string[];
    try {
      entries = await readdir(jobDir);
    } catch {
      return; // no copies of this job here
    }
    const stale = entries.filter((name) => {
      const id = /^chk-(\d+)$/.exec(name)?.[1];
      return id !== undefined && Number(id) < checkpointId;
    });
    await Promise.all(
      stale.map((name) =>
        rm(join(jobDir, name), { recursive: true, force: true }).catch((error: unknown) => {
          log.warn(`Could not remove the local state copy ${join(jobDir, name)}: ${describeError(error)}`);
        }),
      ),
    );
  }
}
