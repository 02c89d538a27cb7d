import type { ZooKeeperClient } from '../../../../src/ha/zookeeper/zookeeper-client.js';

/** The part of ZooKeeperClient the HA stores use, kept in a map; `log` lists every write and removal in order. */
export class FakeZooKeeper {
  readonly nodes = new Map<string, Buffer>();
  readonly log: string[] = [];

  get client(): ZooKeeperClient {
    return this as unknown as ZooKeeperClient;
  }

  put(path: string, data: Buffer): Promise<void> {
    this.nodes.set(path, data);
    this.log.push(`put ${path}`);
    return Promise.resolve();
  }

  getData(path: string): Promise<{ data: Buffer; version: number; ephemeralOwner: string } | undefined> {
    const data = this.nodes.get(path);
    return Promise.resolve(data === undefined ? undefined : { data, version: 0, ephemeralOwner: '0' });
  }

  getChildren(path: string): Promise<string[]> {
    const prefix = `${path}/`;
    const children = [...this.nodes.keys()].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length).split('/')[0]!);
    return Promise.resolve([...new Set(children)]);
  }

  removeRecursive(path: string): Promise<void> {
    for (const key of [...this.nodes.keys()]) if (key === path || key.startsWith(`${path}/`)) this.nodes.delete(key);
    this.log.push(`remove ${path}`);
    return Promise.resolve();
  }
}
