import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomHex } from '../../core/ids.js';

/** Writes a whole file so that readers see either nothing or all of it. */
export type AtomicFileWriter = (path: string, bytes: Uint8Array) => Promise<void>;

/** Test seams inside an atomic write. */
export interface AtomicWriteHooks {
  /** Runs once the temporary file is complete and synced, just before it becomes visible. */
  readonly beforeRename?: (tempPath: string) => void | Promise<void>;
}

/**
 * Writes `bytes` to a temporary sibling, syncs it, renames it over `path` and syncs the directory:
 * after a crash at any point `path` is either absent or complete, never partial.
 */
export async function writeFileAtomically(path: string, bytes: Uint8Array, hooks: AtomicWriteHooks = {}): Promise<void> {
  const directory = dirname(path);
  const temp = join(directory, `.${basename(path)}.inprogress-${randomHex(6)}`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await hooks.beforeRename?.(temp);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(directory);
}

/** Makes a rename durable; file systems that cannot sync a directory are tolerated. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself already happened.
  } finally {
    await handle.close();
  }
}
