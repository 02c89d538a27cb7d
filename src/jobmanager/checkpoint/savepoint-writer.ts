import { copyFile, mkdir, open, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { randomHex, type JobId } from '../../core/ids.js';
import type { StateSlice } from '../../rpc/gateways/task-deployment-descriptor.js';
import type { AtomicFileWriter } from './atomic-file-writer.js';
import { encodeCheckpointMetadata, METADATA_FILE_NAME } from './checkpoint-metadata.js';
import { mapHandleSlices, referencedFiles, type CompletedCheckpoint } from './completed-checkpoint.js';

/** Flink's savepoint directory name: `savepoint-<first 6 chars of the job id>-<12 random hex chars>`. */
export function savepointDirectoryName(jobId: JobId): string {
  return `savepoint-${jobId.slice(0, 6)}-${randomHex(6)}`;
}

/**
 * Writes a savepoint that needs nothing outside its own directory: every state file the tasks
 * wrote is copied in, handles are pointed at the copies, and `_metadata` is written last. The
 * copies make it survive the subsumption of the checkpoint directory the tasks wrote into.
 */
export async function writeSavepoint(
  checkpoint: CompletedCheckpoint,
  targetDirectory: string,
  writeMetadata: AtomicFileWriter,
): Promise<CompletedCheckpoint> {
  await mkdir(targetDirectory, { recursive: true });
  const directory = join(targetDirectory, savepointDirectoryName(checkpoint.jobId));
  await mkdir(directory);
  try {
    const relocated = await copyStateFiles(checkpoint, directory);
    const savepoint: CompletedCheckpoint = { ...relocated, externalPath: `file:${directory}`, directory };
    await writeMetadata(join(directory, METADATA_FILE_NAME), encodeCheckpointMetadata(savepoint, directory));
    return savepoint;
  } catch (error) {
    await rm(directory, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
}

async function copyStateFiles(checkpoint: CompletedCheckpoint, directory: string): Promise<CompletedCheckpoint> {
  const targets = new Map<string, string>();
  const used = new Set<string>();
  for (const source of referencedFiles(checkpoint).keys()) {
    let name = basename(source);
    for (let n = 1; used.has(name); n++) name = `${basename(source)}-${n}`;
    used.add(name);
    const target = join(directory, name);
    await copyFile(source, target);
    await syncFile(target);
    targets.set(source, target);
  }
  const relocate = (slice: StateSlice): StateSlice =>
    slice.kind === 'file' ? { ...slice, path: targets.get(slice.path) ?? slice.path } : slice;
  return {
    ...checkpoint,
    operators: checkpoint.operators.map((operator) => ({
      ...operator,
      subtaskStates: operator.subtaskStates.map((handle) => (handle === undefined ? undefined : mapHandleSlices(handle, relocate))),
    })),
  };
}

/** The metadata may only point at copies that are on disk, not just in the page cache. */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
