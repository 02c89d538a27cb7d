import { EventEmitter } from 'node:events';
import zookeeper from 'node-zookeeper-client';
import { getLogger } from '../../core/logging.js';
import { TsFlinkError } from '../../core/errors.js';
import {
  CREATE_MODES,
  isZooKeeperError,
  operationError,
  type ConnectionState,
  type NodeMode,
  type Watcher,
  type ZooKeeperClientSettings,
} from './zookeeper-contract.js';

const log = getLogger('zookeeper');

/**
 * One ZooKeeper client for a process, as Curator is for Flink: namespaced paths, operations retried
 * across connection loss (retry-wait, max-retry-attempts), and the connection's state told as
 * Curator tells it. node-zookeeper-client reconnects by itself within a session, but it never
 * notices a server that stops answering on an open socket, and it does not start a new session
 * after expiry; both are handled here. A probe asks the server every third of the session
 * timeout: no answer for two thirds of it is `suspended` (before the server can expire the
 * session, so a leader steps down before anybody else may lead), and no answer for the whole
 * timeout is `lost`, after which a new client makes a new session.
 */
export class ZooKeeperClient extends EventEmitter<{ state: [ConnectionState] }> {
  private client: zookeeper.Client | undefined;
  private connected = false;
  private everConnected = false;
  private suspendedAt: number | undefined;
  private lastAnswerAt = 0;
  /** When the current client was made: one that never gets a session is replaced. */
  private clientSince = 0;
  private probeTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(readonly settings: ZooKeeperClientSettings) {
    super();
  }

  /** Whether the session is connected and answering. */
  get isConnected(): boolean {
    return this.connected && this.suspendedAt === undefined;
  }

  /** The current session's id (hex), or undefined before the first connection. */
  get sessionId(): string | undefined {
    return this.connected ? this.client?.getSessionId().toString('hex') : undefined;
  }

  /** Connects; resolves once a session exists, or throws ZOOKEEPER_UNREACHABLE after connection-timeout. */
  async start(): Promise<void> {
    this.newClient();
    this.probeTimer = setInterval(() => this.probe(), Math.max(100, Math.floor(this.settings.sessionTimeoutMs / 6)));
    this.probeTimer.unref();
    await this.awaitConnected(this.settings.connectionTimeoutMs);
  }

  close(): void {
    this.closed = true;
    clearInterval(this.probeTimer);
    this.client?.close();
    this.client = undefined;
    this.connected = false;
  }

