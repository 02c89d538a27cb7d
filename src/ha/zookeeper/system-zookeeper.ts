import { existsSync } from 'node:fs';

/** The server jar of Debian's `zookeeper` package; its manifest names the libraries it needs. */
export const SYSTEM_ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
/** Debian's ZooKeeper configuration directory, which holds the log4j setup the jar expects on its classpath. */
const SYSTEM_ZOOKEEPER_CONF = '/etc/zookeeper/conf';
/** The one line telling how to get a ZooKeeper server when the package is missing. */
export const ZOOKEEPER_INSTALL_HINT =
  "ZooKeeper is not installed (Debian's zookeeper package provides it): run apt-get update && apt-get install -y zookeeper";

/** Whether Debian's ZooKeeper server and a Java runtime to run it are installed. */
export function isZooKeeperInstalled(): boolean {
  return existsSync(SYSTEM_ZOOKEEPER_JAR) && existsSync('/usr/bin/java');
}

/** One server of a ZooKeeper ensemble as zoo.cfg names it. */
export interface ZooKeeperPeer {
  readonly id: number;
  readonly host: string;
  readonly quorumPort: number;
  readonly electionPort: number;
}

/** What a zoo.cfg needs: where the server keeps its data and where it listens. */
export interface ZooCfgSettings {
  readonly dataDir: string;
  readonly clientPort: number;
  readonly clientPortAddress?: string;
  /** The ensemble; empty or absent for a standalone server. */
  readonly peers?: readonly ZooKeeperPeer[];
  readonly tickTimeMs?: number;
}

/**
 * A zoo.cfg for a server of ours: the admin HTTP server off (it would take port 8080), the `srvr`
 * and `ruok` four-letter words on (they tell whether it serves), and session timeouts allowed from
 * two ticks, so tests can use short ones.
 */
export function renderZooCfg(settings: ZooCfgSettings): string {
  const tick = settings.tickTimeMs ?? 500;
  const lines = [
    `tickTime=${tick}`,
    'initLimit=10',
    'syncLimit=5',
    `dataDir=${settings.dataDir}`,
    `clientPort=${settings.clientPort}`,
    ...(settings.clientPortAddress === undefined ? [] : [`clientPortAddress=${settings.clientPortAddress}`]),
    'admin.enableServer=false',
    '4lw.commands.whitelist=srvr,ruok',
    `minSessionTimeout=${2 * tick}`,
    'maxSessionTimeout=600000',
    ...(settings.peers ?? []).map((peer) => `server.${peer.id}=${peer.host}:${peer.quorumPort}:${peer.electionPort}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** The command that runs a ZooKeeper server in the foreground with `zooCfg`, logging under `logDir`. */
export function zooKeeperServerCommand(zooCfg: string, logDir: string): { readonly command: string; readonly args: string[] } {
  return {
    command: '/usr/bin/java',
    args: [
      `-Dzookeeper.log.dir=${logDir}`,
      '-Dzookeeper.root.logger=INFO,CONSOLE',
      '-cp',
      `${SYSTEM_ZOOKEEPER_CONF}:${SYSTEM_ZOOKEEPER_JAR}`,
      'org.apache.zookeeper.server.quorum.QuorumPeerMain',
      zooCfg,
    ],
  };
}
