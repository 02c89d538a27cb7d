import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assignKeyToParallelOperator,
  assignToKeyGroup,
  computeDefaultMaxParallelism,
  computeKeyGroupForKeyHash,
  computeKeyGroupRangeForOperatorIndex,
  computeOperatorIndexForKeyGroup,
  DEFAULT_LOWER_BOUND_MAX_PARALLELISM,
  KeyGroupRange,
  murmurHash,
  UPPER_BOUND_MAX_PARALLELISM,
} from '../../../../src/runtime/keygroups/index.js';

describe('murmurHash', () => {
  it('matches the reference values for 0..9', () => {
    const expected = [593689054, 68075478, 1085422463, 847579505, 1889779975, 236698494, 975490194, 1343918321, 1822472975, 101886131];
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(murmurHash), expected);
  });

  it('has the published MurmurHash3 core for zero (0x2362F9DE) and is never negative', () => {
    assert.equal(murmurHash(0), 0x2362f9de);
    for (let i = -100000; i < 100000; i += 7) assert.ok(murmurHash(i * 9973) >= 0);
    assert.ok(murmurHash(0x7fffffff) >= 0 && murmurHash(-0x80000000) >= 0);
  });
});

describe('assignToKeyGroup', () => {
  it('matches the reference key groups at max parallelism 128', () => {
    const table: Array<[unknown, number]> = [
      [0, 94],
      [1, 86],
      [2, 127],
      [3, 113],
      [4, 7],
      [5, 126],
      [6, 18],
      [7, 113],
      [8, 15],
      [9, 51],
      [-1, 80],
      [100, 64],
      [1000, 7],
      ['a', 81],
      ['hello', 35],
      ['flink', 98],
    ];
    for (const [key, group] of table) {
      assert.equal(assignToKeyGroup(key, 128), group, `key ${String(key)}`);
      const type = typeof key === 'string' ? { kind: 'STRING' as const } : { kind: 'INT' as const };
      assert.equal(assignToKeyGroup(key, 128, type), group, `typed key ${String(key)}`);
    }
  });

  it('agrees with computeKeyGroupForKeyHash over the Java hash', () => {
    assert.equal(computeKeyGroupForKeyHash(99162322, 128), assignToKeyGroup('hello', 128));
  });

  it('puts TopSpeedWindowing cars 0 and 1 on the same subtask for p = 2, 3, 4', () => {
    const expected = [1, 2, 2];
    [2, 3, 4].forEach((p, i) => {
      assert.equal(assignKeyToParallelOperator(0, 128, p, { kind: 'INT' }), expected[i]);
      assert.equal(assignKeyToParallelOperator(1, 128, p, { kind: 'INT' }), expected[i]);
    });
  });
});

describe('key group ranges', () => {
  const ranges = (maxP: number, p: number): Array<[number, number]> =>
    Array.from({ length: p }, (_, i) => {
      const r = computeKeyGroupRangeForOperatorIndex(maxP, p, i);
      return [r.startKeyGroup, r.endKeyGroup];
    });

  it('matches the reference partitions of 128', () => {
    assert.deepEqual(ranges(128, 2), [
      [0, 63],
      [64, 127],
    ]);
    assert.deepEqual(ranges(128, 3), [
      [0, 42],
      [43, 85],
      [86, 127],
    ]);
    assert.deepEqual(ranges(128, 4), [
      [0, 31],
      [32, 63],
      [64, 95],
      [96, 127],
    ]);
    assert.deepEqual(ranges(128, 5), [
      [0, 25],
      [26, 51],
      [52, 76],
      [77, 102],
      [103, 127],
    ]);
  });

  it('is consistent with the operator index of every key group', () => {
    for (const maxP of [1, 2, 7, 128, 129, 256, 1000, 4096]) {
      for (let p = 1; p <= Math.min(maxP, 70); p++) {
        let next = 0;
        for (let i = 0; i < p; i++) {
          const r = computeKeyGroupRangeForOperatorIndex(maxP, p, i);
          assert.equal(r.startKeyGroup, next, `contiguous at maxP=${maxP} p=${p} i=${i}`);
          for (let kg = r.startKeyGroup; kg <= r.endKeyGroup; kg++) {
            assert.equal(computeOperatorIndexForKeyGroup(maxP, p, kg), i);
          }
          next = r.endKeyGroup + 1;
        }
        assert.equal(next, maxP);
      }
    }
  });

  it('handles the upper bound without overflow', () => {
    const p = 32767;
    const last = computeKeyGroupRangeForOperatorIndex(UPPER_BOUND_MAX_PARALLELISM, p, p - 1);
    assert.equal(last.endKeyGroup, 32767);
    assert.equal(computeOperatorIndexForKeyGroup(UPPER_BOUND_MAX_PARALLELISM, p, 32767), p - 1);
  });

  it('rejects parallelism above max parallelism and bad indices', () => {
    assert.throws(() => computeKeyGroupRangeForOperatorIndex(128, 129, 0), RangeError);
    assert.throws(() => computeKeyGroupRangeForOperatorIndex(32769, 2, 0), RangeError);
    assert.throws(() => computeKeyGroupRangeForOperatorIndex(128, 2, 2), RangeError);
  });
});

describe('KeyGroupRange', () => {
  it('answers contains, size and intersect', () => {
    const a = new KeyGroupRange(10, 20);
    assert.equal(a.size(), 11);
    assert.ok(a.contains(10) && a.contains(20) && !a.contains(21) && !a.contains(9));
    const i = a.intersect(new KeyGroupRange(15, 30));
    assert.deepEqual([i.startKeyGroup, i.endKeyGroup], [15, 20]);
    const none = a.intersect(new KeyGroupRange(21, 30));
    assert.ok(none.isEmpty());
    assert.equal(none.size(), 0);
    assert.deepEqual([...new KeyGroupRange(3, 5)], [3, 4, 5]);
  });
});

describe('computeDefaultMaxParallelism', () => {
  it('matches the reference table', () => {
    const table: Array<[number, number]> = [
      [1, 128],
      [2, 128],
      [85, 128],
      [86, 256],
      [100, 256],
      [128, 256],
      [1000, 2048],
      [21844, 32768],
      [21845, 32768],
      [32768, 32768],
    ];
    for (const [p, expected] of table) assert.equal(computeDefaultMaxParallelism(p), expected, `p=${p}`);
    assert.equal(DEFAULT_LOWER_BOUND_MAX_PARALLELISM, 128);
    assert.equal(UPPER_BOUND_MAX_PARALLELISM, 32768);
  });

  it('rejects parallelism outside [1, 32768]', () => {
    assert.throws(() => computeDefaultMaxParallelism(0), RangeError);
    assert.throws(() => computeDefaultMaxParallelism(32769), RangeError);
  });
});
