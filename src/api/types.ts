/** Builders of TypeDescriptors (Flink's Types) and inference of a type from sample values. */
import type { TypeDescriptor } from '../jobgraph/type-descriptor.js';

type Field = { readonly name: string; readonly type: TypeDescriptor };

function tupleOf(args: readonly (TypeDescriptor | readonly TypeDescriptor[])[]): TypeDescriptor {
  const fields = args.length === 1 && Array.isArray(args[0]) ? (args[0] as readonly TypeDescriptor[]) : (args as readonly TypeDescriptor[]);
  return { kind: 'TUPLE', fields: [...fields] };
}

/** The record types of tsflink; tuples are JS arrays, rows are arrays or objects with named fields. */
export const Types = {
  INT: { kind: 'INT' } as TypeDescriptor,
  LONG: { kind: 'LONG' } as TypeDescriptor,
  DOUBLE: { kind: 'DOUBLE' } as TypeDescriptor,
  FLOAT: { kind: 'FLOAT' } as TypeDescriptor,
  BOOLEAN: { kind: 'BOOLEAN' } as TypeDescriptor,
  STRING: { kind: 'STRING' } as TypeDescriptor,
  GENERIC: { kind: 'GENERIC' } as TypeDescriptor,
  /** `TUPLE([a, b])` or `TUPLE(a, b)`. */
  TUPLE: (...fields: (TypeDescriptor | readonly TypeDescriptor[])[]): TypeDescriptor => tupleOf(fields),
  LIST: (element: TypeDescriptor): TypeDescriptor => ({ kind: 'LIST', element }),
  MAP: (key: TypeDescriptor, value: TypeDescriptor): TypeDescriptor => ({ kind: 'MAP', key, value }),
  /** A row from named fields: `ROW([{ name: 'word', type: Types.STRING }, ...])`. */
  ROW: (fields: readonly Field[]): TypeDescriptor => ({ kind: 'ROW', fields: [...fields] }),
  /** Flink's ROW_NAMED(names, types...). */
  ROW_NAMED: (names: readonly string[], ...types: TypeDescriptor[]): TypeDescriptor => {
    if (names.length !== types.length)
      throw new RangeError(`ROW_NAMED needs as many names as types, got ${names.length} and ${types.length}`);
    return { kind: 'ROW', fields: names.map((name, i) => ({ name, type: types[i]! })) };
  },
} as const;

function inferOne(value: unknown): TypeDescriptor {
  switch (typeof value) {
    case 'string':
      return Types.STRING;
    case 'boolean':
      return Types.BOOLEAN;
    case 'bigint':
      return Types.LONG;
    case 'number':
      if ((value | 0) === value && !Object.is(value, -0)) return Types.INT;
      return Number.isSafeInteger(value) ? Types.LONG : Types.DOUBLE;
    default:
      if (Array.isArray(value)) return Types.TUPLE(value.map(inferOne));
      return Types.GENERIC;
  }
}

function merge(a: TypeDescriptor, b: TypeDescriptor): TypeDescriptor {
  if (a.kind === b.kind && a.kind !== 'TUPLE') return a;
  const numeric = ['INT', 'LONG', 'DOUBLE'];
  if (numeric.includes(a.kind) && numeric.includes(b.kind)) return numeric.indexOf(a.kind) > numeric.indexOf(b.kind) ? a : b;
  if (a.kind === 'TUPLE' && b.kind === 'TUPLE' && a.fields.length === b.fields.length) {
    return Types.TUPLE(a.fields.map((f, i) => merge(f, b.fields[i]!)));
  }
  return Types.GENERIC;
}

/**
 * The type Flink would extract for these values: integers that fit an int are INT, larger safe
 * integers LONG, other numbers DOUBLE, arrays TUPLEs of their fields, anything else GENERIC.
 */
export function inferType(values: readonly unknown[]): TypeDescriptor {
  if (values.length === 0) return Types.GENERIC;
  let type = inferOne(values[0]);
  for (let i = 1; i < values.length && type.kind !== 'GENERIC'; i++) type = merge(type, inferOne(values[i]));
  return type;
}
