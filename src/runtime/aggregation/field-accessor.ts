/** Reads and copies-with-one-field-set the field an aggregation works on: a tuple position, an object field, or the value itself. */
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import { UnsupportedOperationError } from '../runtime-errors.js';

/** A tuple position (arrays), an object field name, or 0 for the value of an atomic stream. */
export type FieldSpec = number | string;

/** Access to one field of the records of a stream. */
export interface FieldAccessor {
  get(value: unknown): unknown;
  /** A copy of `value` with the field replaced; the input is not changed. */
  set(value: unknown, field: unknown): unknown;
  /** The field's type when the stream's type says it. */
  readonly fieldType: TypeDescriptor | undefined;
}

/** Builds the accessor for `field` of records of `type`. */
export function fieldAccessor(field: FieldSpec, type: TypeDescriptor | undefined): FieldAccessor {
  if (typeof field === 'number') {
    if (!Number.isInteger(field) || field < 0)
      throw new UnsupportedOperationError(`Invalid field position ${field}: a tuple position is an integer >= 0`);
    if (type !== undefined && type.kind !== 'TUPLE' && type.kind !== 'GENERIC' && type.kind !== 'ROW') {
      if (field !== 0)
        throw new UnsupportedOperationError(`Field position ${field} is out of range for a stream of ${type.kind}: only 0 is accepted`);
      return { fieldType: type, get: (v) => v, set: (_v, f) => f };
    }
    const fieldType = type?.kind === 'TUPLE' ? type.fields[field] : type?.kind === 'ROW' ? type.fields[field]?.type : undefined;
    if ((type?.kind === 'TUPLE' || type?.kind === 'ROW') && fieldType === undefined) {
      throw new UnsupportedOperationError(`Field position ${field} is out of range: the tuple has ${type.fields.length} fields`);
    }
    return {
      fieldType,
      get: (v) =>
        Array.isArray(v) ? v[field] : field === 0 && (typeof v !== 'object' || v === null) ? v : (v as Record<number, unknown>)[field],
      set: (v, f) => {
        if (Array.isArray(v)) {
          const copy = v.slice();
          copy[field] = f;
          return copy;
        }
        if (field === 0 && (typeof v !== 'object' || v === null)) return f;
        return copyObjectWith(v as object, String(field), f);
      },
    };
  }
  const fieldType = type?.kind === 'ROW' ? type.fields.find((f) => f.name === field)?.type : undefined;
  return {
    fieldType,
    get: (v) => (v as Record<string, unknown>)[field],
    set: (v, f) => copyObjectWith(v as object, field, f),
  };
}

function copyObjectWith(value: object, field: string, fieldValue: unknown): object {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(value) as object | null) as object, value) as Record<string, unknown>;
  copy[field] = fieldValue;
  return copy;
}
