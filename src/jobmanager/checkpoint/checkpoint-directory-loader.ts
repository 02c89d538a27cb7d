import type { JobId } from '../../core/ids.js';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import { CheckpointMetadataError, decodeCheckpointMetadata, METADATA_FILE_NAME } from './checkpoint-metadata.js';
import { toLocalPath } from './checkpoint-settings.js';
import { CHECKPOINT_DIR_PREFIX } from './checkpoint-storage.js';
import { referencedFiles, type CompletedCheckpoint } from './completed-checkpoint.js';

const log = getLogger('checkpoint.loader');

/** Marker file written into a checkpoint directory found corrupt, holding the reason. */
export const CORRUPT_MARKER_FILE_NAME = '_corrupt';

/** A checkpoint directory that was not usable, and why. */
export interface SkippedCheckpoint {
  readonly id: number;
  readonly directory: string;
  readonly reason: string;
}

/** What a scan of `<dir>/<jobId>/chk-*` found. */
export interface LoadedCheckpoints {
  /** Usable checkpoints, oldest first. */
  readonly checkpoints: CompletedCheckpoint[];
  readonly skipped: SkippedCheckpoint[];
  /** Highest id of any chk-<n> directory, usable or not, so the id counter never reuses one (0 if none). */
  readonly highestSeenId: number;
}

/**
 * Scans `<baseDirectory>/<jobId>/chk-*` newest first. A directory without `_metadata` never
 * completed; one whose metadata cannot be read, names another checkpoint, or points at missing or
 * short state files is corrupt. Both are skipped with a logged reason.
 */
export async function loadCheckpointsFromDirectory(baseDirectory: string, jobId: JobId): Promise<LoadedCheckpoints> {
  const jobDirectory = join(baseDirectory, jobId);
  const ids = await listCheckpointIds(jobDirectory);
  const checkpoints: CompletedCheckpoint[] = [];
  const skipped: SkippedCheckpoint[] = [];
  for (const id of ids) {
    const directory = join(jobDirectory, `${CHECKPOINT_DIR_PREFIX}${id}`);
    const problem = await checkpointProblem(directory, id, jobId);
    if (typeof problem === 'string') {
      log.warn(`Skipping checkpoint ${id} of job ${jobId} at ${directory}: ${problem}`);
      skipped.push({ id, directory, reason: problem });
    } else {
      log.info(`Found completed checkpoint ${id} of job ${jobId} at ${directory}.`);
      checkpoints.unshift(problem);
    }
  }
  return { checkpoints, skipped, highestSeenId: ids[0] ?? 0 };
}

/**
 * Why a checkpoint or savepoint path given by the user (`-s`, `--fromSavepoint`) cannot be read,
 * in Flink's words, or undefined when it names a directory with `_metadata` or the file itself.
 */
export async function savepointPathProblem(path: string): Promise<string | undefined> {
  const local = toLocalPath(path, 'execution.state-recovery.path');
  const stats = await stat(local).catch(() => undefined);
  if (stats === undefined) return `Cannot find checkpoint or savepoint file/directory '${path}' on file system 'file'.`;
  if (!stats.isDirectory()) return undefined;
  const metadata = await stat(join(local, METADATA_FILE_NAME)).catch(() => undefined);
  if (metadata === undefined) {
    return `Cannot find meta data file '${METADATA_FILE_NAME}' in directory '${path}'. Please try to load the checkpoint/savepoint directly from the metadata file instead of the directory.`;
  }
  return undefined;
}

/** Reads and validates one checkpoint or savepoint given its directory or its `_metadata` path. */
export async function readCompletedCheckpoint(path: string): Promise<CompletedCheckpoint> {
  const problem = await savepointPathProblem(path);
  if (problem !== undefined) throw new CheckpointMetadataError(problem);
  const local = toLocalPath(path, 'execution.state-recovery.path');
  const directory = basename(local) === METADATA_FILE_NAME ? dirname(local) : local;
  const checkpoint = decodeCheckpointMetadata(await readFile(join(directory, METADATA_FILE_NAME)), directory);
  const missing = await stateFileProblem(checkpoint);
  if (missing !== undefined) throw new CheckpointMetadataError(`Checkpoint ${checkpoint.id} at ${directory} is unusable: ${missing}.`);
  return checkpoint;
}

/** The first referenced state file that is missing or shorter than its slices need, described; undefined if all are fine. */
export async function stateFileProblem(checkpoint: CompletedCheckpoint): Promise<string | undefined> {
  for (const [file, needed] of referencedFiles(checkpoint)) {
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch {
      return `state file ${file} is missing`;
    }
    if (size < needed) return `state file ${file} is truncated (${size} bytes, needs ${needed})`;
  }
  return undefined;
}

async function listCheckpointIds(jobDirectory: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(jobDirectory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const pattern = new RegExp(`^${CHECKPOINT_DIR_PREFIX}(\\d+)$`);
  return names
    .flatMap((name) => {
      const match = pattern.exec(name);
      return match === null ? [] : [Number(match[1])];
    })
    .sort((a, b) => b - a);
}

async function checkpointProblem(directory: string, id: number, jobId: JobId): Promise<string | CompletedCheckpoint> {
  const marker = await readFile(join(directory, CORRUPT_MARKER_FILE_NAME), 'utf8').catch(() => undefined);
  if (marker !== undefined) return `marked corrupt earlier (${marker.trim()})`;
  let bytes: Buffer;
  try {
    bytes = await readFile(join(directory, METADATA_FILE_NAME));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return `no ${METADATA_FILE_NAME}: the checkpoint never completed`;
    return `${METADATA_FILE_NAME} is unreadable: ${describeError(error)}`;
  }
  let checkpoint: CompletedCheckpoint;
  try {
    checkpoint = decodeCheckpointMetadata(bytes, directory);
  } catch (error) {
    return describeError(error);
  }
  if (checkpoint.id !== id) return `${METADATA_FILE_NAME} describes checkpoint ${checkpoint.id}, not ${id}`;
  if (checkpoint.jobId !== jobId) return `${METADATA_FILE_NAME} belongs to job ${checkpoint.jobId}`;
  return (await stateFileProblem(checkpoint)) ?? checkpoint;
}
