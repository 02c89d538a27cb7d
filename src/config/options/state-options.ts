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

/** State backend and restoring from savepoints. */
export const STATE_OPTIONS: OptionGroup = {
  title: 'State backend and recovery',
  options: [STATE_BACKEND_TYPE, SAVEPOINT_PATH, SAVEPOINT_IGNORE_UNCLAIMED_STATE, RESTORE_MODE],
};
