import { connect } from 'node:net';
import { RpcError } from '../core/errors.js';
import { formatAddress, toNetOptions, type EndpointAddress } from './address.js';
import { initiateHandshake } from './handshake.js';
import { RpcConnection, type PeerInfo } from './rpc-connection.js';

/** Connects to an endpoint and authenticates with the cluster secret; rejects with an RpcError. */
export function connectRpc(address: EndpointAddress, secret: Buffer, self: PeerInfo, connectTimeoutMs = 5000): Promise<RpcConnection> {
  return new Promise<RpcConnection>((resolve, reject) => {
    const socket = connect(toNetOptions(address));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new RpcError('RPC_TIMEOUT', `could not connect to ${formatAddress(address)} within ${connectTimeoutMs} ms`));
    }, connectTimeoutMs);
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new RpcError('RPC_CLOSED', `cannot connect to ${formatAddress(address)}: ${error.code ?? error.message}`, { cause: error }));
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      initiateHandshake(socket, secret, self).then(
        ({ peer, decoder }) => resolve(new RpcConnection(socket, decoder, peer)),
        (error: unknown) => {
          socket.destroy();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  });
}
