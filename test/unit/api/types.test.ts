import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inferType, Types } from '../../../src/api/types.js';

describe('Types', () => {
  it('builds tuples from an array or from arguments', () => {
    assert.deepEqual(Types.TUPLE([Types.INT, Types.STRING]), Types.TUPLE(Types.INT, Types.STRING));
    assert.deepEqual(Types.ROW_NAMED(['a'], Types.LONG), { kind: 'ROW', fields: [{ name: 'a', type: { kind: 'LONG' } }] });
  });

  it('infers what Flink would extract from elements', () => {
    assert.deepEqual(inferType([1, 2, 3]), Types.INT);
    assert.deepEqual(inferType([1, 2 ** 40]), Types.LONG);
    assert.deepEqual(inferType([1, 2.5]), Types.DOUBLE);
    assert.deepEqual(inferType(['a']), Types.STRING);
    assert.deepEqual(
      inferType([
        ['a', 1],
        ['b', 2.5],
      ]),
      Types.TUPLE([Types.STRING, Types.DOUBLE]),
    );
    assert.deepEqual(inferType([{ a: 1 }]), Types.GENERIC);
    assert.deepEqual(inferType([1, 'x']), Types.GENERIC);
  });
});
