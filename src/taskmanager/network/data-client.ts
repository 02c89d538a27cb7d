import { describeError } from '../../core/errors.js';
import { parseAddress } from '../../rpc/address.js';
import { initiateHandshake } from '../../rpc/handshake.js';
import { dialStream, type StreamSecurity } from '../../rpc/stream-transport.js';
import { DataConnection } from './data-connection.js';
import { FrameSocket, MAX_DATA_FRAME_BYTES } from './frame-socket.js';
import type { RemoteChannelTransport } from './remote-input-channel.js';

/** Opens the carrier of a new connection to `peer`, then attaches it to (or fails) `connection`. */
export type DataLinkOpener = (peer: string, connection: DataConnection) => void;

/** How long opening a data connection may take; a peer behind a partition would otherwise hold it for minutes. */
export const DATA_CONNECT_TIMEOUT_MS = 10_000;

/** Opens connections to other TaskManagers' data endpoints: TCP (with TLS when on) or Unix socket, authenticated with the cluster secret. */
export function socketOpener(
  secret: () => Buffer,
  selfId: string,
  maxFrameBytes = MAX_DATA_FRAME_BYTES,
  security: StreamSecurity = {},
): DataLinkOpener {
  return (address, connection) => {
    const open = async (): Promise<void> => {
      const socket = await dialStream(parseAddress(address), security, DATA_CONNECT_TIMEOUT_MS);
      try {
        const { decoder } = await initiateHandshake(socket, secret(), { role: 'taskmanager-data', id: selfId });
        const { onFrame, onClose } = connection.handlers;
        connection.attach(new FrameSocket(socket, decoder, onFrame, onClose, maxFrameBytes));
      } catch (error) {
        socket.destroy();
        throw error;
      }
    };
    open().catch((error: unknown) => connection.fail(describeError(error)));
  };
}

/** The consumer side of the data plane: hands each remote channel the connection to its producer, one per peer. */
export class DataClient {
  private readonly connections = new Map<string, DataConnection>();

  constructor(private readonly open: DataLinkOpener) {}

  transportTo(peer: string): RemoteChannelTransport {
    let connection = this.connections.get(peer);
    if (connection === undefined) {
      const created: DataConnection = new DataConnection(peer, () => {
        if (this.connections.get(peer) === created) this.connections.delete(peer);
      });
      connection = created;
      this.connections.set(peer, connection);
      this.open(peer, connection);
    }
    return connection;
  }

  /** Closes connections no channel uses any more. */
  closeIdle(): void {
    for (const [peer, connection] of this.connections) {
      if (connection.isIdle) {
        this.connections.delete(peer);
        connection.close();
      }
    }
  }

  closeAll(): void {
    const connections = [...this.connections.values()];
    this.connections.clear();
    for (const connection of connections) connection.close();
  }
}
