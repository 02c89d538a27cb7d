import type { OptionGroup } from '../config-option.js';
import { atLeast, nonEmpty, positiveDuration } from '../option-checks.js';
import { booleanOption, durationOption, enumOption, intOption, stringOption } from '../option-builders.js';

export const HIGH_AVAILABILITY_TYPE = enumOption('high-availability.type', ['NONE', 'zookeeper', 'kubernetes', 'filesystem'], {
  description:
    'How JobManager leadership and job metadata survive a JobManager failure. NONE keeps everything in the JobManager; zookeeper elects a leader among several JobManagers and keeps pointers to job metadata and checkpoints in ZooKeeper, the data itself under high-availability.storageDir; filesystem keeps the pointers under high-availability.storageDir for a JobManager restarted by hand.',
  default: 'NONE',
  deprecatedKeys: ['high-availability', 'recovery.mode'],
  note: 'tsflink implements NONE, zookeeper, and a file-based store named filesystem; kubernetes is accepted so Flink files load, but is not implemented.',
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

/** A ZooKeeper connect string: host:port, comma-separated. */
function quorumCheck(value: string): string | undefined {
  const servers = value.replace(/\s+/g, '').split(',');
  const bad = servers.find((server) => !/^[^:,/]+:\d{1,5}$/.test(server));
  return bad === undefined ? undefined : `'${bad}' is not host:port; give the servers as host:port[,host:port...]`;
}

export const HIGH_AVAILABILITY_ZOOKEEPER_QUORUM = stringOption('high-availability.zookeeper.quorum', {
  description: 'The ZooKeeper servers to use with high-availability.type: zookeeper, as host:port[,host:port...].',
  deprecatedKeys: ['recovery.zookeeper.quorum', 'ha.zookeeper.quorum'],
  check: quorumCheck,
});

export const HIGH_AVAILABILITY_ZOOKEEPER_ROOT = stringOption('high-availability.zookeeper.path.root', {
  description:
    'The root path in ZooKeeper under which every cluster keeps its nodes (below it, one path per high-availability.cluster-id).',
  default: '/flink',
  deprecatedKeys: ['recovery.zookeeper.path.root', 'ha.zookeeper.path.root'],
  check: nonEmpty,
});

export const ZOOKEEPER_SESSION_TIMEOUT = durationOption('high-availability.zookeeper.client.session-timeout', {
  description:
    'The ZooKeeper session timeout. A leader that cannot reach ZooKeeper gives up leadership well within it, and a dead leader is replaced once it has passed.',
  default: 60_000,
  deprecatedKeys: ['recovery.zookeeper.client.session-timeout', 'ha.zookeeper.client.session-timeout'],
  check: positiveDuration,
});

export const ZOOKEEPER_CONNECTION_TIMEOUT = durationOption('high-availability.zookeeper.client.connection-timeout', {
  description: 'How long a JobManager or TaskManager waits for its first ZooKeeper session before it fails.',
  default: 15_000,
  deprecatedKeys: ['recovery.zookeeper.client.connection-timeout', 'ha.zookeeper.client.connection-timeout'],
  check: positiveDuration,
});

export const ZOOKEEPER_RETRY_WAIT = durationOption('high-availability.zookeeper.client.retry-wait', {
  description: 'The pause before a ZooKeeper operation that lost its connection is tried again.',
  default: 5_000,
  deprecatedKeys: ['recovery.zookeeper.client.retry-wait', 'ha.zookeeper.client.retry-wait'],
  check: positiveDuration,
});

export const ZOOKEEPER_MAX_RETRY_ATTEMPTS = intOption('high-availability.zookeeper.client.max-retry-attempts', {
  description: 'How often a ZooKeeper operation that lost its connection is tried again before it fails.',
  default: 3,
  deprecatedKeys: ['recovery.zookeeper.client.max-retry-attempts', 'ha.zookeeper.client.max-retry-attempts'],
  check: atLeast(0),
});

export const ZOOKEEPER_TOLERATE_SUSPENDED_CONNECTIONS = booleanOption('high-availability.zookeeper.client.tolerate-suspended-connections', {
  description:
    'Keep leadership while the ZooKeeper connection is only suspended (for example while the client moves to another server of the ensemble), and give it up only when the session is lost. Safer against flapping, but a leader may then overlap with the next one for a moment; fencing keeps TaskManagers from serving both.',
  default: false,
});

export const JOB_RESULT_STORE_STORAGE_PATH = stringOption('job-result-store.storage-path', {
  description:
    'Where the results of globally terminated jobs are stored; a file system with read-after-write consistency. By default, {high-availability.storageDir}/job-result-store/{high-availability.cluster-id}.',
  check: nonEmpty,
});

export const JOB_RESULT_STORE_DELETE_ON_COMMIT = booleanOption('job-result-store.delete-on-commit', {
  description:
    "Whether a job's result is removed from the job result store once the job's resources are cleaned up. If false, the result is kept and marked clean instead, and removing it is left to the user.",
  default: true,
});

/** JobManager failover. */
export const HIGH_AVAILABILITY_OPTIONS: OptionGroup = {
  title: 'High availability',
  options: [
    HIGH_AVAILABILITY_TYPE,
    HIGH_AVAILABILITY_STORAGE_DIR,
    HIGH_AVAILABILITY_CLUSTER_ID,
    HIGH_AVAILABILITY_ZOOKEEPER_QUORUM,
    HIGH_AVAILABILITY_ZOOKEEPER_ROOT,
    ZOOKEEPER_SESSION_TIMEOUT,
    ZOOKEEPER_CONNECTION_TIMEOUT,
    ZOOKEEPER_RETRY_WAIT,
    ZOOKEEPER_MAX_RETRY_ATTEMPTS,
    ZOOKEEPER_TOLERATE_SUSPENDED_CONNECTIONS,
    JOB_RESULT_STORE_STORAGE_PATH,
    JOB_RESULT_STORE_DELETE_ON_COMMIT,
  ],
};
