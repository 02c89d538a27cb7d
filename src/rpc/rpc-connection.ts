import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { RpcError, deserializeError, describeError, serializeError } from '../core/errors.js';
import { getLogger } from '../core/logging.js';
import { FrameDecoder, frameHeader } from './frame-decoder.js';
import { decodeMessage, encodeMessage, type RpcMessage } from './message-codec.js';

const log = getLogger('rpc');

/** Largest frame an authenticated peer may send; state and archives travel in frames. */
export const MAX_AUTHENTICATED_FRAME_BYTES = 256 * 1024 * 1024;

/** Serves the calls arriving on one connection. */
export interface RpcHandler {
  /** Answers a request; a thrown error or rejected promise goes back to the caller as an error. */
  handleRequest(method: string, args: unknown[]): unknown;
  /** Takes a notification; nothing goes back. */
  handleNotification(method: string, args: unknown[]): void;
}

/** Who is at the other end, as established by the handshake. */
export interface PeerInfo {
  readonly role: string;
  readonly id: string;
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
  method: string;
}

/**
 * An authenticated, bidirectional RPC connection over a stream socket: requests with ids and
 * timeouts in both directions, one-way notifications, and a single 'close' event carrying why.
 * A frame that cannot be parsed closes the connection; it never throws out of the socket handler.
 */
export class RpcConnection extends EventEmitter {
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();
  private handler: RpcHandler | undefined;
  private closeReason: string | undefined;
  /** Epoch ms of the last frame received; heartbeat monitors read it. */
  lastReceivedAt = Date.now();
  /** Stamped on every request and notification sent: a leading JobManager's leader session id. */
  fencingToken: string | undefined;
  /** Decides whether an inbound request or notification's token is the current leader's; none accepts all. */
  acceptsFencingToken: ((token: string | undefined) => boolean) | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly decoder: FrameDecoder,
    readonly peer: PeerInfo,
  ) {
    super();
    decoder.setMaxFrameBytes(MAX_AUTHENTICATED_FRAME_BYTES);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.shutdown(`socket error: ${error.message}`));
    socket.on('close', () => this.shutdown('socket closed by peer'));
    // Bytes that arrived together with the last handshake frame are already in the decoder.
    queueMicrotask(() => this.onData(Buffer.alloc(0)));
  }

  /** Installs the handler for inbound calls; calls arriving before it are refused. */
  setHandler(handler: RpcHandler): void {
    this.handler = handler;
  }

  /** This end's address on the socket: on TCP, the address the peer sees this host at. */
  get localAddress(): string | undefined {
    return this.socket.localAddress;
  }

  get isClosed(): boolean {
    return this.closeReason !== undefined;
  }

  /** Calls `method` on the peer; rejects with RPC_TIMEOUT after `timeoutMs`, RPC_CLOSED if the connection ends first. */
  call<T = unknown>(method: string, args: unknown[], timeoutMs: number): Promise<T> {
    if (this.closeReason !== undefined) {
      return Promise.reject(
        new RpcError('RPC_CLOSED', `cannot call ${method}: connection to ${this.describePeer()} closed (${this.closeReason})`),
      );
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RpcError('RPC_TIMEOUT', `call ${method} to ${this.describePeer()} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve, reject, timer, method });
      this.send({ kind: 'request', id, method, args, ...this.fencing() });
    });
  }

  /** Sends a one-way message; silently dropped once the connection is closed. */
  notify(method: string, args: unknown[]): void {
    if (this.closeReason === undefined) this.send({ kind: 'notification', method, args, ...this.fencing() });
  }

  /** Closes the connection; pending calls fail with `reason`. */
  close(reason: string): void {
    this.shutdown(reason);
    this.socket.end();
    // A peer that never reads must not keep the socket half-open forever.
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  /** Bytes queued in the socket waiting to be written. */
  get writableLength(): number {
    return this.socket.writableLength;
  }

  private fencing(): { fencingToken?: string } {
    return this.fencingToken === undefined ? {} : { fencingToken: this.fencingToken };
  }

  /** Whether a message with `token` may be served; a refused one is logged, as Flink logs a fencing mismatch. */
  private fenced(method: string, token: string | undefined): boolean {
    if (this.acceptsFencingToken === undefined || this.acceptsFencingToken(token)) return false;
    log.warn(`Refusing ${method} from ${this.describePeer()}: fencing token ${token ?? 'none'} is not the current leader's.`);
    return true;
  }

  private describePeer(): string {
    return `${this.peer.role} ${this.peer.id}`;
  }

  private send(message: RpcMessage): void {
    const payload = encodeMessage(message);
    this.socket.write(frameHeader(payload.length));
    this.socket.write(payload);
  }

  private onData(chunk: Buffer): void {
    if (this.closeReason !== undefined) return;
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (error) {
      this.protocolViolation(error);
      return;
    }
    this.lastReceivedAt = Date.now();
    for (const frame of frames) {
      if (this.closeReason !== undefined) return;
      this.onFrame(frame);
    }
  }

  private onFrame(frame: Buffer): void {
    let message: RpcMessage;
    try {
      message = decodeMessage(frame);
    } catch (error) {
      this.protocolViolation(error);
      return;
    }
    switch (message.kind) {
      case 'request':
        if (this.fenced(message.method, message.fencingToken)) {
          const refusal = new RpcError('FENCING_TOKEN_MISMATCH', `${message.method}: the sender is not the current leader`);
          this.send({ kind: 'error', id: message.id, error: serializeError(refusal) });
        } else this.onRequest(message.id, message.method, message.args);
        break;
      case 'notification':
        if (!this.fenced(message.method, message.fencingToken)) this.onNotification(message.method, message.args);
        break;
      case 'response':
        this.settle(message.id, (call) => call.resolve(message.result));
        break;
      case 'error':
        this.settle(message.id, (call) => call.reject(deserializeError(message.error)));
        break;
    }
  }

  private onRequest(id: number, method: string, args: unknown[]): void {
    const handler = this.handler;
    if (handler === undefined) {
      this.send({ kind: 'error', id, error: serializeError(new RpcError('RPC_REFUSED', `${method}: no handler installed yet`)) });
      return;
    }
    Promise.resolve()
      .then(() => handler.handleRequest(method, args))
      .then(
        (result) => {
          if (!this.isClosed) this.send({ kind: 'response', id, result: result ?? null });
        },
        (error: unknown) => {
          if (!this.isClosed) this.send({ kind: 'error', id, error: serializeError(error) });
        },
      );
  }

  private onNotification(method: string, args: unknown[]): void {
    try {
      this.handler?.handleNotification(method, args);
    } catch (error) {
      log.warn(`Notification ${method} from ${this.describePeer()} failed: ${describeError(error)}`);
    }
  }

  private settle(id: number, action: (call: PendingCall) => void): void {
    const call = this.pending.get(id);
    if (call === undefined) return; // late answer after a timeout
    this.pending.delete(id);
    clearTimeout(call.timer);
    action(call);
  }

  private protocolViolation(error: unknown): void {
    log.warn(`Closing connection to ${this.describePeer()}: ${describeError(error)}`);
    this.close(`protocol violation: ${describeError(error)}`);
    this.socket.destroy();
  }

  private shutdown(reason: string): void {
    if (this.closeReason !== undefined) return;
    this.closeReason = reason;
    for (const [, call] of this.pending) {
      clearTimeout(call.timer);
      call.reject(new RpcError('RPC_CLOSED', `call ${call.method} to ${this.describePeer()} failed: connection closed (${reason})`));
    }
    this.pending.clear();
    this.emit('close', reason);
  }
}
