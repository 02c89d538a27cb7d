import { connect as connectPlain, createServer as createPlainServer, type Server, type Socket } from 'node:net';
import { connect as connectTls, createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { chmodSync } from 'node:fs';
import { RpcError } from '../core/errors.js';
import { internalClientOptions, internalServerOptions, type InternalTls } from '../security/internal-tls.js';
import { formatAddress, toNetOptions, type EndpointAddress } from './address.js';

/**
 * How often an idle TCP connection is probed. A peer behind a partition or a pulled cable then
 * turns into an error within a minute or so even when nothing is being sent; the heartbeats notice
 * it much sooner, after heartbeat.timeout.
 */
export const TCP_KEEPALIVE_MS = 5_000;

/** How internal streams are secured: TLS on TCP when internal TLS is on; Unix sockets are private to the user and stay plain. */
export interface StreamSecurity {
  readonly tls?: InternalTls | undefined;
}

/** A listening endpoint, and the address it actually bound (the port, when 0 was asked for). */
export interface StreamListener {
  readonly server: Server;
  readonly bound: EndpointAddress;
}

function tuneTcp(socket: Socket): void {
  socket.setNoDelay(true);
  socket.setKeepAlive(true, TCP_KEEPALIVE_MS);
}

/**
 * Listens at `address`. Each accepted socket reaches `onSocket` once it is usable: at once for a
 * plain socket, after a completed handshake for TLS. A TLS handshake that fails (no certificate,
 * an untrusted one, plain bytes) reaches `onRefused` and never `onSocket`.
 */
export async function listenStream(
  address: EndpointAddress,
  security: StreamSecurity,
  onSocket: (socket: Socket) => void,
  onRefused: (reason: string) => void,
): Promise<StreamListener> {
  const tls = address.kind === 'tcp' ? security.tls : undefined;
  const server = tls === undefined ? plainServer(address, onSocket) : tlsServer(tls, onSocket, onRefused);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(toNetOptions(address), () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (address.kind === 'unix') chmodSync(address.path, 0o600);
  const bound = server.address();
  return {
    server,
    bound: address.kind === 'tcp' && bound !== null && typeof bound === 'object' ? { ...address, port: bound.port } : address,
  };
}

function plainServer(address: EndpointAddress, onSocket: (socket: Socket) => void): Server {
  return createPlainServer((socket) => {
    if (address.kind === 'tcp') tuneTcp(socket);
    onSocket(socket);
  });
}

/**
 * A TLS server that asks every peer for a certificate and refuses, naming the peer and the reason,
 * one its truststore does not vouch for. The check is made here rather than by rejectUnauthorized,
 * which drops the peer before its address and the reason can be logged.
 */
function tlsServer(tls: InternalTls, onSocket: (socket: Socket) => void, onRefused: (reason: string) => void): Server {
  const peers = new WeakMap<Socket, string>();
  const server = createTlsServer({ ...internalServerOptions(tls), rejectUnauthorized: false }, (socket: TLSSocket) => {
    if (socket.authorized) {
      onSocket(socket);
      return;
    }
    onRefused(
      `TLS handshake with ${peerOf(socket)} failed: certificate not trusted (${String(socket.authorizationError ?? 'none shown')})`,
    );
    socket.destroy();
  });
  server.on('connection', (socket: Socket) => {
    tuneTcp(socket);
    peers.set(socket, peerOf(socket));
  });
  server.on('tlsClientError', (error: Error, socket: TLSSocket) => {
    // The TLS socket has forgotten its address by now; the TCP socket under it was remembered.
    const raw = (socket as unknown as { _parent?: Socket })._parent;
    onRefused(`TLS handshake with ${(raw === undefined ? undefined : peers.get(raw)) ?? 'a peer'} failed: ${error.message}`);
  });
  return server;
}

function peerOf(socket: Socket): string {
  return `${socket.remoteAddress ?? 'unknown'}:${socket.remotePort ?? '?'}`;
}

/** Connects to `address`, with TLS on TCP when it is on; rejects with an RpcError naming the address. */
export function dialStream(address: EndpointAddress, security: StreamSecurity, timeoutMs: number): Promise<Socket> {
  const tls = address.kind === 'tcp' ? security.tls : undefined;
  return new Promise<Socket>((resolve, reject) => {
    const socket: Socket =
      tls === undefined
        ? connectPlain(toNetOptions(address))
        : connectTls({ ...internalClientOptions(tls), ...(toNetOptions(address) as { host: string; port: number }) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new RpcError('RPC_TIMEOUT', `could not connect to ${formatAddress(address)} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onError = (error: NodeJS.ErrnoException): void => {
      clearTimeout(timer);
      reject(new RpcError('RPC_CLOSED', `cannot connect to ${formatAddress(address)}: ${error.code ?? error.message}`, { cause: error }));
    };
    socket.once('error', onError);
    socket.once(tls === undefined ? 'connect' : 'secureConnect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      if (address.kind === 'tcp') tuneTcp(socket);
      resolve(socket);
    });
  });
}
