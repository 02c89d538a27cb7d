import { existsSync, lstatSync, unlinkSync } from 'node:fs';
import { connect, type Server, type Socket } from 'node:net';
import { TsFlinkError, describeError } from '../core/errors.js';
import { getLogger } from '../core/logging.js';
import { MAX_UNIX_SOCKET_PATH_BYTES, formatAddress, type EndpointAddress } from './address.js';
import { acceptHandshake } from './handshake.js';
import { RpcConnection, type PeerInfo } from './rpc-connection.js';
import { listenStream, type StreamSecurity } from './stream-transport.js';

const log = getLogger('rpc');

/** Called for every peer that completed the handshake. */
export type ConnectionListener = (connection: RpcConnection) => void;

/** Raised when an endpoint cannot listen: path too long, already in use, permissions. */
export class EndpointBindError extends TsFlinkError {
  constructor(message: string, options: { cause?: unknown; suggestion?: string } = {}) {
    super('ENDPOINT_BIND', message, options);
  }
}

/** Refuses socket paths the kernel would silently truncate. */
export function checkSocketPath(path: string): void {
  const bytes = Buffer.byteLength(path);
  if (bytes > MAX_UNIX_SOCKET_PATH_BYTES) {
    throw new EndpointBindError(
      `Socket path '${path}' is ${bytes} bytes; Unix domain socket paths are limited to ${MAX_UNIX_SOCKET_PATH_BYTES} bytes.`,
      { suggestion: 'Point io.tmp.dirs (or TMPDIR) at a shorter directory.' },
    );
  }
}

/**
 * Accepts connections on a Unix socket (or TCP, with TLS when it is on), authenticates each with the cluster secret and
 * hands authenticated ones to the listener. Strangers and garbage only ever cost one closed socket.
 */
export class RpcServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly address: EndpointAddress,
    private readonly secret: Buffer,
    private readonly self: PeerInfo,
    private readonly onConnection: ConnectionListener,
    private readonly security: StreamSecurity = {},
  ) {}

  /** Starts listening; for a Unix socket, replaces a stale socket file left by a dead process. */
  async start(): Promise<EndpointAddress> {
    if (this.address.kind === 'unix') await prepareUnixPath(this.address.path);
    try {
      const { server, bound } = await listenStream(
        this.address,
        this.security,
        (socket) => this.accept(socket),
        (reason) => log.warn(`Refused a connection at ${formatAddress(this.address)}: ${reason}`),
      );
      this.server = server;
      server.on('connection', (socket: Socket) => this.track(socket));
      return bound;
    } catch (error) {
      throw new EndpointBindError(`Cannot listen at ${formatAddress(this.address)}: ${(error as Error).message}`, {
        cause: error,
        ...(this.address.kind === 'tcp'
          ? { suggestion: 'Another process may hold the port; choose another with jobmanager.rpc.port.' }
          : {}),
      });
    }
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Every raw connection is tracked, so stop() also ends those still in a TLS handshake. */
  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
  }

  private accept(socket: Socket): void {
    socket.on('error', () => undefined);
    acceptHandshake(socket, this.secret, this.self).then(
      ({ peer, decoder }) => {
        const connection = new RpcConnection(socket, decoder, peer);
        this.onConnection(connection);
      },
      (error: unknown) => {
        log.warn(`Refused a connection at ${formatAddress(this.address)}: ${describeError(error)}`);
        socket.destroy();
      },
    );
  }
}

async function prepareUnixPath(path: string): Promise<void> {
  checkSocketPath(path);
  if (!existsSync(path)) return;
  if (!lstatSync(path).isSocket()) throw new EndpointBindError(`Cannot listen at ${path}: a file that is not a socket is in the way.`);
  if ((await probeUnixSocket(path)) === true) {
    throw new EndpointBindError(`Another process is already listening at ${path}.`, {
      suggestion: 'Stop the running JobManager first, or give this cluster its own conf dir or jobmanager.rpc.port.',
    });
  }
  unlinkSync(path);
}

/**
 * Whether a process listens on the Unix socket at `path`: true, false when nobody does (the file
 * was left by a process that died), undefined for any other answer (no file, no permission).
 */
export function probeUnixSocket(path: string): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    const probe = connect({ path });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED' ? false : undefined));
  });
}
