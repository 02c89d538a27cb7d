import type { JobId } from '../../core/ids.js';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import { writeFileAtomically } from './atomic-file-writer.js';
import { readCompletedCheckpoint } from './checkpoint-directory-loader.js';
import { toLocalPath } from './checkpoint-settings.js';
import type { CompletedCheckpoint } from './completed-checkpoint.js';
import type { RecoverableCheckpointPointers } from './completed-checkpoint-store.js';

const log = getLogger('checkpoint.ha');

const FILE_NAME = 'completed-checkpoints.json';
const FORMAT_VERSION = 1;

/** One retained checkpoint as the HA store records it. */
interface Pointer {
  readonly id: number;
  readonly path: string;
}

/**
 * The file-based high-availability store of one job's completed checkpoints (Flink keeps these
 * handles in ZooKeeper or Kubernetes ConfigMaps): after every change the retained checkpoints'
 * paths are written atomically to `<high-availability.storageDir>/<cluster-id>/job-<id>/`, so a
 * restarted JobManager finds them, savepoints included, wherever they were written.
 */
export class FileCheckpointPointers implements RecoverableCheckpointPointers {
  readonly file: string;

  constructor(storageDir: string, clusterId: string, jobId: JobId) {
    const base = toLocalPath(storageDir, 'high-availability.storageDir');
    this.file = join(base, clusterId.replace(/^\/+/, '') || 'default', `job-${jobId}`, FILE_NAME);
  }

  /** Records the retained checkpoints that live on disk (in-memory ones cannot survive the process). */
  async record(retained: readonly CompletedCheckpoint[]): Promise<void> {
    const pointers: Pointer[] = retained.flatMap((checkpoint) =>
      checkpoint.directory === undefined ? [] : [{ id: checkpoint.id, path: checkpoint.directory }],
    );
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    await writeFileAtomically(this.file, Buffer.from(JSON.stringify({ version: FORMAT_VERSION, checkpoints: pointers })));
  }

  /** The recorded checkpoints that can still be read, oldest first; an unusable one is logged and left out. */
  async recover(): Promise<CompletedCheckpoint[]> {
    const recovered: CompletedCheckpoint[] = [];
    for (const pointer of await this.read()) {
      try {
        recovered.push(await readCompletedCheckpoint(pointer.path));
      } catch (error) {
        log.warn(`Checkpoint ${pointer.id} recorded in ${this.file} cannot be used: ${describeError(error)}`);
      }
    }
    return recovered.sort((a, b) => a.id - b.id);
  }

  /** Removes the job's HA data: the job reached a globally terminal state. */
  async clear(): Promise<void> {
    await rm(dirname(this.file), { recursive: true, force: true });
  }

  private async read(): Promise<Pointer[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as { version?: unknown; checkpoints?: unknown };
      if (parsed.version !== FORMAT_VERSION || !Array.isArray(parsed.checkpoints))
        throw new Error(`expected version ${FORMAT_VERSION} with a checkpoints list`);
      return parsed.checkpoints.filter(
        (p: unknown): p is Pointer =>
          typeof p === 'object' && p !== null && Number.isSafeInteger((p as Pointer).id) && typeof (p as Pointer).path === 'string',
      );
    } catch (error) {
      log.warn(`Ignoring the unreadable HA checkpoint record ${this.file}: ${describeError(error)}`);
      return [];
    }
  }
}
