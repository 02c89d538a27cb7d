/** Turns keyBy's argument (a function, a tuple position, an object field) into a key selector with a key type. */
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import type { KeySelector } from '../../runtime/functions/function-types.js';
import type { KeyedInputInfo } from '../../runtime/operators/stream-operator.js';
import { InvalidProgramError } from '../api-errors.js';

/** The key selector and key type for keyBy(key). */
export function keySelectorFor<T, K>(
  key: KeySelector<T, K> | number | string,
  streamType: TypeDescriptor,
  keyType?: TypeDescriptor,
): KeyedInputInfo {
  if (typeof key === 'function') return { selector: key as (v: unknown) => unknown, keyType };
  if (typeof key === 'object' && key !== null && typeof key.getKey === 'function') {
    return { selector: (v) => key.getKey(v as T), keyType };
  }
  if (typeof key === 'number') {
    if (!Number.isInteger(key) || key < 0) throw new InvalidProgramError(`keyBy position must be an integer >= 0, got ${key}`);
    if (streamType.kind === 'TUPLE' && key >= streamType.fields.length) {
      throw new InvalidProgramError(`keyBy position ${key} is out of range: the tuple has ${streamType.fields.length} fields`);
    }
    const fieldType = streamType.kind === 'TUPLE' ? streamType.fields[key] : undefined;
    return { selector: (v) => (v as unknown[])[key], keyType: keyType ?? fieldType };
  }
  if (typeof key === 'string') {
    const fieldType = streamType.kind === 'ROW' ? streamType.fields.find((f) => f.name === key)?.type : undefined;
    return { selector: (v) => (v as Record<string, unknown>)[key], keyType: keyType ?? fieldType };
  }
  throw new InvalidProgramError('keyBy needs a key selector function, a tuple position or a field name');
}
