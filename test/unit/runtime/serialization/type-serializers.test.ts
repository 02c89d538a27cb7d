import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TypeDescriptor } from '../../../../src/jobgraph/type-descriptor.js';
import {
  createSerializer,
  DataInputReader,
  DataOutputWriter,
  decodeValue,
  encodeValue,
  SerializationError,
} from '../../../../src/runtime/serialization/index.js';

const INT: TypeDescriptor = { kind: 'INT' };
const LONG: TypeDescriptor = { kind: 'LONG' };
const DOUBLE: TypeDescriptor = { kind: 'DOUBLE' };
const FLOAT: TypeDescriptor = { kind: 'FLOAT' };
const BOOLEAN: TypeDescriptor = { kind: 'BOOLEAN' };
const STRING: TypeDescriptor = { kind: 'STRING' };
const GENERIC: TypeDescriptor = { kind: 'GENERIC' };

function same(actual: unknown, expected: unknown, type: TypeDescriptor): void {
  assert.deepStrictEqual(actual, expected, `${JSON.stringify(type)}`);
}

describe('typed serializers round-trip', () => {
  it('scalars, including edge values', () => {
    const cases: Array<[TypeDescriptor, unknown[]]> = [
      [INT, [0, 1, -1, 2147483647, -2147483648]],
      [LONG, [0, -1, 1424951918630, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 0n, 2n ** 63n - 1n, -(2n ** 63n)]],
      [DOUBLE, [0, -0, NaN, Infinity, -Infinity, Number.MIN_VALUE, Number.MAX_VALUE, 15.277777777777777]],
      [FLOAT, [0, 1.5, -2.25, Infinity, Math.fround(0.1)]],
      [BOOLEAN, [true, false]],
      [STRING, ['', 'a', 'héllo wörld', '😀'.repeat(100), 'x'.repeat(10000)]],
    ];
    for (const [type, values] of cases) {
      for (const v of values) same(decodeValue(encodeValue(v, type), type), v, type);
    }
    assert.equal(decodeValue(encodeValue(0.1, FLOAT), FLOAT), Math.fround(0.1));
  });

  it('tuples with nulls, lists, maps and rows', () => {
    const tuple: TypeDescriptor = { kind: 'TUPLE', fields: [INT, STRING, DOUBLE, LONG] };
    same(decodeValue(encodeValue([1, 'a', 2.5, 3], tuple), tuple), [1, 'a', 2.5, 3], tuple);
    same(decodeValue(encodeValue([null, undefined, null, 3n], tuple), tuple), [null, null, null, 3n], tuple);
    const wide: TypeDescriptor = { kind: 'TUPLE', fields: Array.from({ length: 19 }, () => INT) };
    const wideValue = Array.from({ length: 19 }, (_, i) => (i % 3 === 0 ? null : i));
    same(decodeValue(encodeValue(wideValue, wide), wide), wideValue, wide);
    const list: TypeDescriptor = { kind: 'LIST', element: STRING };
    for (const v of [[], ['a'], ['a', null, 'c', 'd', 'e', 'f', 'g', 'h', null, 'j']])
      same(decodeValue(encodeValue(v, list), list), v, list);
    const map: TypeDescriptor = { kind: 'MAP', key: STRING, value: { kind: 'LIST', element: INT } };
    const m = new Map<string, number[] | null>(Array.from({ length: 11 }, (_, i) => [`k${i}`, i % 4 === 0 ? null : [i, -i]]));
    same(decodeValue(encodeValue(m, map), map), m, map);
    const row: TypeDescriptor = {
      kind: 'ROW',
      fields: [
        { name: 'id', type: INT },
        { name: 'tags', type: list },
        { name: '__proto__', type: STRING },
      ],
    };
    const objRow = JSON.parse('{"id":7,"tags":["x"],"__proto__":"p"}') as Record<string, unknown>;
    const decoded = decodeValue(encodeValue(objRow, row), row) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
    assert.deepEqual(Object.entries(decoded), [
      ['id', 7],
      ['tags', ['x']],
      ['__proto__', 'p'],
    ]);
    same(decodeValue(encodeValue([7, null, 'p'], row), row), [7, null, 'p'], row);
  });

  it('short strings: every one of thousands comes back as written, whatever the cache of recent ones holds', () => {
    const out = new DataOutputWriter();
    const written: string[] = [];
    let seed = 7;
    const next = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let i = 0; i < 20_000; i++) {
      // Few distinct lengths and letters, so hash slots collide and equal-length strings differ in one byte.
      const length = 1 + next(24);
      let s = Array.from({ length }, () => String.fromCharCode(97 + next(3))).join('');
      if (i % 97 === 0) s = `é${s}`.slice(0, length);
      written.push(s);
      out.writeString(s);
      if (i % 5 === 0) {
        written.push(written[next(written.length)]!); // repeats, which the cache serves
        out.writeString(written.at(-1)!);
      }
    }
    const inp = new DataInputReader(out.view());
    for (const [i, s] of written.entries()) assert.equal(inp.readString(), s, `string ${i}`);
    assert.equal(inp.remaining(), 0);
  });

  it('GENERIC fields inside typed records', () => {
    const t: TypeDescriptor = { kind: 'TUPLE', fields: [STRING, GENERIC] };
    const v = ['k', { nested: [1, 2n, new Date(5), new Set(['a'])] }];
    same(decodeValue(encodeValue(v, t), t), v, t);
  });

  it('refuses values of the wrong shape with a SerializationError naming them', () => {
    assert.throws(() => encodeValue(1.5, INT), /Cannot write number 1.5 as INT/);
    assert.throws(() => encodeValue(2 ** 31, INT), SerializationError);
    assert.throws(() => encodeValue('5', DOUBLE), /string "5" as DOUBLE/);
    assert.throws(() => encodeValue([1, 2], { kind: 'TUPLE', fields: [INT, INT, INT] }), /TUPLE of 3/);
    assert.throws(() => encodeValue({ a: 1 }, { kind: 'MAP', key: STRING, value: INT }), /expected a Map/);
    assert.throws(() => encodeValue(new Map([[null, 1]]), { kind: 'MAP', key: STRING, value: INT }), /null or undefined key/);
    assert.throws(() => encodeValue(null, STRING), SerializationError);
  });
});

