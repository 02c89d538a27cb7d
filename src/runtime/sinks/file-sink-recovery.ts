/** Committing pending part files (idempotently) and cleaning stray in-progress files after a restore. */
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../core/logging.js';
import { SinkWriteError } from '../runtime-errors.js';
import type { OutputFileConfig } from './file-sink-config.js';
import type { PendingFile } from './part-file-writer.js';

/** Publishes a pending file by atomic rename; a file already published is left alone. */
export function commitPendingFile(file: PendingFile, logger: Logger): void {
  if (existsSync(file.inProgressPath)) {
    try {
      renameSync(file.inProgressPath, file.finalPath);
    } catch (cause) {
      throw new SinkWriteError(`Cannot commit part file '${file.finalPath}'`, { cause });
    }
    return;
  }
  if (!existsSync(file.finalPath)) {
    logger.warn(`Pending part file ${file.inProgressPath} is gone and was never committed to ${file.finalPath}`);
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Deletes hidden in-progress files written by sink subtask j with j mod parallelism == subtaskIndex
 * (so after a rescale every old subtask's strays have exactly one owner), except those in `keep`.
 */
export function deleteStrayInProgressFiles(
  basePath: string,
  config: OutputFileConfig,
  subtaskIndex: number,
  parallelism: number,
  keep: ReadonlySet<string>,
  logger: Logger,
): void {
  if (!existsSync(basePath)) return;
  const pattern = new RegExp(
    `^\\.${escapeRegExp(config.partPrefix)}-[0-9a-f-]{36}-(\\d+)-\\d+${escapeRegExp(config.partSuffix)}\\.inprogress\\.`,
  );
  // Buckets may nest (a bucket id can contain '/'), so every directory below the base path is scanned.
  const dirs: string[] = [];
  const walk = (dir: string): void => {
    dirs.push(dir);
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) walk(join(dir, entry.name));
  };
  walk(basePath);
  for (const dir of dirs) {
    for (const name of readdirSync(dir)) {
      const m = pattern.exec(name);
      if (m === null || Number(m[1]) % parallelism !== subtaskIndex) continue;
      const path = join(dir, name);
      if (keep.has(path)) continue;
      rmSync(path, { force: true });
      logger.debug(`Deleted stray in-progress part file ${path}`);
    }
  }
}
