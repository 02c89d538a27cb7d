/**
 * Copies a user function object for one subtask, as Flink deserializes a fresh copy of every
 * function per parallel instance: own data properties are copied deeply, prototypes are kept, and
 * functions (closures) are shared because their captured state cannot be copied.
 */

/** A per-subtask copy of `value`; plain functions and primitives come back as they are. */
export function copyUserFunction<T>(value: T): T {
  return copyDeep(value, new Map()) as T;
}

function copyDeep(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(copyDeep(item, seen));
    return out;
  }
  if (value instanceof Map) {
    const out = new Map();
    seen.set(value, out);
    for (const [k, v] of value) out.set(copyDeep(k, seen), copyDeep(v, seen));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set();
    seen.set(value, out);
    for (const v of value) out.add(copyDeep(v, seen));
    return out;
  }
  if (value instanceof Date) return new Date(value.getTime());
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Promise) return value;
  return copyObject(value, seen);
}

function copyObject(value: object, seen: Map<object, unknown>): object {
  const out = Object.create(Object.getPrototypeOf(value) as object | null) as Record<PropertyKey, unknown>;
  seen.set(value, out);
  for (const key of Reflect.ownKeys(value)) {
    const desc = Object.getOwnPropertyDescriptor(value, key)!;
    if ('value' in desc) desc.value = copyDeep(desc.value, seen);
    Object.defineProperty(out, key, desc);
  }
  return out;
}
