import type { Configuration } from '../../config/configuration.js';
import {
  HIGH_AVAILABILITY_CLUSTER_ID,
  HIGH_AVAILABILITY_TYPE,
  HIGH_AVAILABILITY_ZOOKEEPER_QUORUM,
  HIGH_AVAILABILITY_ZOOKEEPER_ROOT,
  ZOOKEEPER_CONNECTION_TIMEOUT,
  ZOOKEEPER_MAX_RETRY_ATTEMPTS,
  ZOOKEEPER_RETRY_WAIT,
  ZOOKEEPER_SESSION_TIMEOUT,
  ZOOKEEPER_TOLERATE_SUSPENDED_CONNECTIONS,
} from '../../config/options/high-availability-options.js';
import type { ZooKeeperClientSettings } from './zookeeper-contract.js';

/** Whether leaders are elected through ZooKeeper (high-availability.type, or its legacy key, is zookeeper). */
export function isZooKeeperHighAvailability(configuration: Configuration): boolean {
  return configuration.get(HIGH_AVAILABILITY_TYPE) === 'zookeeper';
}

/** The client settings of this cluster: Flink's namespace is path.root joined with cluster-id. */
export function zooKeeperClientSettings(configuration: Configuration): ZooKeeperClientSettings {
  const namespace = `/${configuration.get(HIGH_AVAILABILITY_ZOOKEEPER_ROOT)}/${configuration.get(HIGH_AVAILABILITY_CLUSTER_ID)}`
    .replace(/\/+/g, '/')
    .replace(/(.)\/$/, '$1');
  return {
    quorum: (configuration.get(HIGH_AVAILABILITY_ZOOKEEPER_QUORUM) ?? '').replace(/\s+/g, ''),
    namespace,
    sessionTimeoutMs: configuration.get(ZOOKEEPER_SESSION_TIMEOUT),
    connectionTimeoutMs: configuration.get(ZOOKEEPER_CONNECTION_TIMEOUT),
    retryWaitMs: configuration.get(ZOOKEEPER_RETRY_WAIT),
    maxRetryAttempts: configuration.get(ZOOKEEPER_MAX_RETRY_ATTEMPTS),
    tolerateSuspendedConnections: configuration.get(ZOOKEEPER_TOLERATE_SUSPENDED_CONNECTIONS),
  };
}
