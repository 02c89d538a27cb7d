import { RpcError } from '../core/errors.js';

/** Bytes of the length prefix in front of every frame. */
export const FRAME_HEADER_BYTES = 4;

/**
 * Cuts a byte stream into length-prefixed frames (u32 big-endian length, then that many bytes).
 * A length above the current limit is refused before anything is allocated for it, so a peer
 * cannot make us reserve memory by lying in a prefix.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private maxFrameBytes: number) {}

  /** Raises the size limit, e.g. once a peer has authenticated. */
  setMaxFrameBytes(bytes: number): void {
    this.maxFrameBytes = bytes;
  }

  /** Bytes held waiting for the rest of a frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Adds received bytes without parsing them yet. */
  append(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** The next complete frame, or undefined; throws RpcError on a frame above the limit. */
  nextFrame(): Buffer | undefined {
    if (this.buffered < FRAME_HEADER_BYTES) return undefined;
    const length = this.peekLength();
    if (length > this.maxFrameBytes) {
      throw new RpcError('RPC_PROTOCOL', `frame of ${length} bytes exceeds the limit of ${this.maxFrameBytes} bytes`);
    }
    if (this.buffered < FRAME_HEADER_BYTES + length) return undefined;
    return this.take(FRAME_HEADER_BYTES + length).subarray(FRAME_HEADER_BYTES);
  }

  /** Adds received bytes and returns every frame now complete; throws RpcError on an oversized frame. */
  push(chunk: Buffer): Buffer[] {
    this.append(chunk);
    const frames: Buffer[] = [];
    for (let frame = this.nextFrame(); frame !== undefined; frame = this.nextFrame()) frames.push(frame);
    return frames;
  }

  private peekLength(): number {
    const first = this.chunks[0]!;
    if (first.length >= FRAME_HEADER_BYTES) return first.readUInt32BE(0);
    this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!.readUInt32BE(0);
  }

  private take(bytes: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length === bytes) {
      this.chunks.shift();
    } else if (first.length > bytes) {
      this.chunks[0] = first.subarray(bytes);
      this.buffered -= bytes;
      return first.subarray(0, bytes);
    } else {
      const joined = Buffer.concat(this.chunks);
      this.chunks = joined.length > bytes ? [joined.subarray(bytes)] : [];
      this.buffered -= bytes;
      return joined.subarray(0, bytes);
    }
    this.buffered -= bytes;
    return first;
  }
}

/** Prefixes `payload` with its length, producing one frame. */
export function encodeFrame(payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  payload.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

/** Builds the 4-byte length prefix alone, to write before a payload without copying it. */
export function frameHeader(length: number): Buffer {
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header.writeUInt32BE(length, 0);
  return header;
}