  /** The full ZooKeeper path of `path` under the namespace. */
  fullPath(path: string): string {
    return `${this.settings.namespace}${path}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
  }

  /** Creates `path` (and its missing parents, persistent); resolves with the created path, relative to the namespace. */
  async create(path: string, data: Buffer, mode: NodeMode = 'persistent'): Promise<string> {
    const full = this.fullPath(path);
    const parent = full.slice(0, full.lastIndexOf('/'));
    if (parent !== '') await this.retrying(`mkdirp ${parent}`, (c, done) => c.mkdirp(parent, (e) => done(e, undefined)));
    const created = await this.retrying<string>(`create ${full}`, (c, done) => c.create(full, data, CREATE_MODES[mode], done));
    return created.slice(this.settings.namespace.replace(/\/$/, '').length);
  }

  /** Data and version of `path`, or undefined when it does not exist. */
  async getData(path: string, watcher?: Watcher): Promise<{ data: Buffer; version: number; ephemeralOwner: string } | undefined> {
    const full = this.fullPath(path);
    try {
      return await this.retrying(`getData ${full}`, (c, done) => {
        const callback = (e: Error | zookeeper.Exception | null, data: Buffer, stat: zookeeper.Stat): void =>
          done(
            e,
            e === null
              ? { data: data ?? Buffer.alloc(0), version: stat.version, ephemeralOwner: stat.ephemeralOwner.toString('hex') }
              : undefined,
          );
        if (watcher === undefined) c.getData(full, callback);
        else c.getData(full, () => watcher(), callback);
      });
    } catch (error) {
      if (isZooKeeperError(error, zookeeper.Exception.NO_NODE)) return undefined;
      throw error;
    }
  }

  /** Whether `path` exists; a watcher fires when it is created, changed or deleted. */
  async exists(path: string, watcher?: Watcher): Promise<boolean> {
    const full = this.fullPath(path);
    return this.retrying(`exists ${full}`, (c, done) => {
      const callback = (e: Error | zookeeper.Exception | null, stat: zookeeper.Stat | null): void =>
        done(e, stat !== null && stat !== undefined);
      if (watcher === undefined) c.exists(full, callback);
      else c.exists(full, () => watcher(), callback);
    });
  }

  /** The children of `path` (an empty list when it does not exist). */
  async getChildren(path: string, watcher?: Watcher): Promise<string[]> {
    const full = this.fullPath(path);
    try {
      return await this.retrying(`getChildren ${full}`, (c, done) => {
        const callback = (e: Error | zookeeper.Exception | null, children: string[]): void => done(e, children);
        if (watcher === undefined) c.getChildren(full, callback);
        else c.getChildren(full, () => watcher(), callback);
      });
    } catch (error) {
      if (isZooKeeperError(error, zookeeper.Exception.NO_NODE)) return [];
      throw error;
    }
  }

  /** Writes `data` into an existing `path`. */
  async setData(path: string, data: Buffer): Promise<void> {
    const full = this.fullPath(path);
    await this.retrying(`setData ${full}`, (c, done) => c.setData(full, data, (e) => done(e, undefined)));
  }

  /** Creates or overwrites a persistent `path`. */
  async put(path: string, data: Buffer): Promise<void> {
    try {
      await this.setData(path, data);
    } catch (error) {
      if (!isZooKeeperError(error, zookeeper.Exception.NO_NODE)) throw error;
      try {
        await this.create(path, data);
      } catch (inner) {
        if (!isZooKeeperError(inner, zookeeper.Exception.NODE_EXISTS)) throw inner;
        await this.setData(path, data);
      }
    }
  }

  /** Removes `path` and everything below it; a missing node is fine, and a child added meanwhile is removed too. */
  async removeRecursive(path: string, attempts = 3): Promise<void> {
    for (const child of await this.getChildren(path)) await this.removeRecursive(`${path}/${child}`);
    const full = this.fullPath(path);
    try {
      await this.retrying(`remove ${full}`, (c, done) => c.remove(full, (e) => done(e, undefined)));
    } catch (error) {
      if (isZooKeeperError(error, zookeeper.Exception.NOT_EMPTY) && attempts > 1) await this.removeRecursive(path, attempts - 1);
      else if (!isZooKeeperError(error, zookeeper.Exception.NO_NODE)) throw error;
    }
  }

  /** Runs one operation; on connection loss waits for the connection and tries again, max-retry-attempts times. */
  private async retrying<T>(
    what: string,
    operation: (client: zookeeper.Client, done: (error: Error | zookeeper.Exception | null, value: T) => void) => void,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const client = this.client;
      if (this.closed || client === undefined) throw new TsFlinkError('ZOOKEEPER_OPERATION', `${what}: the ZooKeeper client is closed`);
      try {
        return await new Promise<T>((resolve, reject) =>
          operation(client, (error, value) => (error ? reject(operationError(what, error)) : resolve(value))),
        );
      } catch (error) {
        const retryable =
          isZooKeeperError(error, zookeeper.Exception.CONNECTION_LOSS) || isZooKeeperError(error, zookeeper.Exception.OPERATION_TIMEOUT);
        if (!retryable || attempt >= this.settings.maxRetryAttempts) throw error;
        log.debug(`${what} lost its connection; retrying (${attempt + 1}/${this.settings.maxRetryAttempts}).`);
        await this.awaitConnected(this.settings.retryWaitMs).catch(() => undefined);
      }
    }
  }

  private awaitConnected(timeoutMs: number): Promise<void> {
    if (this.isConnected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onState = (state: ConnectionState): void => {
        if (state !== 'connected' && state !== 'reconnected') return;
        clearTimeout(timer);
        this.off('state', onState);
        resolve();
      };
      const timer = setTimeout(() => {
        this.off('state', onState);
        reject(
          new TsFlinkError(
            'ZOOKEEPER_UNREACHABLE',
            `No ZooKeeper session with ${this.settings.quorum} within ${timeoutMs} ms (high-availability.zookeeper.client.connection-timeout).`,
          ),
        );
      }, timeoutMs);
      this.on('state', onState);
    });
  }

  private newClient(): void {
    const client = zookeeper.createClient(this.settings.quorum, {
      sessionTimeout: this.settings.sessionTimeoutMs,
      spinDelay: Math.min(this.settings.retryWaitMs, 1000),
      retries: 0,
    });
    this.client = client;
    this.clientSince = Date.now();
    client.on('connected', () => this.client === client && this.onConnected());
    client.on('disconnected', () => {
      if (this.client !== client) return;
      this.connected = false;
      this.suspend('the connection to ZooKeeper was lost');
    });
    client.on('expired', () => this.client === client && this.lose('the ZooKeeper session expired'));
    client.connect();
  }

  private onConnected(): void {
    this.connected = true;
    this.lastAnswerAt = Date.now();
    const wasSuspended = this.suspendedAt !== undefined;
    this.suspendedAt = undefined;
    if (!this.everConnected || !wasSuspended) {
      this.everConnected = true;
      log.info(`Connected to ZooKeeper ${this.settings.quorum} with session 0x${this.sessionId ?? '?'}.`);
      this.emit('state', 'connected');
    } else {
      log.info(`Reconnected to ZooKeeper ${this.settings.quorum}; session 0x${this.sessionId ?? '?'} lives on.`);
      this.emit('state', 'reconnected');
    }
  }

  private suspend(reason: string): void {
    if (this.suspendedAt !== undefined || this.closed) return;
    this.suspendedAt = Date.now();
    log.warn(`ZooKeeper connection suspended: ${reason}.`);
    this.emit('state', 'suspended');
  }

  /** The session is gone, or must be taken as gone: drop the client and make a new session. */
  private lose(reason: string): void {
    if (this.closed) return;
    log.warn(`ZooKeeper session lost: ${reason}; starting a new session.`);
    this.connected = false;
    this.suspendedAt = undefined;
    this.everConnected = false;
    const old = this.client;
    this.client = undefined;
    old?.close();
    this.emit('state', 'lost');
    this.newClient();
  }

  private probe(): void {
    const client = this.client;
    if (client === undefined || this.closed) return;
    const now = Date.now();
    const timeout = this.settings.sessionTimeoutMs;
    if (this.suspendedAt !== undefined && now - this.suspendedAt >= timeout) {
      this.lose(`no answer for the session timeout of ${timeout} ms`);
      return;
    }
    if (!this.connected && this.suspendedAt === undefined && now - this.clientSince >= timeout) {
      // node-zookeeper-client waits forever for the answer to its connect request when a server
      // (one starting up, say) takes the socket and never answers: try again with a fresh client.
      log.info(`No ZooKeeper session after ${now - this.clientSince} ms; connecting afresh.`);
      const stale = this.client;
      this.client = undefined;
      stale?.close();
      this.newClient();
      return;
    }
    if (!this.connected) return;
    if (this.suspendedAt === undefined && now - this.lastAnswerAt >= (2 * timeout) / 3) {
      this.suspend(`ZooKeeper has not answered for ${now - this.lastAnswerAt} ms`);
    }
    client.exists('/', (error) => {
      if (this.client !== client || error !== null) return;
      this.lastAnswerAt = Date.now();
      // The server answers again on the socket the client never dropped: the session lives on.
      if (this.suspendedAt !== undefined) this.onConnected();
    });
  }
}
