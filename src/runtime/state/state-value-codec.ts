/** How one state's stored values are encoded in snapshots: with the descriptor's type when given. */
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import {
  canonicalKey,
  createSerializer,
  GENERIC_SERIALIZER,
  type DataInputReader,
  type DataOutputWriter,
  type TypeSerializer,
} from '../serialization/index.js';
import type { AnyStateDescriptor } from './state-descriptors.js';

/** Writes and reads the heap form of one state's values, straight into and out of a snapshot stream. */
export interface StateValueCodec {
  write(out: DataOutputWriter, value: unknown): void;
  read(inp: DataInputReader): unknown;
}

/** The serializer of `type`, the generic codec when the type is unknown. */
export function serializerOf(type: TypeDescriptor | undefined): TypeSerializer<unknown> {
  return type === undefined ? GENERIC_SERIALIZER : createSerializer(type);
}

/** The codec for the values of the state `descriptor` describes. */
export function stateValueCodec(descriptor: AnyStateDescriptor): StateValueCodec {
  switch (descriptor.kind) {
    case 'value':
    case 'reducing':
      return serializerOf(descriptor.type);
    case 'aggregating':
      return serializerOf(descriptor.accumulatorType);
    case 'list':
      return serializerOf(descriptor.elementType === undefined ? undefined : { kind: 'LIST', element: descriptor.elementType });
    case 'map':
      return mapCodec(descriptor.keyType, descriptor.valueType);
  }
}

// The heap form of a map state is Map<canonical user key, [user key, value]>; snapshots hold [key, value] pairs.
function mapCodec(keyType: TypeDescriptor | undefined, valueType: TypeDescriptor | undefined): StateValueCodec {
  const pairs = serializerOf(
    keyType === undefined && valueType === undefined
      ? undefined
      : { kind: 'LIST', element: { kind: 'TUPLE', fields: [keyType ?? { kind: 'GENERIC' }, valueType ?? { kind: 'GENERIC' }] } },
  );
  return {
    write: (out, v) => pairs.write(out, [...(v as Map<unknown, [unknown, unknown]>).values()]),
    read: (inp) => {
      const m = new Map<unknown, [unknown, unknown]>();
      for (const [k, val] of pairs.read(inp) as [unknown, unknown][]) m.set(canonicalKey(k, keyType), [k, val]);
      return m;
    },
  };
}
