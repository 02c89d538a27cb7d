import type { OptionGroup } from '../config-option.js';
import { atLeast, durationAtLeast } from '../option-checks.js';
import { booleanOption, durationOption, enumOption, intOption, memoryOption, stringOption } from '../option-builders.js';

/** Flink's smallest checkpoint interval and timeout. */
const MINIMAL_CHECKPOINT_TIME_MS = 10;

export const CHECKPOINTING_INTERVAL = durationOption('execution.checkpointing.interval', {
  description: 'Time between the starts of two periodic checkpoints. When unset, checkpointing is disabled.',
  check: durationAtLeast(MINIMAL_CHECKPOINT_TIME_MS, ' (leave it unset to disable checkpointing)'),
  sentToTaskManagers: true,
});

export const CHECKPOINTING_MODE = enumOption('execution.checkpointing.mode', ['EXACTLY_ONCE', 'AT_LEAST_ONCE'], {
  description:
    'Consistency of checkpoints: EXACTLY_ONCE aligns barriers at tasks with several inputs; AT_LEAST_ONCE does not, so records may be counted twice after a restore.',
  default: 'EXACTLY_ONCE',
  sentToTaskManagers: true,
});

export const CHECKPOINTING_TIMEOUT = durationOption('execution.checkpointing.timeout', {
  description: 'A checkpoint that has not completed within this time is aborted.',
  default: 10 * 60_000,
  check: durationAtLeast(MINIMAL_CHECKPOINT_TIME_MS),
  sentToTaskManagers: true,
});

export const MIN_PAUSE_BETWEEN_CHECKPOINTS = durationOption('execution.checkpointing.min-pause', {
  description: 'Least time between the end of one checkpoint and the start of the next.',
  default: 0,
  sentToTaskManagers: true,
});

export const MAX_CONCURRENT_CHECKPOINTS = intOption('execution.checkpointing.max-concurrent-checkpoints', {
  description: 'How many checkpoints may be in progress at the same time.',
  default: 1,
  check: atLeast(1),
  sentToTaskManagers: true,
});

export const MAX_RETAINED_CHECKPOINTS = intOption('execution.checkpointing.num-retained', {
  description: 'How many completed checkpoints are kept; older ones are discarded.',
  default: 1,
  check: atLeast(1),
  deprecatedKeys: ['state.checkpoints.num-retained'],
});

export const INCREMENTAL_CHECKPOINTS = booleanOption('execution.checkpointing.incremental', {
  description:
    'Incremental checkpoints: a checkpoint writes only the keyed state that changed since the last completed checkpoint (changed and removed entries per key group, on top of a full base written earlier) and references the rest, which later checkpoints share. A group whose deltas outgrow half its base, or hold 12-19 deltas, is written in full again. Savepoints are always full and self-contained.',
  default: false,
  deprecatedKeys: ['state.backend.incremental'],
});

export const RECYCLE_SNAPSHOT_FILES = booleanOption('execution.checkpointing.recycle-files', {
  description:
    "Snapshot files of checkpoints that were subsumed (and that no retained checkpoint references) are kept as spares under the job's taskowned/spare directory instead of being deleted, and the next checkpoint's subtasks overwrite them instead of creating new files. Overwriting blocks a file already holds skips block allocation, and on thin-provisioned virtual disks the host's first write to each block: a 1 GB snapshot wrote at 600 MB/s instead of 400 MB/s here. Spares not taken by the next checkpoint are deleted, and the directory goes when the job ends.",
  default: true,
  note: 'tsflink only: Flink deletes the files of subsumed checkpoints.',
});

