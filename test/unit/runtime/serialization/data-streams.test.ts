import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataInputReader, DataOutputWriter, SerializationError } from '../../../../src/runtime/serialization/index.js';

function roundTrip(write: (w: DataOutputWriter) => void, read: (r: DataInputReader) => unknown): unknown {
  const w = new DataOutputWriter(4);
  write(w);
  const r = new DataInputReader(w.toBuffer());
  const v = read(r);
  assert.equal(r.remaining(), 0);
  return v;
}

describe('DataOutputWriter / DataInputReader', () => {
  it('round-trips varints over the whole safe range, short for small values', () => {
    const values = [0, 1, -1, 63, -64, 64, 127, 128, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 32, -(2 ** 40), 2 ** 53 - 1, -(2 ** 53 - 1)];
    for (const v of values) {
      assert.equal(
        roundTrip(
          (w) => w.writeVarInt(v),
          (r) => r.readVarInt(),
        ),
        v,
        `varint ${v}`,
      );
      if (v >= 0)
        assert.equal(
          roundTrip(
            (w) => w.writeVarUint(v),
            (r) => r.readVarUint(),
          ),
          v,
          `varuint ${v}`,
        );
    }
    const w = new DataOutputWriter();
    w.writeVarInt(-1);
    w.writeVarUint(127);
    assert.equal(w.position, 2);
  });

  it('round-trips random integers of every magnitude as varint, varuint and LONG', () => {
    let seed = 7;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) | 0;
      return (seed >>> 0) / 4294967296;
    };
    const w = new DataOutputWriter();
    const values: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const magnitude = Math.floor(next() * 2 ** Math.floor(next() * 54));
      values.push(Math.min(magnitude, Number.MAX_SAFE_INTEGER) * (next() < 0.5 ? -1 : 1));
    }
    for (const v of values) {
      w.writeVarInt(v);
      w.writeVarUint(Math.abs(v));
      w.writeVarLong(v);
      w.writeVarLong(BigInt(v) * 1024n);
    }
    const r = new DataInputReader(w.view());
    for (const v of values) {
      assert.equal(r.readVarInt(), v === 0 ? 0 : v);
      assert.equal(r.readVarUint(), Math.abs(v));
      assert.equal(r.readVarLong(), v === 0 ? 0 : v);
      assert.equal(r.readVarLong(), BigInt(v) * 1024n);
    }
    assert.equal(r.remaining(), 0);
  });

  it('writes zigzag varints identical to the 64-bit definition', () => {
    const w = new DataOutputWriter();
    w.writeVarInt(-(2 ** 40));
    // zigzag(-(2^40)) = 2^41 - 1: 41 one-bits → 6 bytes.
    assert.deepEqual([...w.view()], [0xff, 0xff, 0xff, 0xff, 0xff, 0x3f]);
  });

  it('round-trips LONGs as number or bigint, keeping which', () => {
    for (const v of [0, -1, 1424951918630, 2 ** 53 - 1, -(2 ** 53 - 1)]) {
      assert.equal(
        roundTrip(
          (w) => w.writeVarLong(v),
          (r) => r.readVarLong(),
        ),
        v,
      );
    }
    for (const v of [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 12345678901234567890n - 10n ** 19n]) {
      assert.equal(
        roundTrip(
          (w) => w.writeVarLong(v),
          (r) => r.readVarLong(),
        ),
        v,
      );
    }
    assert.throws(() => new DataOutputWriter().writeVarLong(2n ** 63n), SerializationError);
    assert.throws(() => new DataOutputWriter().writeVarLong(1.5), SerializationError);
    assert.throws(() => new DataOutputWriter().writeVarInt(2 ** 53), SerializationError);
  });

  it('round-trips fixed-width numbers and strings, growing the buffer', () => {
    const long = 'ü€😀'.repeat(500);
    const w = new DataOutputWriter(8);
    w.writeInt32(-5);
    w.writeFloat64(-0);
    w.writeFloat64(NaN);
    w.writeFloat32(1.5);
    w.writeBigInt64(-(2n ** 63n));
    for (const s of ['', 'a', 'héllo', '日本語', long, 'x'.repeat(42), 'é'.repeat(42)]) w.writeString(s);
    w.writeBoolean(true);
    const r = new DataInputReader(w.toBuffer());
    assert.equal(r.readInt32(), -5);
    assert.ok(Object.is(r.readFloat64(), -0));
    assert.ok(Number.isNaN(r.readFloat64()));
    assert.equal(r.readFloat32(), 1.5);
    assert.equal(r.readBigInt64(), -(2n ** 63n));
    for (const s of ['', 'a', 'héllo', '日本語', long, 'x'.repeat(42), 'é'.repeat(42)]) assert.equal(r.readString(), s);
    assert.equal(r.readBoolean(), true);
    assert.equal(r.remaining(), 0);
  });

  it('writes every string length with the shortest header, whatever the header reserved for it', () => {
    // Around each header-size boundary, in ASCII and in 2-, 3- and 4-byte characters.
    const lengths = [42, 43, 44, 63, 64, 127, 128, 129, 5461, 5462, 16383, 16384, 16385];
    const strings = lengths.flatMap((n) => ['x', 'é', '€'].map((c) => c.repeat(n)).concat('😀'.repeat(Math.ceil(n / 2))));
    const w = new DataOutputWriter(8);
    for (const s of strings) {
      const before = w.position;
      w.writeString(s);
      const bytes = Buffer.byteLength(s, 'utf8');
      const header = bytes < 0x80 ? 1 : bytes < 0x4000 ? 2 : 3;
      assert.equal(w.position - before, header + bytes, `a ${s.length}-char string of ${bytes} bytes`);
    }
    const r = new DataInputReader(w.toBuffer());
    for (const s of strings) assert.equal(r.readString(), s);
    assert.equal(r.remaining(), 0);
  });

  it('view() shares bytes, toBuffer() copies, reset() starts over', () => {
    const w = new DataOutputWriter();
    w.writeByte(1);
    const copy = w.toBuffer();
    const view = w.view();
    w.reset();
    w.writeByte(2);
    assert.equal(copy[0], 1);
    assert.equal(view[0], 2);
    assert.equal(w.position, 1);
  });

  it('throws SerializationError, never a crash, on truncated or corrupt input', () => {
    const w = new DataOutputWriter();
    w.writeString('hello world');
    const bytes = w.toBuffer();
    for (let cut = 0; cut < bytes.length; cut++) {
      assert.throws(() => new DataInputReader(bytes.subarray(0, cut)).readString(), SerializationError);
    }
    // A length claiming far more than is there must not allocate it.
    const huge = new DataOutputWriter();
    huge.writeVarUint(2 ** 50);
    assert.throws(() => new DataInputReader(huge.toBuffer()).readString(), SerializationError);
    assert.throws(
      () => new DataInputReader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).readVarUint(),
      SerializationError,
    );
    assert.throws(() => new DataInputReader(Buffer.from([2])).readBoolean(), SerializationError);
    assert.throws(() => new DataInputReader(Buffer.from([1, 2, 3])).readFloat64(), SerializationError);
    const err = (() => {
      try {
        new DataInputReader(new Uint8Array(0)).readByte();
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(err instanceof SerializationError);
    assert.equal(err.code, 'SERIALIZATION');
  });

  it('reads a window of a larger array', () => {
    const bytes = Uint8Array.from([9, 9, 5, 7, 9]);
    const r = new DataInputReader(bytes, 2, 2);
    assert.equal(r.readByte(), 5);
    assert.equal(r.remaining(), 1);
    assert.equal(r.readByte(), 7);
    assert.throws(() => r.readByte(), SerializationError);
  });
});
