/** The ZooKeeper client's contract: its settings, connection states, node modes, watches and errors. */
import zookeeper from 'node-zookeeper-client';
import { TsFlinkError } from '../../core/errors.js';

/** Connection settings, from high-availability.zookeeper.* (Flink's names and meanings). */
export interface ZooKeeperClientSettings {
  /** host:port[,host:port...] */
  readonly quorum: string;
  /** Every path is below this one: path.root joined with cluster-id, e.g. /flink/default. */
  readonly namespace: string;
  readonly sessionTimeoutMs: number;
  readonly connectionTimeoutMs: number;
  readonly retryWaitMs: number;
  readonly maxRetryAttempts: number;
  /** Leadership and known leaders survive a suspended connection; only a lost session ends them. */
  readonly tolerateSuspendedConnections?: boolean;
}

/**
 * Curator's connection states: `connected` (a new session), `suspended` (no answer: leadership must
 * be given up, the session may still live), `reconnected` (the same session is back), `lost` (the
 * session is gone or must be assumed gone; a new one is being made).
 */
export type ConnectionState = 'connected' | 'suspended' | 'reconnected' | 'lost';

/** How a node is created. */
export type NodeMode = 'persistent' | 'ephemeral' | 'ephemeral-sequential';

/** node-zookeeper-client's create mode of each NodeMode. */
export const CREATE_MODES: Readonly<Record<NodeMode, number>> = {
  persistent: zookeeper.CreateMode.PERSISTENT,
  ephemeral: zookeeper.CreateMode.EPHEMERAL,
  'ephemeral-sequential': zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL,
};

/** A watch callback: the node or its children changed. */
export type Watcher = () => void;

/** Whether `error` is ZooKeeper's answer `code` (e.g. zookeeper.Exception.NO_NODE). */
export function isZooKeeperError(error: unknown, code: number): boolean {
  return error instanceof TsFlinkError && error.code === 'ZOOKEEPER_OPERATION' && error.context['zooKeeperCode'] === code;
}

/** ZooKeeper's answer as one of our errors, keeping its code for isZooKeeperError. */
export function operationError(what: string, error: Error | zookeeper.Exception): TsFlinkError {
  const code = error instanceof zookeeper.Exception ? error.getCode() : undefined;
  return new TsFlinkError('ZOOKEEPER_OPERATION', `ZooKeeper ${what}: ${error.toString()}`, { context: { zooKeeperCode: code } });
}