export const DATA_INLINE_THRESHOLD = memoryOption('execution.checkpointing.data-inline-threshold', {
  description:
    "A subtask's snapshot smaller than this goes inline into the checkpoint's metadata instead of into a file of its own, as small state does in Flink: no file, no sync and no local copy for a source's offsets. 0 writes every snapshot to a file.",
  default: 20 * 1024,
  check: (bytes) => (bytes <= 1024 * 1024 ? undefined : 'expected a size of at most 1 mb'),
  deprecatedKeys: ['state.storage.fs.memory-threshold', 'state.backend.fs.memory-threshold'],
  note: "tsflink inlines a subtask's whole snapshot or none of it; Flink decides per state stream.",
  sentToTaskManagers: true,
});

export const TOLERABLE_FAILED_CHECKPOINTS = intOption('execution.checkpointing.tolerable-failed-checkpoints', {
  description: 'How many checkpoint failures in a row are tolerated before the job is failed.',
  default: 0,
  check: atLeast(0),
});

export const CHECKPOINTS_DIRECTORY = stringOption('execution.checkpointing.dir', {
  description:
    "Directory (path or file:// URI) where checkpoint data and metadata are written, under <dir>/<job id>/chk-<n>. When unset, completed checkpoints live in the JobManager's memory.",
  deprecatedKeys: ['state.checkpoints.dir', 'state.backend.fs.checkpointdir'],
  sentToTaskManagers: true,
});

export const SAVEPOINT_DIRECTORY = stringOption('execution.checkpointing.savepoint-dir', {
  description: 'Default directory for savepoints when a savepoint request names none.',
  deprecatedKeys: ['state.savepoints.dir', 'savepoints.state.backend.fs.dir'],
  sentToTaskManagers: true,
});

export const CHECKPOINT_STORAGE = enumOption('execution.checkpointing.storage', ['jobmanager', 'filesystem'], {
  description:
    "Where checkpoints are stored: in the JobManager's memory or in files under execution.checkpointing.dir. When unset, filesystem if a checkpoint directory is set, else jobmanager.",
  deprecatedKeys: ['state.checkpoint-storage'],
  note: 'Flink also accepts a factory class name; tsflink accepts only the two built-in storages.',
  sentToTaskManagers: true,
});

export const EXTERNALIZED_CHECKPOINT_RETENTION = enumOption(
  'execution.checkpointing.externalized-checkpoint-retention',
  ['DELETE_ON_CANCELLATION', 'RETAIN_ON_CANCELLATION', 'NO_EXTERNALIZED_CHECKPOINTS'],
  {
    description:
      "What happens to a job's retained checkpoints when it ends: DELETE_ON_CANCELLATION keeps them if the job fails and deletes them if it is cancelled; RETAIN_ON_CANCELLATION keeps them in both cases; NO_EXTERNALIZED_CHECKPOINTS deletes them when the job ends.",
    default: 'NO_EXTERNALIZED_CHECKPOINTS',
  },
);

export const CREATE_CHECKPOINT_SUBDIR = booleanOption('execution.checkpointing.create-subdir', {
  description: 'When true, checkpoints go into a sub-directory named after the job id inside execution.checkpointing.dir.',
  default: true,
  deprecatedKeys: ['state.checkpoints.create-subdir'],
  sentToTaskManagers: true,
});

/** Periodic checkpoints and where they are kept. */
export const CHECKPOINTING_OPTIONS: OptionGroup = {
  title: 'Checkpointing',
  options: [
    CHECKPOINTING_INTERVAL,
    CHECKPOINTING_MODE,
    CHECKPOINTING_TIMEOUT,
    MIN_PAUSE_BETWEEN_CHECKPOINTS,
    MAX_CONCURRENT_CHECKPOINTS,
    MAX_RETAINED_CHECKPOINTS,
    TOLERABLE_FAILED_CHECKPOINTS,
    INCREMENTAL_CHECKPOINTS,
    DATA_INLINE_THRESHOLD,
    RECYCLE_SNAPSHOT_FILES,
    CHECKPOINTS_DIRECTORY,
    SAVEPOINT_DIRECTORY,
    CHECKPOINT_STORAGE,
    EXTERNALIZED_CHECKPOINT_RETENTION,
    CREATE_CHECKPOINT_SUBDIR,
  ],
};
