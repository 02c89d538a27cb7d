import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TypeDescriptor } from '../../../../src/jobgraph/type-descriptor.js';
import { createSerializer, DataInputReader, DataOutputWriter, type TypeSerializer } from '../../../../src/runtime/serialization/index.js';
import { MAX_SPECIALIZED_ARITY } from '../../../../src/runtime/serialization/specialized-tuple.js';

const FIELD_TYPES: readonly TypeDescriptor[] = [
  { kind: 'INT' },
  { kind: 'LONG' },
  { kind: 'DOUBLE' },
  { kind: 'STRING' },
  { kind: 'BOOLEAN' },
];
const SAMPLES: Record<string, unknown> = { INT: -7, LONG: 1424951918630, DOUBLE: 2.5, STRING: 'héllo', BOOLEAN: true };

function bytesOf(serializer: TypeSerializer<unknown>, value: unknown): Buffer {
  const out = new DataOutputWriter();
  serializer.write(out, value);
  return Buffer.from(out.view());
}

/** The wire format written by hand: one mask byte (bit i: field i is null), then each present field. */
function expectedBytes(fields: readonly TypeDescriptor[], value: readonly unknown[]): Buffer {
  const out = new DataOutputWriter();
  let mask = 0;
  value.forEach((f, i) => (mask |= f === null || f === undefined ? 1 << i : 0));
  out.writeByte(mask);
  value.forEach((f, i) => {
    if (f !== null && f !== undefined) createSerializer(fields[i]!).write(out, f);
  });
  return Buffer.from(out.view());
}

describe('compiled tuple serializers', () => {
  it('write the documented format and read it back, for every arity up to 8 and every null pattern of 3 fields', () => {
    for (let arity = 1; arity <= MAX_SPECIALIZED_ARITY; arity++) {
      const fields = Array.from({ length: arity }, (_, i) => FIELD_TYPES[i % FIELD_TYPES.length]!);
      const serializer = createSerializer({ kind: 'TUPLE', fields });
      const patterns = arity === 3 ? [...Array(8).keys()] : [0, (1 << arity) - 1, 0b101 & ((1 << arity) - 1)];
      for (const nulls of patterns) {
        const value = fields.map((f, i) => ((nulls >> i) & 1 ? (i % 2 === 0 ? null : undefined) : SAMPLES[f.kind]));
        const bytes = bytesOf(serializer, value);
        assert.deepEqual(bytes, expectedBytes(fields, value), `arity ${arity}, nulls ${nulls.toString(2)}`);
        const back = serializer.read(new DataInputReader(bytes)) as unknown[];
        assert.deepEqual(
          back,
          value.map((v) => v ?? null),
        );
      }
    }
  });

  it('reads into packed arrays, as array literals in user code are', () => {
    const serializer = createSerializer({ kind: 'TUPLE', fields: [{ kind: 'INT' }, { kind: 'STRING' }] });
    const back = serializer.read(new DataInputReader(bytesOf(serializer, [1, 'a']))) as unknown[];
    assert.equal(back.length, 2);
    assert.ok(0 in back && 1 in back, 'no holes');
  });

  it('refuse a value that is not an array of the arity, naming both', () => {
    const serializer = createSerializer({ kind: 'TUPLE', fields: [{ kind: 'INT' }, { kind: 'INT' }] });
    assert.throws(() => bytesOf(serializer, [1]), /as a TUPLE of 2 field\(s\): expected an array of exactly 2/);
    assert.throws(() => bytesOf(serializer, { 0: 1, 1: 2 }), /as a TUPLE of 2/);
  });
});
