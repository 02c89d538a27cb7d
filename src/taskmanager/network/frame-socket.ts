import type { Socket } from 'node:net';
import { describeError } from '../../core/errors.js';
import type { FrameDecoder } from '../../rpc/frame-decoder.js';
import { decodeDataFrame, encodeDataFrame, type DataFrame, type DataFrameType } from './data-protocol.js';
import type { FrameLink } from './frame-link.js';

/** Largest data frame accepted by default (taskmanager.network.max-frame-size); anything bigger is a broken peer. */
export const MAX_DATA_FRAME_BYTES = 64 * 1024 * 1024;

/**
 * An authenticated data connection: length-prefixed data frames in both directions. A frame that
 * cannot be parsed ends the connection with a reason instead of throwing out of the socket handler.
 */
export class FrameSocket implements FrameLink {
  private closed = false;

  constructor(
    readonly socket: Socket,
    private readonly decoder: FrameDecoder,
    private readonly onFrame: (frame: DataFrame) => void,
    private readonly onClose: (reason: string) => void,
    maxFrameBytes = MAX_DATA_FRAME_BYTES,
  ) {
    decoder.setMaxFrameBytes(maxFrameBytes);
    socket.setNoDelay?.(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => this.close(`socket error: ${error.message}`));
    socket.on('close', () => this.close('connection closed by peer'));
    queueMicrotask(() => this.receive(Buffer.alloc(0)));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send(type: DataFrameType, channelId: number, body: Uint8Array | string = ''): void {
    this.write(encodeDataFrame(type, channelId, body));
  }

  write(parts: readonly Buffer[]): void {
    if (this.closed) return;
    for (const part of parts) this.socket.write(part);
  }

  /** Bytes queued in the socket, to hold back sending when the peer reads slowly. */
  get backlog(): number {
    return this.socket.writableLength;
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.onClose(reason);
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    try {
      for (const payload of this.decoder.push(chunk)) {
        if (this.closed) return;
        this.onFrame(decodeDataFrame(payload));
      }
    } catch (error) {
      this.close(`protocol violation: ${describeError(error)}`);
    }
  }
}
