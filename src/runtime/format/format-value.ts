/**
 * The text Flink's `print()` and `SimpleStringEncoder` write for a record: Java's `toString()` of
 * the value the TypeDescriptor describes. TUPLE `(a,b,c)`, LIST `[a, b]`, MAP `{k=v, k2=v2}`,
 * ROW `+I[a, b]`, DOUBLE and FLOAT by Java's rules, null as `null`. Without a type (GENERIC) values
 * print the JS way: arrays as tuples, Map/Set like Java collections, objects by their own
 * `toString()` when they have one, else as JSON.
 */
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import { formatJavaDouble, formatJavaFloat } from './format-java-double.js';

/** What Flink's `print()` writes for `value` of type `type`. */
export function formatValue(value: unknown, type?: TypeDescriptor): string {
  if (type === undefined || type.kind === 'GENERIC') return formatGeneric(value);
  if (value === null || value === undefined) return 'null';
  switch (type.kind) {
    case 'INT':
    case 'LONG':
      return typeof value === 'number' || typeof value === 'bigint' ? formatIntegral(value) : formatGeneric(value);
    case 'DOUBLE':
      return typeof value === 'number' ? formatJavaDouble(value) : formatGeneric(value);
    case 'FLOAT':
      return typeof value === 'number' ? formatJavaFloat(value) : formatGeneric(value);
    case 'BOOLEAN':
      return typeof value === 'boolean' ? String(value) : formatGeneric(value);
    case 'STRING':
      return typeof value === 'string' ? value : formatGeneric(value);
    case 'TUPLE':
      return Array.isArray(value) ? formatTuple(value, type.fields) : formatGeneric(value);
    case 'LIST':
      return Array.isArray(value) ? formatList(value, type.element) : formatGeneric(value);
    case 'MAP':
      return formatMap(value, type.key, type.value);
    case 'ROW':
      return formatRow(value, type.fields);
  }
}

/** An integer as Java prints a long: all digits, never exponent notation. */
function formatIntegral(value: number | bigint): string {
  if (typeof value === 'bigint' || !Number.isInteger(value) || Number.isSafeInteger(value)) return String(value);
  return BigInt(value).toString();
}

function formatTuple(fields: readonly unknown[], types: readonly TypeDescriptor[]): string {
  let s = '(';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) s += ',';
    s += formatValue(fields[i], types[i]);
  }
  return `${s})`;
}

function formatList(elements: readonly unknown[], type: TypeDescriptor): string {
  let s = '[';
  for (let i = 0; i < elements.length; i++) {
    if (i > 0) s += ', ';
    s += formatValue(elements[i], type);
  }
  return `${s}]`;
}

function formatMap(value: unknown, keyType: TypeDescriptor, valueType: TypeDescriptor): string {
  let entries: Iterable<readonly [unknown, unknown]>;
  if (value instanceof Map) entries = value;
  else if (typeof value === 'object' && value !== null && !Array.isArray(value)) entries = Object.entries(value);
  else return formatGeneric(value);
  const parts: string[] = [];
  for (const [k, v] of entries) parts.push(`${formatValue(k, keyType)}=${formatValue(v, valueType)}`);
  return `{${parts.join(', ')}}`;
}

function formatRow(value: unknown, fields: readonly { readonly name: string; readonly type: TypeDescriptor }[]): string {
  if (typeof value !== 'object' || value === null) return formatGeneric(value);
  const parts: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = Array.isArray(value) ? value[i] : (value as Record<string, unknown>)[fields[i]!.name];
    parts.push(formatValue(field, fields[i]!.type));
  }
  // RowKind INSERT's short string; rows built by jobs are inserts.
  return `+I[${parts.join(', ')}]`;
}

/** The JS-flavoured rendering of a value without a type. */
export function formatGeneric(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
    case 'symbol':
      return String(value);
    case 'function':
      return `[function ${value.name}]`;
    default:
      return formatGenericObject(value as object | null);
  }
}

function formatGenericObject(value: object | null): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `(${value.map(formatGeneric).join(',')})`;
  if (value instanceof Map) {
    const parts: string[] = [];
    for (const [k, v] of value) parts.push(`${formatGeneric(k)}=${formatGeneric(v)}`);
    return `{${parts.join(', ')}}`;
  }
  if (value instanceof Set) return `[${Array.from(value, formatGeneric).join(', ')}]`;
  const own = (value as { toString?: unknown }).toString;
  if (typeof own === 'function' && own !== Object.prototype.toString) return String(own.call(value));
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value);
  } catch {
    // Cycles cannot be JSON; fall back to the default tag rather than failing the sink.
    return Object.prototype.toString.call(value);
  }
}
