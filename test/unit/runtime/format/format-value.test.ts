import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { TypeDescriptor } from '../../../../src/jobgraph/type-descriptor.js';
import { formatValue } from '../../../../src/runtime/format/index.js';
import { TOPSPEED_CONFORMANCE } from '../../../helpers/fixture-paths.js';

const INT: TypeDescriptor = { kind: 'INT' };
const LONG: TypeDescriptor = { kind: 'LONG' };
const DOUBLE: TypeDescriptor = { kind: 'DOUBLE' };
const STRING: TypeDescriptor = { kind: 'STRING' };
const CAR: TypeDescriptor = { kind: 'TUPLE', fields: [INT, INT, DOUBLE, LONG] };

describe('formatValue with types', () => {
  it('reprints every TopSpeedWindowing record line from its parsed fields', () => {
    for (const file of ['input.txt', 'expected.txt']) {
      const lines = readFileSync(`${TOPSPEED_CONFORMANCE}/${file}`, 'utf8')
        .split('\n')
        .filter((l) => l !== '');
      for (const line of lines) {
        const [id, speed, distance, ts] = line.slice(1, -1).split(',');
        const record = [Number.parseInt(id!, 10), Number.parseInt(speed!, 10), Number.parseFloat(distance!), Number(ts)];
        assert.equal(formatValue(record, CAR), line);
      }
    }
  });

  it('prints scalars as Java toString', () => {
    assert.equal(formatValue(50, DOUBLE), '50.0');
    assert.equal(formatValue(50, INT), '50');
    assert.equal(formatValue(2n ** 63n - 1n, LONG), '9223372036854775807');
    assert.equal(formatValue(1e21, LONG), '1000000000000000000000');
    assert.equal(formatValue(1.5, { kind: 'FLOAT' }), '1.5');
    assert.equal(formatValue(true, { kind: 'BOOLEAN' }), 'true');
    assert.equal(formatValue('a b', STRING), 'a b');
    assert.equal(formatValue(null, DOUBLE), 'null');
  });

  it('prints tuples, lists, maps and rows as Flink and java.util do', () => {
    assert.equal(formatValue(['hello', 3], { kind: 'TUPLE', fields: [STRING, INT] }), '(hello,3)');
    assert.equal(formatValue(['x', null], { kind: 'TUPLE', fields: [STRING, DOUBLE] }), '(x,null)');
    assert.equal(formatValue([1, 2.5], { kind: 'LIST', element: DOUBLE }), '[1.0, 2.5]');
    assert.equal(
      formatValue(
        new Map([
          ['a', 1],
          ['b', 2],
        ]),
        { kind: 'MAP', key: STRING, value: DOUBLE },
      ),
      '{a=1.0, b=2.0}',
    );
    const row: TypeDescriptor = {
      kind: 'ROW',
      fields: [
        { name: 'name', type: STRING },
        { name: 'score', type: DOUBLE },
        { name: 'tags', type: { kind: 'LIST', element: STRING } },
      ],
    };
    assert.equal(formatValue({ name: 'bob', score: 3, tags: ['x', 'y'] }, row), '+I[bob, 3.0, [x, y]]');
    assert.equal(formatValue(['bob', null, []], row), '+I[bob, null, []]');
    const nested: TypeDescriptor = { kind: 'TUPLE', fields: [{ kind: 'TUPLE', fields: [INT, DOUBLE] }, STRING] };
    assert.equal(formatValue([[1, 2], 'z'], nested), '((1,2.0),z)');
  });
});

describe('formatValue without a type', () => {
  it('prints the JS way, arrays as tuples', () => {
    assert.equal(formatValue(['a', 1, 2.5, true]), '(a,1,2.5,true)');
    assert.equal(formatValue(50), '50');
    assert.equal(formatValue(null), 'null');
    assert.equal(formatValue(12n), '12');
    assert.equal(formatValue({ a: 1, b: 'x', c: 2n }), '{"a":1,"b":"x","c":"2"}');
    assert.equal(formatValue(new Map([[1, 'a']])), '{1=a}');
    assert.equal(formatValue(new Set([1, 2])), '[1, 2]');
  });

  it("uses an object's own toString", () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
      toString(): string {
        return `Point(${this.x}, ${this.y})`;
      }
    }
    assert.equal(formatValue(new Point(1, 2)), 'Point(1, 2)');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(formatValue(cyclic), '[object Object]');
  });
});
