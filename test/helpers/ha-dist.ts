import { join } from 'node:path';
import { TestDist } from './test-dist.js';

/** What haDist needs of a ZooKeeper server or ensemble: its host:port list. */
export interface ZooKeeperQuorum {
  readonly quorum: string;
}

type Options = Record<string, string | number | boolean>;

/** The cluster id a dist made by haDist uses (its directory's name), without the leading slash. */
export function haClusterId(dist: TestDist): string {
  return dist.dir.split('/').at(-1) ?? 'cluster';
}

/** The local high-availability.storageDir of a dist made by haDist. */
export function haStorageDir(dist: TestDist): string {
  return join(dist.dir, 'ha');
}

/**
 * A dist whose JobManagers elect their leader on `zookeeper`, with short timeouts and restarts, a
 * storageDir and checkpoint directory of its own, its own cluster id, and `config` on top.
 */
export function haDist(zookeeper: ZooKeeperQuorum, config: Options = {}): TestDist {
  const base: Options = {
    'heartbeat.interval': '200 ms',
    'heartbeat.timeout': '2 s',
    'execution.checkpointing.interval': '300 ms',
    'restart-strategy.type': 'fixed-delay',
    'restart-strategy.fixed-delay.attempts': 100,
    'restart-strategy.fixed-delay.delay': '100 ms',
    'high-availability.type': 'zookeeper',
    'high-availability.zookeeper.quorum': zookeeper.quorum,
    'high-availability.zookeeper.client.session-timeout': '4 s',
    'high-availability.zookeeper.client.retry-wait': '200 ms',
  };
  const dist = TestDist.create({ config: { ...base, ...config } });
  dist.writeConfig({
    'high-availability.storageDir': `file://${haStorageDir(dist)}`,
    'high-availability.cluster-id': `/${haClusterId(dist)}`,
    'execution.checkpointing.dir': `file://${join(dist.dir, 'checkpoints')}`,
  });
  return dist;
}
