import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Command } from 'commander';
import { resolveConfDir } from '../../config/index.js';
import { daemonLogFiles } from '../../daemon/log-files.js';
import { logFilePrefix, pidFilePath, prepareDaemonDirectories } from '../../daemon/daemon-paths.js';
import { stopAllDaemons, stopDaemon } from '../../daemon/daemon-control.js';
import { PidFile } from '../../daemon/pid-file.js';
import { isZooKeeperInstalled, ZOOKEEPER_INSTALL_HINT, zooKeeperServerCommand } from '../../ha/zookeeper/system-zookeeper.js';
import { FLINK_HOME } from '../flink-home.js';
import { loadStopSettings } from '../preflight.js';
import { terminal } from '../ui/terminal.js';

const USAGE = 'Usage: zookeeper.sh ((start|start-foreground) [peer-id])|stop|stop-all';

/** What zookeeper.sh needs from conf/zoo.cfg. */
export interface ZooCfgFacts {
  readonly dataDir: string | undefined;
  readonly clientPort: number;
  /** server.<id>=host:port:port lines: the ensemble's peers by id. */
  readonly peers: ReadonlyMap<number, string>;
}

/** Reads dataDir, clientPort and the server.N lines of a zoo.cfg. */
export function readZooCfg(text: string): ZooCfgFacts {
  const values = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    const eq = line.indexOf('=');
    if (eq > 0) values.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const peers = new Map<number, string>();
  for (const [key, value] of values) {
    const match = /^server\.(\d+)$/.exec(key);
    if (match !== null) peers.set(Number(match[1]), value.split(':')[0] ?? 'localhost');
  }
  return { dataDir: values.get('dataDir'), clientPort: Number(values.get('clientPort') ?? 2181), peers };
}

/** conf/zoo.cfg, read; throws one line when it is missing. */
export function loadZooCfg(): { path: string; facts: ZooCfgFacts } {
  const path = join(resolveConfDir(process.env, FLINK_HOME), 'zoo.cfg');
  if (!existsSync(path)) throw new Error(`No ZooKeeper configuration at ${path}: copy conf/zoo.cfg from the distribution and edit it.`);
  return { path, facts: readZooCfg(readFileSync(path, 'utf8')) };
}

/**
 * How the ZooKeeper server on localhost:port answers `srvr` (whitelisted by default): `serving`
 * names its mode; `waiting` is a member of an ensemble that runs but serves only once a quorum of
 * its peers has started; `down` is no answer.
 */
function serverStatus(port: number): Promise<'serving' | 'waiting' | 'down'> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.once('connect', () => socket.write('srvr'));
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.once('close', () =>
      resolve(answer.includes('Mode:') ? 'serving' : answer.includes('not currently serving requests') ? 'waiting' : 'down'),
    );
    socket.once('error', () => resolve('down'));
  });
}

