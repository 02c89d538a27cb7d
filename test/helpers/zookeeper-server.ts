import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderZooCfg, zooKeeperServerCommand, type ZooKeeperPeer } from '../../src/ha/zookeeper/system-zookeeper.js';
import { freePort } from './prometheus-server.js';
import { waitFor } from './test-dist.js';

/** Sends a four-letter word to 127.0.0.1:port and resolves with the answer ('' when nothing answers). */
export async function fourLetterWord(port: number, word: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(2000, () => socket.destroy());
    socket.once('connect', () => socket.write(word));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.once('error', () => resolve(''));
  });
}

/**
 * A real standalone ZooKeeper server (Debian's package) for one test: loopback only, on a free
 * port, with its own zoo.cfg and data dir. Ready once it answers `srvr`; stop() ends it (kill -9
 * if it does not go) and removes its files. It can be frozen (SIGSTOP) and restarted on the same port.
 */
export class ZooKeeperServer {
  /** Every server not yet stopped, so a command interrupted by a signal can end them. */
  private static readonly live = new Set<ZooKeeperServer>();
  private child: ChildProcess | undefined;
  private readonly output: string[] = [];

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  /** host:port, as high-availability.zookeeper.quorum takes it. */
  get quorum(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async start(): Promise<ZooKeeperServer> {
    const server = await ZooKeeperServer.prepare();
    try {
      await server.restart();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /** Stops every server still running (for commands such as `npm run chaos` stopped by Ctrl-C). */
  static async stopAll(): Promise<void> {
    await Promise.allSettled([...ZooKeeperServer.live].map((server) => server.stop()));
  }

  /** Writes a server's zoo.cfg (and myid, as an ensemble member) without starting it. */
  static async prepare(member?: { readonly id: number; readonly peers: readonly ZooKeeperPeer[] }): Promise<ZooKeeperServer> {
    const dir = mkdtempSync(join(tmpdir(), 'tsf-zookeeper-'));
    const server = new ZooKeeperServer(await freePort(), dir);
    ZooKeeperServer.live.add(server);
    mkdirSync(join(dir, 'data'));
    if (member !== undefined) writeFileSync(join(dir, 'data', 'myid'), `${member.id}\n`);
    writeFileSync(
      join(dir, 'zoo.cfg'),
      renderZooCfg({ dataDir: join(dir, 'data'), clientPort: server.port, clientPortAddress: '127.0.0.1', peers: member?.peers }),
    );
    return server;
  }

  /** Starts the server (again, keeping its data) and waits until it serves. */
  async restart(): Promise<void> {
    const { command, args } = zooKeeperServerCommand(join(this.dir, 'zoo.cfg'), this.dir);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.keep(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.keep(chunk));
    await waitFor(
      `ZooKeeper on port ${this.port} to serve`,
      async () => {
        if (child.exitCode !== null) throw new Error(`ZooKeeper exited with ${child.exitCode}: ${this.output.join('').slice(-2000)}`);
        return (await fourLetterWord(this.port, 'srvr')).includes('Mode:') ? true : undefined;
      },
      30_000,
    );
  }

  /** Freezes the server (SIGSTOP): connections stay open but nothing answers. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  /** Ends the server process at once (kill -9), keeping its data for restart(). */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    await exited;
  }

  /** Ends the server and removes its files. */
  async stop(): Promise<void> {
    ZooKeeperServer.live.delete(this);
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private keep(chunk: Buffer): void {
    this.output.push(chunk.toString());
    if (this.output.length > 200) this.output.splice(0, 100);
  }
}

/** A real ZooKeeper ensemble of `size` servers on this host, each with its own ports and data dir. */
export class ZooKeeperEnsemble {
  private constructor(readonly servers: readonly ZooKeeperServer[]) {}

  /** Every server's host:port, as high-availability.zookeeper.quorum takes them. */
  get quorum(): string {
    return this.servers.map((server) => server.quorum).join(',');
  }

  static async start(size = 3): Promise<ZooKeeperEnsemble> {
    const peers: ZooKeeperPeer[] = [];
    for (let id = 1; id <= size; id++) peers.push({ id, host: '127.0.0.1', quorumPort: await freePort(), electionPort: await freePort() });
    const servers: ZooKeeperServer[] = [];
    for (const peer of peers) servers.push(await ZooKeeperServer.prepare({ id: peer.id, peers }));
    const ensemble = new ZooKeeperEnsemble(servers);
    try {
      // A member serves only once a quorum has formed, so all start before any is waited for.
      await Promise.all(servers.map((server) => server.restart()));
    } catch (error) {
      await ensemble.stop();
      throw error;
    }
    return ensemble;
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.stop()));
  }
}
