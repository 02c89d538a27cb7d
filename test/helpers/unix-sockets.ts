import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { FrameDecoder, encodeFrame } from '../../src/rpc/frame-decoder.js';

/** A private temp dir for socket files; short enough for the 107-byte sun_path limit. */
export function tempSocketDir(): { dir: string; path(name: string): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tsf-sock-'));
  return { dir, path: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Both ends of one connected Unix stream socket, and a way to tear the pair down. */
export interface SocketPair {
  readonly client: Socket;
  readonly server: Socket;
  close(): Promise<void>;
}

/** A real connected pair of Unix domain sockets (Node has no socketpair(2)): listen, connect, accept once. */
export async function socketPair(): Promise<SocketPair> {
  const dir = tempSocketDir();
  const path = dir.path('pair.sock');
  const listener: Server = createServer();
  listener.listen(path);
  await once(listener, 'listening');
  const accepted = once(listener, 'connection') as Promise<[Socket]>;
  const client = connect({ path });
  await once(client, 'connect');
  const [server] = await accepted;
  return {
    client,
    server,
    async close() {
      client.destroy();
      server.destroy();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
      dir.remove();
    },
  };
}

/** Reads length-prefixed frames from a raw socket, one at a time, for tests that speak the wire by hand. */
export class FrameReader {
  private readonly decoder = new FrameDecoder(64 * 1024 * 1024);
  private readonly frames: Buffer[] = [];
  private waiting: ((frame: Buffer | undefined) => void) | undefined;
  private ended = false;

  constructor(socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.frames.push(...this.decoder.push(chunk));
      this.wake();
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  /** The next frame, or undefined once the socket closed without one. */
  next(): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.wake();
    });
  }

  /** The next frame parsed as JSON; fails the test if the socket closes first. */
  async nextJson(): Promise<Record<string, unknown>> {
    const frame = await this.next();
    if (frame === undefined) throw new Error('socket closed before a frame arrived');
    return JSON.parse(frame.toString('utf8')) as Record<string, unknown>;
  }

  private wake(): void {
    const waiting = this.waiting;
    if (waiting === undefined) return;
    if (this.frames.length > 0) {
      this.waiting = undefined;
      waiting(this.frames.shift());
    } else if (this.ended) {
      this.waiting = undefined;
      waiting(undefined);
    }
  }
}

/** Writes one JSON value as a frame. */
export function writeJsonFrame(socket: Socket, value: unknown): void {
  socket.write(encodeFrame(Buffer.from(JSON.stringify(value), 'utf8')));
}

/** Resolves once the socket has closed (the peer hung up or it was destroyed); drains unread data to see the end. */
export function closed(socket: Socket): Promise<void> {
  if (socket.destroyed && socket.closed) return Promise.resolve();
  socket.on('error', () => undefined);
  socket.resume();
  return new Promise((resolve) => socket.once('close', () => resolve()));
}