/** zookeeper.sh start: the system's ZooKeeper in the background with conf/zoo.cfg, its pid in Flink's pid file. */
async function startZooKeeper(peerId: number, foreground: boolean): Promise<number> {
  if (!isZooKeeperInstalled()) {
    terminal.error(ZOOKEEPER_INSTALL_HINT);
    return 1;
  }
  const { path, facts } = loadZooCfg();
  if (facts.dataDir === undefined) throw new Error(`${path} sets no dataDir; ZooKeeper needs one.`);
  mkdirSync(facts.dataDir, { recursive: true });
  // An ensemble member finds its own id in <dataDir>/myid, as Flink's script writes it.
  if (facts.peers.size > 0) writeFileSync(join(facts.dataDir, 'myid'), `${peerId}\n`);
  const paths = (await loadStopSettings('zookeeper')).paths;
  prepareDaemonDirectories(paths);
  let exited: Promise<number> | undefined;
  const { instanceId, pid } = await new PidFile(pidFilePath(paths, 'zookeeper')).register(async (id) => {
    const { command, args } = zooKeeperServerCommand(path, paths.logDir);
    const out = foreground ? 'inherit' : openSync(daemonLogFiles(logFilePrefix(paths, 'zookeeper', id)).out, 'w', 0o644);
    const child = spawn(command, args, { detached: !foreground, stdio: ['ignore', out, out] });
    if (typeof out === 'number') closeSync(out);
    if (!foreground) child.unref();
    else exited = new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
    if (child.pid === undefined) throw new Error(`Could not start ${command}`);
    return child.pid;
  });
  terminal.line(`Starting zookeeper daemon (pid: ${pid}, instance ${instanceId}) on host ${paths.host}.`);
  if (exited !== undefined) return exited;
  for (let waited = 0; waited < 30_000; waited += 250) {
    const status = await serverStatus(facts.clientPort);
    if (status === 'serving') {
      terminal.line(`ZooKeeper is serving on port ${facts.clientPort}.`);
      return 0;
    }
    // start-zookeeper-quorum.sh starts the peers one after the other: the first cannot serve before the next has started.
    if (status === 'waiting' && facts.peers.size > 1) {
      terminal.line(
        `ZooKeeper peer ${peerId} runs on port ${facts.clientPort}; it serves once a quorum of its ${facts.peers.size} peers runs.`,
      );
      return 0;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  terminal.error(`ZooKeeper (pid ${pid}) does not answer on port ${facts.clientPort} after 30 s; see its .out file in ${paths.logDir}.`);
  return 1;
}

/** bin/zookeeper.sh, as Flink's: start, start-foreground, stop and stop-all a ZooKeeper peer. */
export function zooKeeperCommand(setExitCode: (code: number) => void): Command {
  return new Command('zookeeper.sh')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[args...]')
    .action(async (args: string[]) => {
      const [verb, id] = args;
      const peerId = id === undefined ? 1 : Number(id);
      if (!Number.isInteger(peerId) || peerId < 1) {
        terminal.error(`Invalid peer-id '${id}': expected a positive integer (the N of a server.N line in conf/zoo.cfg).`);
        return setExitCode(1);
      }
      try {
        if (verb === 'start' || verb === 'start-foreground') return setExitCode(await startZooKeeper(peerId, verb === 'start-foreground'));
        if (verb === 'stop') return await stopDaemon('zookeeper', (await loadStopSettings('zookeeper')).paths, terminal.line);
        if (verb === 'stop-all') return await stopAllDaemons('zookeeper', (await loadStopSettings('zookeeper')).paths, terminal.line);
        terminal.line(USAGE);
        setExitCode(1);
      } catch (error) {
        terminal.error((error as Error).message);
        setExitCode(1);
      }
    });
}

/** Runs `zookeeper.sh <verb> <id>` for every server.N line of conf/zoo.cfg: here for local hosts, else over ssh. */
async function forEachPeer(verb: 'start' | 'stop'): Promise<number> {
  const { facts } = loadZooCfg();
  const peers = facts.peers.size > 0 ? [...facts.peers] : [[1, 'localhost'] as const];
  const { execa } = await import('execa');
  const sshOpts = (process.env['FLINK_SSH_OPTS'] ?? '').split(/\s+/).filter((o) => o !== '');
  let worst = 0;
  for (const [id, host] of peers) {
    if (host === 'localhost' || host === '127.0.0.1') {
      if (verb === 'start') worst = Math.max(worst, await startZooKeeper(id, false));
      else await stopDaemon('zookeeper', (await loadStopSettings('zookeeper')).paths, terminal.line);
      continue;
    }
    const script = join(FLINK_HOME, 'bin', 'zookeeper.sh');
    const result = await execa('ssh', ['-n', ...sshOpts, host, '--', `nohup /bin/bash -l "${script}" ${verb} ${id}`], {
      reject: false,
      stdio: 'inherit',
    });
    worst = Math.max(worst, result.exitCode ?? 1);
  }
  return worst;
}

/** bin/start-zookeeper-quorum.sh and bin/stop-zookeeper-quorum.sh: every peer of conf/zoo.cfg. */
export function zooKeeperQuorumCommand(verb: 'start' | 'stop'): (setExitCode: (code: number) => void) => Command {
  return (setExitCode) =>
    new Command(`${verb}-zookeeper-quorum.sh`).helpOption(false).action(async () => {
      try {
        setExitCode(await forEachPeer(verb));
      } catch (error) {
        terminal.error((error as Error).message);
        setExitCode(1);
      }
    });
}
