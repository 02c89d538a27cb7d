import { SerializationError } from './serialization-error.js';

const TWO_POW_31 = 2147483648;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/**
 * A growable little-endian byte sink for record and state encodings. One Buffer and one DataView
 * are reused across writes, so encoding numbers allocates nothing.
 */
export class DataOutputWriter {
  private buffer: Buffer;
  private data: DataView;
  private pos = 0;

  constructor(initialCapacity = 256) {
    this.buffer = Buffer.allocUnsafe(Math.max(16, initialCapacity));
    this.data = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
  }

  /** Bytes written since the last reset. */
  get position(): number {
    return this.pos;
  }

  /** Forgets what was written, keeping the capacity for reuse. */
  reset(): void {
    this.pos = 0;
  }

  /** Makes room for `n` more bytes. */
  ensureCapacity(n: number): void {
    const needed = this.pos + n;
    if (needed <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.pos);
    this.buffer = grown;
    this.data = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
  }

  writeByte(b: number): void {
    if (this.pos >= this.buffer.length) this.ensureCapacity(1);
    this.buffer[this.pos++] = b;
  }

  writeBoolean(b: boolean): void {
    this.writeByte(b ? 1 : 0);
  }

  /** Unsigned LEB128 of a non-negative safe integer (1 byte below 128, at most 8). */
  writeVarUint(n: number): void {
    if (n >>> 0 === n) {
      this.ensureCapacity(5);
      const buf = this.buffer;
      while (n >= 0x80) {
        buf[this.pos++] = (n & 0x7f) | 0x80;
        n >>>= 7;
      }
      buf[this.pos++] = n;
      return;
    }
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new SerializationError(`Cannot write ${String(n)} as an unsigned varint: only non-negative safe integers are accepted.`);
    }
    this.writeVarMagnitude(n, 0, 0);
  }

  /** Zigzag LEB128 of a safe integer, so small negative numbers stay short. */
  writeVarInt(v: number): void {
    if ((v | 0) === v) {
      this.writeVarUint(((v << 1) ^ (v >> 31)) >>> 0);
      return;
    }
    if (!Number.isSafeInteger(v)) {
      throw new SerializationError(`Cannot write ${String(v)} as a varint: only safe integers (|v| < 2^53) are accepted.`);
    }
    // Zigzag without forming 2m+1, which is not exact beyond 2^53: the sign rides in the low bit.
    const negative = v < 0;
    this.writeVarMagnitude(negative ? -v - 1 : v, negative ? 1 : 0, 1);
  }

  /**
   * A LONG as number or bigint: the first byte holds the sign (bit 0), a bigint flag (bit 1) and
   * five bits of the magnitude; further bytes hold seven bits each. The flag makes a bigint come
   * back as a bigint.
   */
  writeVarLong(v: number | bigint): void {
    if (typeof v === 'number') {
      if ((v | 0) === v) {
        // An int32, the common case: the same bytes as writeVarMagnitude, in bit operations.
        const negative = v < 0;
        let m = negative ? -v - 1 : v;
        this.ensureCapacity(6);
        const buf = this.buffer;
        let b = ((m & 31) << 2) | (negative ? 1 : 0);
        m >>>= 5;
        while (m > 0) {
          buf[this.pos++] = b | 0x80;
          b = m & 0x7f;
          m >>>= 7;
        }
        buf[this.pos++] = b;
        return;
      }
      if (!Number.isSafeInteger(v)) {
        throw new SerializationError(`Cannot write ${String(v)} as a LONG: numbers must be safe integers; use a bigint beyond 2^53.`);
      }
      const negative = v < 0;
      this.writeVarMagnitude(negative ? -v - 1 : v, negative ? 1 : 0, 2);
      return;
    }
    if (typeof v !== 'bigint' || v > INT64_MAX || v < INT64_MIN) {
      throw new SerializationError(`Cannot write ${String(v)} as a LONG: expected a safe integer or a bigint in the 64-bit range.`);
    }
    const negative = v < 0n;
    let m = negative ? -v - 1n : v;
    this.ensureCapacity(10);
    let b = (Number(m & 31n) << 2) | 2 | (negative ? 1 : 0);
    m >>= 5n;
    while (m > 0n) {
      this.buffer[this.pos++] = b | 0x80;
      b = Number(m & 0x7fn);
      m >>= 7n;
    }
    this.buffer[this.pos++] = b;
  }

  /** LEB128 of `m` after `lowBits` bits of `low` in the first byte. */
  private writeVarMagnitude(m: number, low: number, lowBits: number): void {
    this.ensureCapacity(9);
    const firstScale = 1 << (7 - lowBits);
    let b = ((m % firstScale) << lowBits) | low;
    m = Math.floor(m / firstScale);
    while (m > 0) {
      this.buffer[this.pos++] = b | 0x80;
      if (m < TWO_POW_31) {
        b = m & 0x7f;
        m >>>= 7;
      } else {
        b = m % 128;
        m = Math.floor(m / 128);
      }
    }
    this.buffer[this.pos++] = b;
  }

  writeInt32(v: number): void {
    this.ensureCapacity(4);
    this.data.setInt32(this.pos, v, true);
    this.pos += 4;
  }

  /** Writes a placeholder int32 and returns where it is, for a count or size known only later. */
  reserveInt32(): number {
    const at = this.pos;
    this.writeInt32(0);
    return at;
  }

  /** Fills in an int32 placeholder written by reserveInt32. */
  patchInt32(at: number, v: number): void {
    this.data.setInt32(at, v, true);
  }

  /** Drops everything written after `position` (a section that turned out empty). */
  rewind(position: number): void {
    if (position < 0 || position > this.pos) throw new RangeError(`Cannot rewind to ${position}: ${this.pos} byte(s) written.`);
    this.pos = position;
  }

  writeFloat64(v: number): void {
    this.ensureCapacity(8);
    this.data.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  writeFloat32(v: number): void {
    this.ensureCapacity(4);
    this.data.setFloat32(this.pos, v, true);
    this.pos += 4;
  }

  writeBigInt64(v: bigint): void {
    this.ensureCapacity(8);
    this.data.setBigInt64(this.pos, v, true);
    this.pos += 8;
  }

  /** UTF-8 bytes preceded by their count as a varint. Lone surrogates become U+FFFD. */
  writeString(s: string): void {
    const len = s.length;
    if (len < 43) {
      // At most 126 UTF-8 bytes: the length fits one byte, so write first and fill it in after.
      this.ensureCapacity(1 + len * 3);
      const buf = this.buffer;
      const start = this.pos + 1;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      const written = i === len ? len : buf.write(s, start, 'utf8');
      buf[this.pos] = written;
      this.pos = start + written;
      return;
    }
    // Encoded straight after room for the longest length header (3 bytes per char at most), the
    // header written after: counting the UTF-8 bytes first was a second pass over every string,
    // the largest single cost of a snapshot of string state.
    const reserved = varUintSize(len * 3);
    this.ensureCapacity(reserved + len * 3);
    const start = this.pos + reserved;
    const written = this.buffer.write(s, start, 'utf8');
    const header = varUintSize(written);
    if (header !== reserved) this.buffer.copyWithin(this.pos + header, start, start + written);
    // Never regrows the buffer (which would drop the bytes past pos): 43+ chars reserved far more than its 5.
    this.writeVarUint(written);
    this.pos += written;
  }

  /** Raw bytes, no length: callers that need one write it first. */
  writeBytes(bytes: Uint8Array): void {
    this.ensureCapacity(bytes.length);
    this.buffer.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** A copy of what was written; stays valid after further writes. */
  toBuffer(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.pos));
  }

  /** What was written, without a copy; valid only until the next write or reset. */
  view(): Uint8Array {
    return this.buffer.subarray(0, this.pos);
  }

  /** What was written as a latin1 string (one char per byte), for use as a Map key. */
  toLatin1String(): string {
    return this.buffer.toString('latin1', 0, this.pos);
  }
}

/** Bytes of the unsigned LEB128 of `n` (n < 2^32). */
function varUintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}
