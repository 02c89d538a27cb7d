import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalKey, decodeValue, encodeValue, SerializationError } from '../../../../src/runtime/serialization/index.js';

/** A small deterministic PRNG so the fuzz cases are the same on every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomValue(rand: () => number, depth: number): unknown {
  const pick = Math.floor(rand() * (depth > 3 ? 10 : 16));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return undefined;
    case 2:
      return rand() < 0.5;
    case 3:
      return Math.floor(rand() * 2 ** 32) - 2 ** 31;
    case 4:
      return [NaN, -0, Infinity, -Infinity, 2 ** 53 - 1, -(2 ** 40), 0.1][Math.floor(rand() * 7)];
    case 5:
      return (rand() - 0.5) * 10 ** Math.floor(rand() * 40 - 20);
    case 6:
      return BigInt(Math.floor(rand() * 2 ** 30)) ** BigInt(1 + Math.floor(rand() * 5)) * (rand() < 0.5 ? -1n : 1n);
    case 7:
      return Array.from({ length: Math.floor(rand() * 8) }, () => String.fromCodePoint(Math.floor(rand() * 0xd7ff))).join('');
    case 8:
      return new Date(Math.floor(rand() * 2e12));
    case 9:
      return Uint8Array.from({ length: Math.floor(rand() * 5) }, () => Math.floor(rand() * 256));
    case 10:
      return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
    case 11: {
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(rand() * 4); i > 0; i--) o[`k${Math.floor(rand() * 100)}`] = randomValue(rand, depth + 1);
      return o;
    }
    case 12:
      return new Map(Array.from({ length: Math.floor(rand() * 3) }, () => [randomValue(rand, depth + 1), randomValue(rand, depth + 1)]));
    case 13:
      return new Set(Array.from({ length: Math.floor(rand() * 3) }, () => randomValue(rand, depth + 1)));
    case 14:
      return Buffer.from([1, 2, 3].slice(0, Math.floor(rand() * 4)));
    default:
      return `s${Math.floor(rand() * 1000)}`;
  }
}

describe('GenericSerializer', () => {
  it('round-trips 5000 random nested values exactly (fixed seed)', () => {
    const rand = prng(20240611);
    for (let i = 0; i < 5000; i++) {
      const v = randomValue(rand, 0);
      assert.deepStrictEqual(decodeValue(encodeValue(v)), v, `case ${i}`);
    }
  });

  it('keeps -0, NaN, int32 vs double and Buffer vs Uint8Array apart', () => {
    assert.ok(Object.is(decodeValue(encodeValue(-0)), -0));
    assert.ok(Number.isNaN(decodeValue(encodeValue(NaN))));
    assert.ok(Buffer.isBuffer(decodeValue(encodeValue(Buffer.from('ab')))));
    const u8 = decodeValue(encodeValue(new Uint8Array([1, 2])));
    assert.ok(u8 instanceof Uint8Array && !Buffer.isBuffer(u8));
    assert.equal(encodeValue(5).length, 2);
    assert.equal(encodeValue(5.5).length, 9);
    assert.equal(decodeValue(encodeValue(2n ** 200n + 1n)), 2n ** 200n + 1n);
  });

  it('decodes a "__proto__" key as data, not as a prototype', () => {
    const value = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as object;
    const back = decodeValue(encodeValue(value)) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(back), Object.prototype);
    assert.deepEqual(Object.keys(back), ['__proto__', 'a']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('refuses functions, symbols and class instances at write time, naming the type', () => {
    class Car {
      speed = 1;
    }
    assert.throws(
      () => encodeValue({ f: () => 1 }),
      (e: unknown) => e instanceof SerializationError && /function/.test(e.message),
    );
    assert.throws(() => encodeValue([Symbol('s')]), /symbol/);
    assert.throws(() => encodeValue(new Car()), /instance of Car/);
    assert.throws(() => encodeValue(new Float64Array(2)), /instance of Float64Array/);
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    assert.throws(() => encodeValue(cyclic), /deeper than/);
  });

  it('throws SerializationError on truncation, unknown tags and hostile nesting', () => {
    const bytes = encodeValue({ a: [1, 'two', 3.5, new Map([[1n, new Date(0)]])], b: new Set([null]) });
    for (let cut = 0; cut < bytes.length; cut++) assert.throws(() => decodeValue(bytes.subarray(0, cut)), SerializationError);
    assert.throws(() => decodeValue(Buffer.from([200])), /unknown tag/);
    // 100k nested single-element arrays: must be refused, not overflow the stack.
    const deep = Buffer.alloc(200_000);
    for (let i = 0; i < deep.length; i += 2) {
      deep[i] = 9;
      deep[i + 1] = 1;
    }
    assert.throws(() => decodeValue(deep), SerializationError);
  });
});

describe('GenericSerializer on random garbage', () => {
  it('throws only SerializationError', () => {
    const rand = prng(99);
    let decoded = 0;
    for (let i = 0; i < 20000; i++) {
      const bytes = Uint8Array.from({ length: 1 + Math.floor(rand() * 30) }, () =>
        rand() < 0.6 ? Math.floor(rand() * 16) : Math.floor(rand() * 256),
      );
      try {
        decodeValue(bytes);
        decoded++;
      } catch (error) {
        assert.ok(error instanceof SerializationError, `unexpected ${String(error)}`);
      }
    }
    assert.ok(decoded > 0);
  });
});

describe('canonicalKey', () => {
  it('keeps primitives and gives equal composites equal strings', () => {
    assert.equal(canonicalKey(5), 5);
    assert.equal(canonicalKey('a'), 'a');
    assert.equal(canonicalKey(7n), 7n);
    assert.equal(canonicalKey(true), true);
    assert.equal(canonicalKey([1, 'a']), canonicalKey([1, 'a']));
    assert.notEqual(canonicalKey([1, 'a']), canonicalKey([1, 'b']));
    assert.equal(canonicalKey({ x: 1, y: 2 }), canonicalKey({ y: 2, x: 1 }));
    const typed = { kind: 'TUPLE', fields: [{ kind: 'INT' }, { kind: 'STRING' }] } as const;
    assert.equal(canonicalKey([1, 'a'], typed), canonicalKey([1, 'a'], typed));
    assert.notEqual(canonicalKey([2, 'a'], typed), canonicalKey([1, 'a'], typed));
    const map = new Map<unknown, number>();
    map.set(canonicalKey([1, 'a']), 1);
    map.set(canonicalKey([1, 'a']), 2);
    assert.equal(map.size, 1);
    assert.equal(typeof canonicalKey(null), 'string');
  });
});
