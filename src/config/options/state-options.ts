import type { OptionGroup } from '../config-option.js';
import { booleanOption, enumOption, stringOption } from '../option-builders.js';

export const STATE_BACKEND_TYPE = enumOption('state.backend.type', ['hashmap'], {
  description: 'Where keyed state lives while a job runs. hashmap keeps it as objects on the heap of the TaskManager.',
  default: 'hashmap',
  deprecatedKeys: ['state.backend'],
  expected: "'hashmap' (tsflink has only the heap state backend; rocksdb and forst are not available)",
  note: 'Only hashmap is accepted by tsflink; Flink also offers rocksdb, forst and factory classes.',
  sentToTaskManagers: true,
});

export const SAVEPOINT_PATH = stringOption('execution.state-recovery.path', {
  description: 'Savepoint or retained checkpoint to start the job from (what -s/--fromSavepoint sets).',
  deprecatedKeys: ['execution.savepoint.path'],
});

export const SAVEPOINT_IGNORE_UNCLAIMED_STATE = booleanOption('execution.state-recovery.ignore-unclaimed-state', {
  description:
    'When true, a restore succeeds even if the snapshot holds state of operators the job no longer has (what -n/--allowNonRestoredState sets).',
  default: false,
  deprecatedKeys: ['execution.savepoint.ignore-unclaimed-state'],
});

export const RESTORE_MODE = enumOption('execution.state-recovery.claim-mode', ['CLAIM', 'NO_CLAIM', 'LEGACY'], {
  description:
    'Who owns the snapshot a job starts from: CLAIM hands it to the job, which may delete it later; NO_CLAIM leaves it untouched and makes the first checkpoint a full one; LEGACY is the deprecated pre-1.15 behaviour.',
  default: 'NO_CLAIM',
  deprecatedKeys: ['execution.savepoint-restore-mode'],
});

export const LOCAL_RECOVERY = booleanOption('execution.state-recovery.from-local', {
  description:
    'Task-local recovery: each TaskManager keeps a local copy of the keyed state its subtasks checkpoint, and a restore on the same TaskManager (a restart, or a rescale that keeps key groups in place) reads those key groups from the copy instead of checkpoint storage. A copy is used only when its checkpoint id and checksums match the checkpoint being restored.',
  default: false,
  deprecatedKeys: ['state.backend.local-recovery'],
});

export const LOCAL_STATE_ROOT_DIRS = stringOption('taskmanager.state.local.root-dirs', {
  description:
    "Root directories of the TaskManager's local state copies (task-local recovery); the first is used, under a directory of the TaskManager's own that it removes when it stops. By default the copies live in the TaskManager's working directory under the runtime dir.",
});

/** State backend and restoring from savepoints. */
export const STATE_OPTIONS: OptionGroup = {
  title: 'State backend and recovery',
  options: [STATE_BACKEND_TYPE, SAVEPOINT_PATH, SAVEPOINT_IGNORE_UNCLAIMED_STATE, RESTORE_MODE, LOCAL_RECOVERY, LOCAL_STATE_ROOT_DIRS],
};