describe('typed serializers on bad input', () => {
  it('throws SerializationError for every truncation and for trailing bytes', () => {
    const type: TypeDescriptor = {
      kind: 'TUPLE',
      fields: [INT, STRING, { kind: 'LIST', element: DOUBLE }, { kind: 'MAP', key: STRING, value: LONG }],
    };
    const bytes = encodeValue([1, 'hello', [1.5, 2.5], new Map([['a', 1n]])], type);
    for (let cut = 0; cut < bytes.length; cut++) {
      assert.throws(() => decodeValue(bytes.subarray(0, cut), type), SerializationError, `cut at ${cut}`);
    }
    assert.throws(() => decodeValue(Buffer.concat([bytes, Buffer.from([0])]), type), /left over/);
  });

  it('never crashes on random garbage', () => {
    const type: TypeDescriptor = {
      kind: 'TUPLE',
      fields: [INT, { kind: 'LIST', element: { kind: 'MAP', key: STRING, value: GENERIC } }, LONG, BOOLEAN],
    };
    let seed = 42;
    for (let i = 0; i < 3000; i++) {
      const bytes = new Uint8Array(1 + (i % 40));
      for (let j = 0; j < bytes.length; j++) {
        seed = (Math.imul(seed, 1103515245) + 12345) | 0;
        bytes[j] = seed >>> 24;
      }
      try {
        decodeValue(bytes, type);
      } catch (error) {
        assert.ok(error instanceof SerializationError, `unexpected ${String(error)}`);
      }
    }
  });
});

describe('throughput sanity', () => {
  it('encodes and decodes 100k 4-field tuples through one writer and reader', () => {
    const type: TypeDescriptor = { kind: 'TUPLE', fields: [INT, INT, DOUBLE, LONG] };
    const serializer = createSerializer(type);
    const w = new DataOutputWriter();
    for (let i = 0; i < 100_000; i++) serializer.write(w, [i % 2, 50 + (i % 50), i * 1.5, 1424951918630 + i]);
    const r = new DataInputReader(w.view());
    for (let i = 0; i < 100_000; i++) {
      const t = serializer.read(r) as unknown[];
      if (t[0] !== i % 2 || t[1] !== 50 + (i % 50) || t[2] !== i * 1.5 || t[3] !== 1424951918630 + i) {
        assert.fail(`record ${i} came back as ${JSON.stringify(t)}`);
      }
    }
    assert.equal(r.remaining(), 0);
    // Compact: mask + 1..2 + 1..2 + 8 + 6 bytes per record, well under a tagged encoding.
    assert.ok(w.position < 100_000 * 20, `${w.position} bytes`);
  });
});
