import { SerializationError } from './serialization-error.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** Strings up to this many bytes are built in JS (and cached when ASCII); longer ones are decoded natively. */
const SHORT_STRING_BYTES = 24;
/** Entries of the short-string cache, a power of two; per thread, a few tens of KB at most. */
const SHORT_STRING_CACHE_SIZE = 1024;
/** Recently read short ASCII strings by hash; '' marks a free entry (its length never matches). */
const SHORT_STRINGS: string[] = new Array<string>(SHORT_STRING_CACHE_SIZE).fill('');

/**
 * Reads what DataOutputWriter wrote, from a Uint8Array. Every read checks the bytes remaining and
 * throws a SerializationError on truncated or corrupt input, so bad frames or state never crash
 * the process or make it allocate more than the input's size.
 */
export class DataInputReader {
  private bytes!: Uint8Array;
  private buffer!: Buffer;
  private data!: DataView;
  private pos = 0;
  private end = 0;

  constructor(bytes: Uint8Array, offset = 0, length = bytes.length - offset) {
    this.reset(bytes, offset, length);
  }

  /** Points the reader at new input, so one reader can serve many frames. */
  reset(bytes: Uint8Array, offset = 0, length = bytes.length - offset): void {
    if (offset < 0 || length < 0 || offset + length > bytes.length) {
      throw new RangeError(`Invalid input window [${offset}, ${offset + length}) over ${bytes.length} bytes.`);
    }
    this.bytes = bytes;
    this.buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = offset;
    this.end = offset + length;
  }

  /** Offset of the next byte to read within the underlying array. */
  get position(): number {
    return this.pos;
  }

  remaining(): number {
    return this.end - this.pos;
  }

  private require(n: number): void {
    if (this.end - this.pos < n) {
      throw new SerializationError(
        `Cannot read ${n} byte(s) at offset ${this.pos}: only ${this.end - this.pos} remain (truncated or corrupt data).`,
      );
    }
  }

  readByte(): number {
    if (this.pos >= this.end) this.require(1);
    return this.bytes[this.pos++]!;
  }

  readBoolean(): boolean {
    const b = this.readByte();
    if (b > 1) throw new SerializationError(`Corrupt boolean byte ${b} at offset ${this.pos - 1}: expected 0 or 1.`);
    return b === 1;
  }

  readVarUint(): number {
    const b0 = this.readByte();
    if (b0 < 0x80) return b0;
    return this.readVarTail(b0 & 0x7f, 128);
  }

  readVarInt(): number {
    const b0 = this.readByte();
    if (b0 < 0x80) return (b0 >>> 1) ^ -(b0 & 1);
    const m = this.readVarTail((b0 & 0x7f) >>> 1, 64);
    return (b0 & 1) === 1 ? -m - 1 : m;
  }

  /** Reads what `writeVarLong` wrote: a number, or a bigint when it was written as one. */
  readVarLong(): number | bigint {
    const b0 = this.readByte();
    const negative = (b0 & 1) === 1;
    if ((b0 & 2) === 0) {
      const low = (b0 & 0x7f) >>> 2;
      const m = b0 < 0x80 ? low : this.readVarTail(low, 32);
      return negative ? -m - 1 : m;
    }
    let m = BigInt((b0 & 0x7f) >>> 2);
    let shift = 5n;
    let b = b0;
    while (b >= 0x80) {
      if (shift > 61n) throw new SerializationError(`Corrupt LONG at offset ${this.pos}: varint longer than 10 bytes.`);
      b = this.readByte();
      m |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    }
    if (m >= 1n << 63n) throw new SerializationError(`Corrupt LONG at offset ${this.pos}: value outside the 64-bit range.`);
    return negative ? -m - 1n : m;
  }

  /** Continues a varint whose first byte gave `value`; `scale` is the weight of the next 7 bits. */
  private readVarTail(value: number, scale: number): number {
    for (let i = 1; i < 8; i++) {
      const b = this.readByte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (value > MAX_SAFE) break;
        return value;
      }
      scale *= 128;
    }
    throw new SerializationError(`Corrupt varint ending at offset ${this.pos}: longer than 8 bytes or beyond 2^53.`);
  }

  /** A count of items that each take at least `minBytesPerItem` bytes; bounded by what remains. */
  readLength(minBytesPerItem = 1): number {
    const n = this.readVarUint();
    if (n * minBytesPerItem > this.end - this.pos) {
      throw new SerializationError(
        `Corrupt length ${n} at offset ${this.pos}: more than the ${this.end - this.pos} remaining byte(s) can hold.`,
      );
    }
    return n;
  }

  readInt32(): number {
    this.require(4);
    const v = this.data.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  readFloat64(): number {
    this.require(8);
    const v = this.data.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  readFloat32(): number {
    this.require(4);
    const v = this.data.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  readBigInt64(): bigint {
    this.require(8);
    const v = this.data.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A varint byte count then UTF-8; invalid sequences decode as U+FFFD rather than failing. */
  readString(): string {
    const len = this.readLength(1);
    const start = this.pos;
    this.pos += len;
    if (len <= SHORT_STRING_BYTES) return len === 0 ? '' : this.shortString(start, len);
    return this.buffer.toString('utf8', start, start + len);
  }

  /**
   * A short string, from a small direct-mapped cache of the short ASCII strings read last: records
   * repeat their short strings (names, categories, keys), and a cache hit costs a hash and a
   * compare instead of building a new string (a third of the time on the throughput job's records).
   */
  private shortString(start: number, len: number): string {
    const bytes = this.bytes;
    const end = start + len;
    let hash = len;
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      if (c >= 0x80) return this.buffer.toString('utf8', start, end);
      hash = (Math.imul(hash, 31) + c) | 0;
    }
    const slot = (hash ^ (hash >>> 13)) & (SHORT_STRING_CACHE_SIZE - 1);
    const cached = SHORT_STRINGS[slot]!;
    if (cached.length === len) {
      let i = 0;
      while (i < len && cached.charCodeAt(i) === bytes[start + i]) i++;
      if (i === len) return cached;
    }
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
    SHORT_STRINGS[slot] = s;
    return s;
  }

  /** The next `n` bytes as a view into the input (copy it to keep it past the input's life). */
  readBytes(n: number): Uint8Array {
    this.require(n);
    const view = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return view;
  }

  skip(n: number): void {
    this.require(n);
    this.pos += n;
  }
}
