import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobId } from '../../core/ids.js';
import { METADATA_FILE_NAME } from './checkpoint-metadata.js';
import { CHECKPOINT_DIR_PREFIX } from './checkpoint-storage.js';
import { SHARED_STATE_DIR } from './shared-state-registry.js';

/** Which checkpoint directories of a job may go. */
export interface OrphanRule {
  /** Ids that hold a checkpoint someone still needs (the retained ones); never removed. */
  readonly keep: ReadonlySet<number>;
  /** Only ids below this go: any at or above it may belong to a checkpoint being taken now. */
  readonly below: number;
  /** Remove only directories without `_metadata`, which never completed and so can never be restored. */
  readonly onlyIncomplete: boolean;
  /** Shared (incremental) state files a retained checkpoint references: never removed. */
  readonly sharedReferenced?: ReadonlySet<string>;
}

/**
 * Removes the `chk-<n>` directories of `jobId` under `baseDirectory` that `rule` lets go: those of
 * checkpoints aborted, or in flight when their JobManager died, and subtask snapshots that landed
 * after their checkpoint was given up. Nothing else writes there, so nothing else would remove
 * them. Returns the ids removed.
 */
export async function removeOrphanCheckpoints(baseDirectory: string, jobId: JobId, rule: OrphanRule): Promise<number[]> {
  const jobDirectory = join(baseDirectory, jobId);
  let names: string[];
  try {
    names = await readdir(jobDirectory);
  } catch {
    return [];
  }
  const removed: number[] = [];
  for (const name of names) {
    if (!name.startsWith(CHECKPOINT_DIR_PREFIX)) continue;
    const id = Number(name.slice(CHECKPOINT_DIR_PREFIX.length));
    if (!Number.isInteger(id) || id >= rule.below || rule.keep.has(id)) continue;
    if (rule.onlyIncomplete && (await exists(join(jobDirectory, name, METADATA_FILE_NAME)))) continue;
    await rm(join(jobDirectory, name), { recursive: true, force: true });
    removed.push(id);
  }
  for (const id of await removeOrphanSharedFiles(join(jobDirectory, SHARED_STATE_DIR), rule)) if (!removed.includes(id)) removed.push(id);
  return removed.sort((a, b) => a - b);
}

/**
 * The incremental files under `shared/chk-<n>` that no retained checkpoint references: those of
 * checkpoints that never completed, and those of subsumed ones a JobManager died before deleting.
 * Returns the ids whose directory went.
 */
async function removeOrphanSharedFiles(sharedDirectory: string, rule: OrphanRule): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(sharedDirectory);
  } catch {
    return [];
  }
  const removed: number[] = [];
  for (const name of names) {
    const id = Number(name.slice(CHECKPOINT_DIR_PREFIX.length));
    if (!name.startsWith(CHECKPOINT_DIR_PREFIX) || !Number.isInteger(id) || id >= rule.below || rule.keep.has(id)) continue;
    const directory = join(sharedDirectory, name);
    const files = await readdir(directory).catch(() => [] as string[]);
    const orphans = files.filter((file) => rule.sharedReferenced?.has(join(directory, file)) !== true);
    await Promise.all(orphans.map((file) => rm(join(directory, file), { force: true })));
    if (orphans.length === files.length) {
      await rm(directory, { recursive: true, force: true });
      removed.push(id);
    }
  }
  return removed;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
