import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import { createSerializer } from './create-serializer.js';
import { DataOutputWriter } from './data-output-writer.js';
import { GenericSerializer } from './generic-serializer.js';

const canonicalGeneric = new GenericSerializer(true);
const keyWriter = new DataOutputWriter(256);

/**
 * A JS Map key with value equality for any record key. Numbers, strings, booleans and bigints stay
 * themselves (Map already compares them by value). Anything else (tuples, objects, null) becomes the
 * latin1 string of its encoding: the typed encoding when a non-GENERIC type is given, else the
 * generic encoding with plain-object keys sorted. Map and Set keys keep insertion order.
 *
 * A composite key's string could equal a string key of the same stream only if a stream mixed
 * string keys with composite ones and a string spelled out the binary encoding; key types are
 * uniform per stream in practice.
 */
export function canonicalKey(value: unknown, type?: TypeDescriptor): string | number | boolean | bigint {
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'bigint':
      return value;
    default:
      keyWriter.reset();
      if (type === undefined || type.kind === 'GENERIC' || value === null || value === undefined) {
        canonicalGeneric.write(keyWriter, value);
      } else {
        createSerializer(type).write(keyWriter, value);
      }
      return keyWriter.toLatin1String();
  }
}
