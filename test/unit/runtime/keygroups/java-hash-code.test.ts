import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TypeDescriptor } from '../../../../src/jobgraph/type-descriptor.js';
import { doubleHashCode, javaHashCode, longHashCode, stringHashCode } from '../../../../src/runtime/keygroups/index.js';

/** Long.hashCode computed independently with 64-bit BigInt arithmetic. */
function referenceLongHash(v: bigint): number {
  const bits = BigInt.asUintN(64, v);
  return Number(BigInt.asIntN(32, bits ^ (bits >> 32n)));
}

/** Double.hashCode computed independently from the IEEE bits. */
function referenceDoubleHash(x: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Number.isNaN(x) ? NaN : x);
  return referenceLongHash(view.getBigInt64(0));
}

const INT: TypeDescriptor = { kind: 'INT' };
const LONG: TypeDescriptor = { kind: 'LONG' };
const DOUBLE: TypeDescriptor = { kind: 'DOUBLE' };
const STRING: TypeDescriptor = { kind: 'STRING' };

describe('javaHashCode of scalars', () => {
  it('hashes strings like String.hashCode', () => {
    assert.equal(stringHashCode('hello'), 99162322);
    assert.equal(stringHashCode(''), 0);
    assert.equal(stringHashCode('Aa'), stringHashCode('BB'));
    assert.equal(javaHashCode('polygenelubricants', STRING), -2147483648);
    // Surrogate pairs count as two UTF-16 units: 😀 is \uD83D\uDE00.
    assert.equal(stringHashCode('😀'), (0xd83d * 31 + 0xde00) | 0);
  });

  it('hashes longs like Long.hashCode, for numbers and bigints', () => {
    const samples = [
      0n,
      1n,
      -1n,
      1424951918630n,
      -1424951918630n,
      2n ** 53n - 1n,
      -(2n ** 53n) + 1n,
      2n ** 63n - 1n,
      -(2n ** 63n),
      4294967296n,
      -4294967296n,
    ];
    for (const v of samples) {
      assert.equal(longHashCode(v), referenceLongHash(v), `bigint ${v}`);
      assert.equal(javaHashCode(v, LONG), referenceLongHash(v));
      if (v >= -(2n ** 53n) && v < 2n ** 53n) assert.equal(javaHashCode(Number(v), LONG), referenceLongHash(v), `number ${v}`);
    }
  });

  it('hashes doubles like Double.hashCode, NaN canonical', () => {
    assert.equal(doubleHashCode(1.0), 1072693248);
    assert.equal(doubleHashCode(0), 0);
    assert.equal(doubleHashCode(-0), -2147483648);
    assert.equal(doubleHashCode(NaN), 2146959360);
    for (const x of [15.277777777777777, -3.5e-300, 1e308, Infinity, -Infinity, 5e-324, 123456.789]) {
      assert.equal(javaHashCode(x, DOUBLE), referenceDoubleHash(x), `double ${x}`);
    }
  });

  it('hashes ints, floats and booleans like Java', () => {
    assert.equal(javaHashCode(-7, INT), -7);
    assert.equal(javaHashCode(1.0, { kind: 'FLOAT' }), 0x3f800000);
    assert.equal(javaHashCode(NaN, { kind: 'FLOAT' }), 0x7fc00000);
    assert.equal(javaHashCode(true, { kind: 'BOOLEAN' }), 1231);
    assert.equal(javaHashCode(false, { kind: 'BOOLEAN' }), 1237);
    assert.equal(javaHashCode(null, INT), 0);
  });
});

describe('javaHashCode of composites', () => {
  it('hashes tuples like Flink TupleN', () => {
    const t: TypeDescriptor = { kind: 'TUPLE', fields: [INT, STRING] };
    assert.equal(javaHashCode([1, 'a'], t), 31 * 1 + 97);
    assert.equal(javaHashCode([0, null], t), 0);
    const t4: TypeDescriptor = { kind: 'TUPLE', fields: [INT, INT, DOUBLE, LONG] };
    const v = [0, 55, 15.277777777777777, 1424951918630];
    let expected = 0;
    expected = (expected * 31 + 0) | 0;
    expected = (Math.imul(expected, 31) + 55) | 0;
    expected = (Math.imul(expected, 31) + referenceDoubleHash(15.277777777777777)) | 0;
    expected = (Math.imul(expected, 31) + referenceLongHash(1424951918630n)) | 0;
    assert.equal(javaHashCode(v, t4), expected);
  });

  it('hashes lists like java.util.List and maps like java.util.Map', () => {
    assert.equal(javaHashCode([1, 2, 3], { kind: 'LIST', element: INT }), 30817);
    assert.equal(javaHashCode([], { kind: 'LIST', element: INT }), 1);
    const map: TypeDescriptor = { kind: 'MAP', key: INT, value: INT };
    assert.equal(
      javaHashCode(
        new Map([
          [1, 2],
          [5, 5],
        ]),
        map,
      ),
      (1 ^ 2) + (5 ^ 5),
    );
  });

  it('hashes rows like Flink Row (RowUtils deep hash)', () => {
    const row: TypeDescriptor = {
      kind: 'ROW',
      fields: [
        { name: 'id', type: INT },
        { name: 's', type: STRING },
      ],
    };
    // 31 * 0 (INSERT) + [1 → 31·1 + (31 + 1) → 31·63 + (31 + 97)]
    assert.equal(javaHashCode([1, 'a'], row), 2081);
    assert.equal(javaHashCode({ id: 1, s: 'a' }, row), 2081);
  });
});

describe('javaHashCode without a type (generic rule)', () => {
  it('maps JS values to Java types', () => {
    assert.equal(javaHashCode(5), 5);
    assert.equal(javaHashCode(-0), 0);
    assert.equal(javaHashCode(2 ** 40), referenceLongHash(2n ** 40n));
    assert.equal(javaHashCode(2n ** 40n), referenceLongHash(2n ** 40n));
    assert.equal(javaHashCode(1.5), referenceDoubleHash(1.5));
    assert.equal(javaHashCode(2 ** 60), referenceDoubleHash(2 ** 60));
    assert.equal(javaHashCode('hello'), 99162322);
    assert.equal(javaHashCode(true), 1231);
    assert.equal(javaHashCode(null), 0);
    assert.equal(javaHashCode(undefined), 0);
    assert.equal(javaHashCode([1, 'a']), 128);
    assert.equal(javaHashCode(new Date(1000)), 1000);
  });

  it('gives plain objects with the same content the same hash whatever the key order', () => {
    assert.equal(javaHashCode({ a: 1, b: [2, 'x'] }), javaHashCode({ b: [2, 'x'], a: 1 }));
    assert.notEqual(javaHashCode({ a: 1 }), javaHashCode({ a: 2 }));
  });
});
