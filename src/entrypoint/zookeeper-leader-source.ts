import { describeError } from '../core/errors.js';
import { LEADER_COMPONENTS, connectionInfoPath, LeaderRetriever } from '../ha/zookeeper/leader-information.js';
import { ZooKeeperClient } from '../ha/zookeeper/zookeeper-client.js';
import type { ZooKeeperClientSettings } from '../ha/zookeeper/zookeeper-contract.js';
import { parseAddress, type EndpointAddress } from '../rpc/address.js';
import type { LeaderSource } from '../taskmanager/job-manager-connector.js';

/** A TaskManager's view of the leading ResourceManager, and the ZooKeeper client behind it. */
export interface ZooKeeperLeaderSource extends LeaderSource {
  close(): void;
}

/**
 * Connects to ZooKeeper (failing after connection-timeout, as Flink's TaskManager does) and
 * follows the ResourceManager's connection_info node.
 */
export async function followLeaderInZooKeeper(settings: ZooKeeperClientSettings): Promise<ZooKeeperLeaderSource> {
  const client = new ZooKeeperClient(settings);
  const listeners: (() => void)[] = [];
  let current: { address: EndpointAddress; sessionId: string } | undefined;
  const retriever = new LeaderRetriever(client, connectionInfoPath(LEADER_COMPONENTS.resourceManager), (leader) => {
    try {
      current = leader === undefined ? undefined : { address: parseAddress(leader.address), sessionId: leader.sessionId };
    } catch (error) {
      current = undefined;
      throw new Error(`The leader published an unusable address: ${describeError(error)}`, { cause: error });
    } finally {
      for (const listener of listeners) listener();
    }
  });
  await client.start();
  retriever.start();
  return {
    current: () => current,
    onChange: (listener) => listeners.push(listener),
    close: () => {
      retriever.stop();
      client.close();
    },
  };
}
