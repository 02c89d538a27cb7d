import type { OptionGroup } from '../config-option.js';
import { nonEmpty } from '../option-checks.js';
import { enumOption, stringOption } from '../option-builders.js';

export const HIGH_AVAILABILITY_TYPE = enumOption('high-availability.type', ['NONE', 'zookeeper', 'kubernetes', 'filesystem'], {
  description:
    'How JobManager leadership and job metadata survive a JobManager failure. NONE keeps everything in the JobManager; filesystem keeps job metadata and checkpoint pointers under high-availability.storageDir.',
  default: 'NONE',
  deprecatedKeys: ['high-availability', 'recovery.mode'],
  note: 'tsflink implements NONE and a file-based store named filesystem; zookeeper and kubernetes are accepted so Flink files load, but are not implemented.',
});

export const HIGH_AVAILABILITY_STORAGE_DIR = stringOption('high-availability.storageDir', {
  description: 'Directory where high-availability metadata is written. Required when high-availability.type is not NONE.',
  check: nonEmpty,
});

export const HIGH_AVAILABILITY_CLUSTER_ID = stringOption('high-availability.cluster-id', {
  description: 'Id of this cluster, separating its high-availability data from other clusters sharing the storage directory.',
  default: '/default',
  check: nonEmpty,
});

/** JobManager failover. */
export const HIGH_AVAILABILITY_OPTIONS: OptionGroup = {
  title: 'High availability',
  options: [HIGH_AVAILABILITY_TYPE, HIGH_AVAILABILITY_STORAGE_DIR, HIGH_AVAILABILITY_CLUSTER_ID],
};
