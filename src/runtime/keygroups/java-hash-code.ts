/**
 * Java-compatible `hashCode()` of record keys, so a key lands in the same key group as in Flink.
 *
 * With a type, the value is hashed as the Java object Flink would hold:
 * - INT: the int itself; LONG: `(int)(v ^ (v >>> 32))` (number or bigint, low 64 bits);
 * - DOUBLE: `Double.hashCode` (IEEE bits folded like a long, NaN canonical); FLOAT: `Float.hashCode`;
 * - BOOLEAN: 1231 / 1237; STRING: `String.hashCode` over UTF-16 code units;
 * - TUPLE: Flink's TupleN (`h = 31 * h + field`, starting at 0); LIST: `java.util.List` (starting at 1);
 * - MAP: `java.util.Map` (sum of `key ^ value` over entries; a JS Map or a plain object);
 * - ROW: Flink's `Row.hashCode` (RowKind INSERT, fields hashed by RowUtils' deep rule); a ROW value
 *   is an array (positional) or an object keyed by the field names;
 * - null and undefined: 0, in every position.
 *
 * Without a type (GENERIC), JS values map to Java types by this rule:
 * - numbers that are int32 (and -0) hash as Integer, other safe integers as Long, every other number
 *   (fractions, NaN, infinities, integers beyond 2^53) as Double;
 * - strings as String, booleans as Boolean, bigints as Long (low 64 bits);
 * - arrays as Flink Tuples of generically hashed fields; a valid Date as `java.util.Date` (Long of its time);
 * - anything else (plain objects, Map, Set, byte arrays, invalid dates) as `String.hashCode` of its
 *   canonical key: the latin1 string of its generic encoding with plain-object keys sorted.
 */
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import { canonicalKey } from '../serialization/canonical-key.js';

const TWO_POW_32 = 4294967296;
const scratch = new DataView(new ArrayBuffer(8));

/** Java's `hashCode()` of `value` viewed as the Java type `type` describes (generic rule without one). */
export function javaHashCode(value: unknown, type?: TypeDescriptor): number {
  if (value === null || value === undefined) return 0;
  if (type === undefined) return genericHashCode(value);
  switch (type.kind) {
    case 'INT':
      return typeof value === 'number' ? value | 0 : genericHashCode(value);
    case 'LONG':
      return typeof value === 'number' || typeof value === 'bigint' ? longHashCode(value) : genericHashCode(value);
    case 'DOUBLE':
      return typeof value === 'number' ? doubleHashCode(value) : genericHashCode(value);
    case 'FLOAT':
      return typeof value === 'number' ? floatHashCode(value) : genericHashCode(value);
    case 'BOOLEAN':
      return value === true ? 1231 : value === false ? 1237 : genericHashCode(value);
    case 'STRING':
      return typeof value === 'string' ? stringHashCode(value) : genericHashCode(value);
    case 'TUPLE':
      return Array.isArray(value) ? tupleHashCode(value, type.fields) : genericHashCode(value);
    case 'LIST':
      return Array.isArray(value) ? listHashCode(value, type.element) : genericHashCode(value);
    case 'MAP':
      return mapHashCode(value, type.key, type.value);
    case 'ROW':
      return rowHashCode(value, type.fields);
    case 'GENERIC':
      return genericHashCode(value);
  }
}

/** `String.hashCode`: s[0]·31^(n−1) + … + s[n−1] over UTF-16 code units, 32-bit wrap-around. */
export function stringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** `Long.hashCode`: the two 32-bit halves of the two's-complement long, xored. */
export function longHashCode(v: number | bigint): number {
  if (typeof v === 'bigint') {
    const lo = Number(BigInt.asUintN(32, v));
    const hi = Number(BigInt.asUintN(32, v >> 32n));
    return (lo ^ hi) | 0;
  }
  if ((v | 0) === v) return v ^ (v >> 31);
  const t = Math.trunc(v);
  if (!Number.isFinite(t)) return doubleHashCode(v);
  return ((t >>> 0) ^ (Math.floor(t / TWO_POW_32) | 0)) | 0;
}

