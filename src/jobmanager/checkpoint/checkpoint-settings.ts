import { isAbsolute, resolve } from 'node:path';
import { ConfigurationError } from '../../core/errors.js';
import type { Configuration } from '../../config/configuration.js';
import {
  CHECKPOINT_STORAGE,
  CHECKPOINTING_INTERVAL,
  DATA_INLINE_THRESHOLD,
  CHECKPOINTING_MODE,
  CHECKPOINTING_TIMEOUT,
  CHECKPOINTS_DIRECTORY,
  EXTERNALIZED_CHECKPOINT_RETENTION,
  INCREMENTAL_CHECKPOINTS,
  MAX_CONCURRENT_CHECKPOINTS,
  MAX_RETAINED_CHECKPOINTS,
  MIN_PAUSE_BETWEEN_CHECKPOINTS,
  RECYCLE_SNAPSHOT_FILES,
  SAVEPOINT_DIRECTORY,
  TOLERABLE_FAILED_CHECKPOINTS,
} from '../../config/options/checkpointing-options.js';
import { WEB_CHECKPOINTS_HISTORY } from '../../config/options/web-options.js';
import type { JobId } from '../../core/ids.js';
import type { TaskCheckpointSettings } from '../../rpc/gateways/task-deployment-descriptor.js';
import { spareDirectoryOf } from './spare-snapshot-files.js';

/** Flink's smallest checkpoint interval, also enforced on an interval set by the program. */
const MINIMAL_CHECKPOINT_INTERVAL_MS = 10;

/** Where completed checkpoints live: the JobManager's memory, or files under `<directory>/<jobId>/chk-<n>`. */
export type CheckpointStorageSettings = { readonly kind: 'memory' } | { readonly kind: 'filesystem'; readonly directory: string };

/** What happens to retained checkpoints when the job ends (Flink's ExternalizedCheckpointRetention). */
export type CheckpointRetention = 'DELETE_ON_CANCELLATION' | 'RETAIN_ON_CANCELLATION' | 'NO_EXTERNALIZED_CHECKPOINTS';

/** The resolved checkpoint settings of one job. */
export interface CheckpointSettings {
  /** Undefined: periodic checkpoints are disabled (savepoints still work). */
  readonly intervalMs: number | undefined;
  readonly mode: 'EXACTLY_ONCE' | 'AT_LEAST_ONCE';
  readonly timeoutMs: number;
  readonly minPauseMs: number;
  readonly maxConcurrent: number;
  readonly numRetained: number;
  readonly tolerableFailures: number;
  readonly storage: CheckpointStorageSettings;
  /** Plain absolute path of the default savepoint directory. */
  readonly savepointDirectory: string | undefined;
  readonly retention: CheckpointRetention;
  /** web.checkpoints.history: entries kept in the statistics history. */
  readonly historySize: number;
  /** execution.checkpointing.incremental: checkpoints write only what changed and share the rest. */
  readonly incremental?: boolean;
  /** execution.checkpointing.data-inline-threshold: smaller subtask snapshots go inline, not into files. */
  readonly inlineThresholdBytes?: number;
  /** execution.checkpointing.recycle-files: subsumed snapshot files are overwritten by later snapshots rather than deleted. */
  readonly recycleFiles?: boolean;
}

/** Resolves a job's checkpoint settings: the program's interval wins over execution.checkpointing.interval. */
export function checkpointSettingsFrom(configuration: Configuration, programIntervalMs: number | undefined): CheckpointSettings {
  if (programIntervalMs !== undefined && !(programIntervalMs >= MINIMAL_CHECKPOINT_INTERVAL_MS)) {
    throw new ConfigurationError(
      `The checkpoint interval set by the program must be at least ${MINIMAL_CHECKPOINT_INTERVAL_MS} ms, got ${programIntervalMs}.`,
    );
  }
  const savepointDirectory = configuration.get(SAVEPOINT_DIRECTORY);
  return {
    intervalMs: programIntervalMs ?? configuration.get(CHECKPOINTING_INTERVAL),
    mode: configuration.get(CHECKPOINTING_MODE),
    timeoutMs: configuration.get(CHECKPOINTING_TIMEOUT),
    minPauseMs: configuration.get(MIN_PAUSE_BETWEEN_CHECKPOINTS),
    maxConcurrent: configuration.get(MAX_CONCURRENT_CHECKPOINTS),
    numRetained: configuration.get(MAX_RETAINED_CHECKPOINTS),
    tolerableFailures: configuration.get(TOLERABLE_FAILED_CHECKPOINTS),
    storage: storageFrom(configuration),
    savepointDirectory: savepointDirectory === undefined ? undefined : toLocalPath(savepointDirectory, SAVEPOINT_DIRECTORY.key),
    retention: configuration.get(EXTERNALIZED_CHECKPOINT_RETENTION),
    historySize: configuration.get(WEB_CHECKPOINTS_HISTORY),
    incremental: configuration.get(INCREMENTAL_CHECKPOINTS),
    inlineThresholdBytes: configuration.get(DATA_INLINE_THRESHOLD),
    recycleFiles: configuration.get(RECYCLE_SNAPSHOT_FILES),
  };
}

/** True when periodic checkpoints run. */
export function isPeriodicCheckpointingEnabled(settings: CheckpointSettings): boolean {
  return settings.intervalMs !== undefined;
}

/** The part of the settings a task needs, for its deployment descriptor. */
export function taskCheckpointSettings(settings: CheckpointSettings, jobId: JobId): TaskCheckpointSettings {
  const directory = settings.storage.kind === 'filesystem' ? settings.storage.directory : undefined;
  return {
    enabled: settings.intervalMs !== undefined,
    mode: settings.mode,
    checkpointDirectory: directory,
    incremental: settings.incremental === true,
    inlineThreshold: settings.inlineThresholdBytes ?? 0,
    ...(directory !== undefined && settings.recycleFiles === true ? { spareDirectory: spareDirectoryOf(directory, jobId) } : {}),
  };
}

function storageFrom(configuration: Configuration): CheckpointStorageSettings {
  const directory = configuration.get(CHECKPOINTS_DIRECTORY);
  const kind = configuration.get(CHECKPOINT_STORAGE) ?? (directory === undefined ? 'jobmanager' : 'filesystem');
  if (kind === 'jobmanager') return { kind: 'memory' };
  if (directory === undefined) {
    throw new ConfigurationError(`${CHECKPOINT_STORAGE.key} is 'filesystem' but no checkpoint directory is set.`, {
      suggestion: `set ${CHECKPOINTS_DIRECTORY.key} to a directory, or use ${CHECKPOINT_STORAGE.key}: jobmanager`,
    });
  }
  return { kind: 'filesystem', directory: toLocalPath(directory, CHECKPOINTS_DIRECTORY.key) };
}

/** Turns `file:///x`, `file:/x` or a plain path into an absolute local path; other schemes are refused. */
export function toLocalPath(value: string, key: string): string {
  const text = value.trim();
  let path = text;
  if (/^file:/i.test(text)) {
    path = text.replace(/^file:(\/\/(localhost)?)?/i, '');
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new ConfigurationError(
      `${key}: '${value}' uses a file system tsflink cannot write to; only local paths and file:// URIs are accepted.`,
    );
  }
  if (path.length === 0) throw new ConfigurationError(`${key}: '${value}' names no directory.`);
  return isAbsolute(path) ? resolve(path) : resolve(process.cwd(), path);
}
