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
    const job = basename(dirname(dirname(primaryPath)));
    if (!/^chk-\d+$/.test(checkpointDir) || !/^[0-9a-f]{32}$/.test(job)) return undefined;
    return join(this.root, job, checkpointDir, file);
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
