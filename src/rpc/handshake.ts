import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import { RpcError } from '../core/errors.js';
import { FrameDecoder, encodeFrame } from './frame-decoder.js';
import type { PeerInfo } from './rpc-connection.js';

/** Version of our wire protocol; both ends must speak the same. */
export const PROTOCOL_VERSION = 1;
const PROTOCOL_NAME = 'tsflink';
/** Frames before authentication are small: a stranger cannot make us buffer much. */
export const HANDSHAKE_MAX_FRAME_BYTES = 4096;
export const HANDSHAKE_TIMEOUT_MS = 5000;

/** What a completed handshake leaves behind: the peer, the decoder and any frames already read past it. */
export interface HandshakeResult {
  readonly peer: PeerInfo;
  /** Holds any bytes the peer sent after its last handshake frame. */
  readonly decoder: FrameDecoder;
}

function mac(secret: Buffer, ...parts: string[]): Buffer {
  return createHmac('sha256', secret).update(parts.join('\n')).digest();
}

function macMatches(secret: Buffer, expectedParts: string[], received: unknown): boolean {
  if (typeof received !== 'string' || !/^[0-9a-f]{64}$/.test(received)) return false;
  return timingSafeEqual(mac(secret, ...expectedParts), Buffer.from(received, 'hex'));
}

/** Reads frames one at a time from a socket until the handshake is over. */
class HandshakeReader {
  private readonly decoder = new FrameDecoder(HANDSHAKE_MAX_FRAME_BYTES);
  private waiter: { resolve(frame: Buffer): void; reject(error: Error): void } | undefined;
  private failure: Error | undefined;
  private readonly onData = (chunk: Buffer): void => {
    this.decoder.append(chunk);
    this.deliver();
  };
  private readonly onClose = (): void => this.fail(new RpcError('RPC_CLOSED', 'connection closed during the handshake'));

  constructor(private readonly socket: Socket) {
    socket.on('data', this.onData);
    socket.on('close', this.onClose);
    socket.on('error', this.onClose);
  }

  next(): Promise<Record<string, unknown>> {
    return new Promise<Buffer>((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.deliver();
    }).then(parseHandshakeFrame);
  }

  /** Stops listening and hands the decoder, with any unread bytes, to the RPC connection. */
  detach(): { decoder: FrameDecoder } {
    this.socket.off('data', this.onData);
    this.socket.off('close', this.onClose);
    this.socket.off('error', this.onClose);
    return { decoder: this.decoder };
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.deliver();
  }

  private deliver(): void {
    const waiter = this.waiter;
    if (waiter === undefined) return;
    let frame: Buffer | undefined;
    try {
      frame = this.decoder.nextFrame();
    } catch (error) {
      this.failure ??= error as Error;
    }
    if (frame !== undefined) {
      this.waiter = undefined;
      waiter.resolve(frame);
    } else if (this.failure !== undefined) {
      this.waiter = undefined;
      waiter.reject(this.failure);
    }
  }
}

function parseHandshakeFrame(frame: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(frame.toString('utf8'));
  } catch {
    throw new RpcError('RPC_PROTOCOL', 'handshake frame is not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new RpcError('RPC_PROTOCOL', 'handshake frame is not an object');
  return value as Record<string, unknown>;
}

function sendJson(socket: Socket, value: object): void {
  socket.write(encodeFrame(Buffer.from(JSON.stringify(value), 'utf8')));
}

function withTimeout<T>(promise: Promise<T>, socket: Socket): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new RpcError('RPC_TIMEOUT', `handshake not completed within ${HANDSHAKE_TIMEOUT_MS} ms`)),
      HANDSHAKE_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout])
    .finally(() => clearTimeout(timer))
    .catch((error: unknown) => {
      socket.destroy();
      throw error;
    });
}

/**
 * Server side of the mutual challenge-response: the client proves it holds the cluster secret by
 * an HMAC over our nonce, and we prove the same over its nonce. The secret never crosses the wire.
 */
export function acceptHandshake(socket: Socket, secret: Buffer, self: PeerInfo): Promise<HandshakeResult> {
  const reader = new HandshakeReader(socket);
  const nonce = randomBytes(16).toString('hex');
  sendJson(socket, { proto: PROTOCOL_NAME, v: PROTOCOL_VERSION, nonce });
  const run = async (): Promise<HandshakeResult> => {
    const hello = await reader.next();
    const refuse = (reason: string): never => {
      sendJson(socket, { ok: false, error: reason });
      socket.end();
      throw new RpcError('RPC_REFUSED', reason);
    };
    if (hello['proto'] !== PROTOCOL_NAME) refuse('not a tsflink peer');
    if (hello['v'] !== PROTOCOL_VERSION)
      refuse(`unsupported protocol version ${JSON.stringify(hello['v'])}; this ${self.role} speaks ${PROTOCOL_VERSION}`);
    const { role, id, cnonce } = hello;
    if (
      typeof role !== 'string' ||
      typeof id !== 'string' ||
      typeof cnonce !== 'string' ||
      role.length > 64 ||
      id.length > 256 ||
      cnonce.length > 64
    ) {
      refuse('malformed hello');
    }
    if (!macMatches(secret, [nonce, role as string, id as string], hello['mac']))
      refuse("authentication failed: the peer does not hold this cluster's secret");
    sendJson(socket, { ok: true, role: self.role, id: self.id, mac: mac(secret, cnonce as string, self.role, self.id).toString('hex') });
    return { peer: { role: role as string, id: id as string }, ...reader.detach() };
  };
  return withTimeout(run(), socket);
}

/** Client side of the handshake; rejects with RPC_REFUSED when the server turns us away. */
export function initiateHandshake(socket: Socket, secret: Buffer, self: PeerInfo): Promise<HandshakeResult> {
  const reader = new HandshakeReader(socket);
  const run = async (): Promise<HandshakeResult> => {
    const challenge = await reader.next();
    if (challenge['proto'] !== PROTOCOL_NAME || typeof challenge['nonce'] !== 'string') {
      throw new RpcError('RPC_PROTOCOL', 'the server is not a tsflink endpoint');
    }
    if (challenge['v'] !== PROTOCOL_VERSION) {
      throw new RpcError('RPC_REFUSED', `server speaks protocol version ${JSON.stringify(challenge['v'])}, we speak ${PROTOCOL_VERSION}`);
    }
    const cnonce = randomBytes(16).toString('hex');
    sendJson(socket, {
      proto: PROTOCOL_NAME,
      v: PROTOCOL_VERSION,
      role: self.role,
      id: self.id,
      cnonce,
      mac: mac(secret, challenge['nonce'], self.role, self.id).toString('hex'),
    });
    const answer = await reader.next();
    if (answer['ok'] !== true) throw new RpcError('RPC_REFUSED', `refused by the server: ${String(answer['error'] ?? 'no reason given')}`);
    const { role, id } = answer;
    if (typeof role !== 'string' || typeof id !== 'string' || !macMatches(secret, [cnonce, role, id], answer['mac'])) {
      throw new RpcError('RPC_REFUSED', "the server could not prove it holds this cluster's secret");
    }
    return { peer: { role, id }, ...reader.detach() };
  };
  return withTimeout(run(), socket);
}
