import zookeeper from 'node-zookeeper-client';
import { describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import type { ZooKeeperClient } from './zookeeper-client.js';
import { isZooKeeperError, type ConnectionState } from './zookeeper-contract.js';

const log = getLogger('leaderretrieval');

/** What a leader publishes in its component's connection_info node. */
export interface LeaderInformation {
  /** The leader session id: the fencing token of everything this leader sends. */
  readonly sessionId: string;
  /** Where the component is reached: an RPC address (`unix:/…` or `host:port`) or a REST URL. */
  readonly address: string;
}

/** Flink's node names below `<root>/<cluster-id>/leader/`. */
export const LEADER_COMPONENTS = { resourceManager: 'resource_manager', dispatcher: 'dispatcher', restServer: 'rest_server' } as const;

/** The path of a component's connection_info node, relative to the namespace. */
export function connectionInfoPath(component: string): string {
  return `/leader/${component}/connection_info`;
}

/** Decodes a connection_info node's data; undefined for an empty or unreadable one. */
export function decodeLeaderInformation(data: Buffer | undefined): LeaderInformation | undefined {
  if (data === undefined || data.length === 0) return undefined;
  try {
    const parsed = JSON.parse(data.toString('utf8')) as Partial<LeaderInformation>;
    return typeof parsed.sessionId === 'string' && typeof parsed.address === 'string'
      ? { sessionId: parsed.sessionId, address: parsed.address }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes `info` into an ephemeral connection_info node owned by this client's session, as Flink
 * does: a node left by an earlier session (of a dead leader) is removed first, and nothing is
 * written once `stillLeader` says leadership is gone.
 */
export async function publishLeaderInformation(
  client: ZooKeeperClient,
  path: string,
  info: LeaderInformation,
  stillLeader: () => boolean,
): Promise<boolean> {
  const data = Buffer.from(JSON.stringify(info));
  while (stillLeader()) {
    const current = await client.getData(path);
    if (current === undefined) {
      try {
        await client.create(path, data, 'ephemeral');
        return true;
      } catch (error) {
        if (!isZooKeeperError(error, zookeeper.Exception.NODE_EXISTS)) throw error;
      }
    } else if (current.ephemeralOwner === client.sessionId) {
      await client.setData(path, data);
      return true;
    } else {
      await client.removeRecursive(path);
    }
  }
  return false;
}

/**
 * Follows a component's leader through its connection_info node (Flink's leader retrieval): told
 * the new leader whenever the node changes, and told "no leader" while the connection is suspended,
 * since a leader that cannot be confirmed cannot be trusted.
 */
export class LeaderRetriever {
  private current: LeaderInformation | undefined;
  private stopped = false;
  private readonly onState = (state: ConnectionState): void => {
    const clears = state === 'lost' || (state === 'suspended' && this.client.settings.tolerateSuspendedConnections !== true);
    if (clears) this.tell(undefined);
    else if (state !== 'suspended') this.refresh();
  };

  constructor(
    private readonly client: ZooKeeperClient,
    private readonly path: string,
    private readonly listener: (leader: LeaderInformation | undefined) => void,
  ) {}

  get leader(): LeaderInformation | undefined {
    return this.current;
  }

  start(): void {
    this.client.on('state', this.onState);
    if (this.client.isConnected) this.refresh();
  }

  stop(): void {
    this.stopped = true;
    this.client.off('state', this.onState);
  }

  private refresh(): void {
    if (this.stopped) return;
    this.read().catch((error: unknown) => {
      log.warn(`Reading the leader at ${this.path} failed: ${describeError(error)}; trying again.`);
      setTimeout(() => this.refresh(), this.client.settings.retryWaitMs).unref();
    });
  }

  private async read(): Promise<void> {
    const watch = (): void => this.refresh();
    // exists() watches a node that is not there yet; getData() watches its changes and removal.
    const present = await this.client.exists(this.path, watch);
    const node = present ? await this.client.getData(this.path, watch) : undefined;
    if (!this.stopped && this.client.isConnected) this.tell(decodeLeaderInformation(node?.data));
  }

  private tell(leader: LeaderInformation | undefined): void {
    if (this.current?.sessionId === leader?.sessionId && this.current?.address === leader?.address) return;
    this.current = leader;
    this.listener(leader);
  }
}
