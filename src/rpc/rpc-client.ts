import { RpcError } from '../core/errors.js';
import type { EndpointAddress } from './address.js';
import { initiateHandshake } from './handshake.js';
import { RpcConnection, type PeerInfo } from './rpc-connection.js';
import { dialStream, type StreamSecurity } from './stream-transport.js';

/** Connects to an endpoint (TLS on TCP when `security` has it) and authenticates with the cluster secret; rejects with an RpcError. */
export async function connectRpc(
  address: EndpointAddress,
  secret: Buffer,
  self: PeerInfo,
  connectTimeoutMs = 5000,
  security: StreamSecurity = {},
): Promise<RpcConnection> {
  const socket = await dialStream(address, security, connectTimeoutMs);
  try {
    const { peer, decoder } = await initiateHandshake(socket, secret, self);
    return new RpcConnection(socket, decoder, peer);
  } catch (error) {
    socket.destroy();
    throw error instanceof Error ? error : new RpcError('RPC_PROTOCOL', String(error));
  }
}