/** `Double.hashCode`: `Long.hashCode(doubleToLongBits(v))`, every NaN as the canonical 0x7ff8000000000000. */
export function doubleHashCode(v: number): number {
  if (v !== v) return 0x7ff80000;
  scratch.setFloat64(0, v);
  return (scratch.getInt32(0) ^ scratch.getInt32(4)) | 0;
}

/** `Float.hashCode`: `floatToIntBits` of the value rounded to float, NaN canonical 0x7fc00000. */
export function floatHashCode(v: number): number {
  if (v !== v) return 0x7fc00000;
  scratch.setFloat32(0, v);
  return scratch.getInt32(0);
}

/** The generic rule of the module comment: JS value → the Java type it stands for → its hashCode. */
export function genericHashCode(value: unknown): number {
  switch (typeof value) {
    case 'number':
      if ((value | 0) === value) return value | 0;
      return Number.isSafeInteger(value) ? longHashCode(value) : doubleHashCode(value);
    case 'string':
      return stringHashCode(value);
    case 'boolean':
      return value ? 1231 : 1237;
    case 'bigint':
      return longHashCode(value);
    case 'undefined':
      return 0;
    default:
      if (value === null) return 0;
      if (Array.isArray(value)) return tupleHashCode(value, undefined);
      if (value instanceof Date && !Number.isNaN(value.getTime())) return longHashCode(value.getTime());
      return stringHashCode(canonicalKey(value) as string);
  }
}

function tupleHashCode(fields: readonly unknown[], types: readonly TypeDescriptor[] | undefined): number {
  let h = 0;
  for (let i = 0; i < fields.length; i++) {
    h = (Math.imul(h, 31) + javaHashCode(fields[i], types?.[i])) | 0;
  }
  return h;
}

function listHashCode(elements: readonly unknown[], type: TypeDescriptor): number {
  let h = 1;
  for (let i = 0; i < elements.length; i++) h = (Math.imul(h, 31) + javaHashCode(elements[i], type)) | 0;
  return h;
}

function mapEntries(value: unknown): Iterable<readonly [unknown, unknown]> | undefined {
  if (value instanceof Map) return value.entries();
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return Object.entries(value);
  return undefined;
}

function mapHashCode(value: unknown, keyType: TypeDescriptor, valueType: TypeDescriptor): number {
  const entries = mapEntries(value);
  if (entries === undefined) return genericHashCode(value);
  let h = 0;
  for (const [k, v] of entries) h = (h + (javaHashCode(k, keyType) ^ javaHashCode(v, valueType))) | 0;
  return h;
}

/** A ROW field by position: arrays are positional, objects are read by field name. */
export function rowField(value: unknown, fields: readonly { readonly name: string }[], i: number): unknown {
  if (Array.isArray(value)) return value[i];
  return (value as Record<string, unknown>)[fields[i]!.name];
}

function rowHashCode(value: unknown, fields: readonly { readonly name: string; readonly type: TypeDescriptor }[]): number {
  if (typeof value !== 'object' || value === null) return genericHashCode(value);
  // Row.hashCode = 31 * kind.toByteValue() (INSERT = 0) + deep hash of the field array (starting at 1).
  let h = 1;
  for (let i = 0; i < fields.length; i++) {
    h = (Math.imul(h, 31) + rowDeepHashCode(rowField(value, fields, i), fields[i]!.type)) | 0;
  }
  return h;
}

/** RowUtils' deep hash: lists and maps start at 1, any other object counts as `31 + hashCode()`. */
function rowDeepHashCode(value: unknown, type: TypeDescriptor): number {
  if (value === null || value === undefined) return 0;
  if (type.kind === 'LIST' && Array.isArray(value)) {
    let h = 1;
    for (let i = 0; i < value.length; i++) h = (Math.imul(h, 31) + rowDeepHashCode(value[i], type.element)) | 0;
    return h;
  }
  if (type.kind === 'MAP') {
    const entries = mapEntries(value);
    if (entries !== undefined) {
      let h = 1;
      for (const [k, v] of entries) h = (h + (rowDeepHashCode(k, type.key) ^ rowDeepHashCode(v, type.value))) | 0;
      return h;
    }
  }
  return (31 + javaHashCode(value, type)) | 0;
}
