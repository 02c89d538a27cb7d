import type { Server, Socket } from 'node:net';
import { describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import { formatAddress, type EndpointAddress } from '../../rpc/address.js';
import type { FrameDecoder } from '../../rpc/frame-decoder.js';
import { acceptHandshake } from '../../rpc/handshake.js';
import { checkSocketPath } from '../../rpc/rpc-server.js';
import { existsSync, unlinkSync } from 'node:fs';
import { listenStream, type StreamSecurity } from '../../rpc/stream-transport.js';
import type { FrameLink } from './frame-link.js';
import { FrameSocket, MAX_DATA_FRAME_BYTES } from './frame-socket.js';
import type { DataConnectionService } from './partition-request-server.js';

const log = getLogger('network');

/**
 * A TaskManager's data endpoint: other TaskManagers connect (authenticated with the cluster
 * secret), request subpartitions, and receive batches against the credit they grant.
 */
export class DataServer {
  private server: Server | undefined;
  private readonly connections = new Set<FrameSocket>();

  constructor(
    private readonly address: EndpointAddress,
    private readonly secret: () => Buffer,
    private readonly selfId: string,
    /** Who answers the requests of an accepted connection: this thread's partitions, or the slot threads'. */
    private readonly serveConnection: (link: FrameLink) => DataConnectionService,
    private readonly maxFrameBytes = MAX_DATA_FRAME_BYTES,
    private readonly security: StreamSecurity = {},
  ) {}

  /** Starts listening; returns the bound address (the port, when taskmanager.data.port is 0). */
  async start(): Promise<EndpointAddress> {
    if (this.address.kind === 'unix') {
      checkSocketPath(this.address.path);
      if (existsSync(this.address.path)) unlinkSync(this.address.path);
    }
    const { server, bound } = await listenStream(
      this.address,
      this.security,
      (socket) => this.accept(socket),
      (reason) => log.warn(`Refused a data connection: ${reason}`),
    );
    this.server = server;
    log.info(
      `Data endpoint listening at ${formatAddress(bound)}${this.security.tls !== undefined && bound.kind === 'tcp' ? ' (TLS)' : ''}.`,
    );
    return bound;
  }

  async stop(): Promise<void> {
    for (const connection of this.connections) connection.close('TaskManager shutting down');
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    socket.on('error', () => undefined);
    acceptHandshake(socket, this.secret(), { role: 'taskmanager-data', id: this.selfId }).then(
      ({ decoder }) => this.serve(socket, decoder),
      (error: unknown) => {
        log.warn(`Refused a data connection: ${describeError(error)}`);
        socket.destroy();
      },
    );
  }

  private serve(socket: Socket, decoder: FrameDecoder): void {
    let service: DataConnectionService | undefined;
    const connection: FrameSocket = new FrameSocket(
      socket,
      decoder,
      // A frame the service cannot parse throws; the socket ends the connection with the reason.
      (frame) => service?.onFrame(frame),
      (reason) => {
        this.connections.delete(connection);
        service?.onClose();
        log.debug(`Data connection closed: ${reason}`);
      },
      this.maxFrameBytes,
    );
    service = this.serveConnection(connection);
    this.connections.add(connection);
    socket.on('drain', () => service?.onDrain());
  }
}
