import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import { createSerializer, GENERIC_SERIALIZER } from './create-serializer.js';
import { DataInputReader } from './data-input-reader.js';
import { DataOutputWriter } from './data-output-writer.js';
import { SerializationError } from './serialization-error.js';

const sharedWriter = new DataOutputWriter(1024);

/** Encodes one value on its own (state entries, snapshots); GENERIC when no type is given. Returns a fresh copy. */
export function encodeValue(value: unknown, type?: TypeDescriptor): Buffer {
  const serializer = type === undefined ? GENERIC_SERIALIZER : createSerializer(type);
  sharedWriter.reset();
  serializer.write(sharedWriter, value);
  return sharedWriter.toBuffer();
}

/** Decodes what `encodeValue` produced with the same type; trailing bytes mean corruption. */
export function decodeValue(bytes: Uint8Array, type?: TypeDescriptor): unknown {
  const serializer = type === undefined ? GENERIC_SERIALIZER : createSerializer(type);
  const reader = new DataInputReader(bytes);
  const value = serializer.read(reader);
  if (reader.remaining() !== 0) {
    throw new SerializationError(`Corrupt encoded value: ${reader.remaining()} byte(s) left over after decoding ${bytes.length}.`);
  }
  return value;
}
