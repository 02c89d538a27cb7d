/**
 * Tuple serializers compiled for their field types. A generic loop calls every field's serializer
 * from one call site, which V8 sees with as many classes as there are field types and cannot
 * inline; the generated code has one call site per field, each seeing one class. On the
 * throughput job's 4-field tuples this took a third off the encoding and decoding of every record
 * crossing between slot threads. The generated text holds only field indices and fixed code,
 * never anything from a job.
 */
import type { DataInputReader } from './data-input-reader.js';
import type { DataOutputWriter } from './data-output-writer.js';
import type { TypeSerializer } from './type-serializer.js';

/** The write and read of one tuple type. */
export interface TupleCodec {
  write(out: DataOutputWriter, value: unknown[]): void;
  read(inp: DataInputReader): unknown[];
}

/** Tuples up to this arity share one null-mask byte, which keeps the generated code flat. */
export const MAX_SPECIALIZED_ARITY = 8;

/**
 * The codec of a tuple of `fields`, in the wire format of TupleSerializer (a null-mask byte, then
 * the non-null fields in order); undefined above MAX_SPECIALIZED_ARITY. `refuse` throws for a value
 * that is not an array of the tuple's arity.
 */
export function specializeTuple(fields: readonly TypeSerializer<unknown>[], refuse: (value: unknown) => never): TupleCodec | undefined {
  const arity = fields.length;
  if (arity === 0 || arity > MAX_SPECIALIZED_ARITY) return undefined;
  const indices = [...Array(arity).keys()];
  const params = indices.map((i) => `s${i}`);
  const body = [
    'return {',
    '  write(out, v) {',
    `    if (!Array.isArray(v) || v.length !== ${arity}) refuse(v);`,
    ...indices.map((i) => `    const f${i} = v[${i}];`),
    `    out.writeByte(${indices.map((i) => `(f${i} == null ? ${1 << i} : 0)`).join(' | ')});`,
    ...indices.map((i) => `    if (f${i} != null) s${i}.write(out, f${i});`),
    '  },',
    '  read(inp) {',
    '    const mask = inp.readByte();',
    // An array literal: packed, like the tuples user code builds, so user functions stay monomorphic.
    `    return [${indices.map((i) => `(mask & ${1 << i}) !== 0 ? null : s${i}.read(inp)`).join(', ')}];`,
    '  },',
    '};',
  ].join('\n');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from field indices only (see above)
  const make = new Function(...params, 'refuse', body) as (...args: unknown[]) => TupleCodec;
  return make(...fields, refuse);
}
