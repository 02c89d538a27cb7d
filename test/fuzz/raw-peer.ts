import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import type { FrameDecoder } from '../../src/rpc/frame-decoder.js';
import { initiateHandshake } from '../../src/rpc/handshake.js';
import type { PeerInfo } from '../../src/rpc/rpc-connection.js';

/**
 * An authenticated connection that speaks frames by hand: the fuzzer writes whatever bytes it
 * likes after the real handshake, and sees every frame the server sends back and when it hangs up.
 */
export class RawPeer {
  private readonly listeners: Array<(frame: Buffer) => void> = [];
  private closedAt: number | undefined;
  /** Resolves when the server (or we) closed the connection. */
  readonly closed: Promise<void>;

  private constructor(
    readonly socket: Socket,
    private readonly decoder: FrameDecoder,
  ) {
    decoder.setMaxFrameBytes(512 * 1024 * 1024);
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.closedAt = Date.now();
        resolve();
      }),
    );
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    queueMicrotask(() => this.receive(Buffer.alloc(0)));
  }

  /** Connects to a Unix socket and completes the handshake with the cluster secret. */
  static async connect(path: string, secret: Buffer, self: PeerInfo): Promise<RawPeer> {
    const socket = connect({ path });
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    try {
      const { decoder } = await initiateHandshake(socket, secret, self);
      return new RawPeer(socket, decoder);
    } catch (error) {
      socket.destroy();
      throw error;
    }
  }

  get isClosed(): boolean {
    return this.closedAt !== undefined;
  }

  /** Calls `listener` with every frame payload received from now on. */
  onFrame(listener: (frame: Buffer) => void): void {
    this.listeners.push(listener);
  }

  write(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** True if the connection closed within `ms`. */
  async closesWithin(ms: number): Promise<boolean> {
    if (this.isClosed) return true;
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      this.closed.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), ms);
      }),
    ]);
    clearTimeout(timer);
    return result;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch {
      this.socket.destroy();
      return;
    }
    for (const frame of frames) for (const listener of this.listeners) listener(frame);
  }
}
