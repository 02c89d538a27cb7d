/** How one state's stored values are encoded in snapshots: with the descriptor's type when given. */
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import { canonicalKey, decodeValue, encodeValue } from '../serialization/index.js';
import type { AnyStateDescriptor } from './state-descriptors.js';

/** Encodes and decodes the heap form of one state's values. */
export interface StateValueCodec {
  encode(value: unknown): Uint8Array;
  decode(bytes: Uint8Array): unknown;
}

function typed(type: TypeDescriptor | undefined): StateValueCodec {
  return { encode: (v) => encodeValue(v, type), decode: (b) => decodeValue(b, type) };
}

/** The codec for the values of the state `descriptor` describes. */
export function stateValueCodec(descriptor: AnyStateDescriptor): StateValueCodec {
  switch (descriptor.kind) {
    case 'value':
    case 'reducing':
      return typed(descriptor.type);
    case 'aggregating':
      return typed(descriptor.accumulatorType);
    case 'list':
      return typed(descriptor.elementType === undefined ? undefined : { kind: 'LIST', element: descriptor.elementType });
    case 'map':
      return mapCodec(descriptor.keyType, descriptor.valueType);
  }
}

// The heap form of a map state is Map<canonical user key, [user key, value]>; snapshots hold [key, value] pairs.
function mapCodec(keyType: TypeDescriptor | undefined, valueType: TypeDescriptor | undefined): StateValueCodec {
  const pairType: TypeDescriptor | undefined =
    keyType === undefined && valueType === undefined
      ? undefined
      : { kind: 'LIST', element: { kind: 'TUPLE', fields: [keyType ?? { kind: 'GENERIC' }, valueType ?? { kind: 'GENERIC' }] } };
  return {
    encode: (v) => encodeValue([...(v as Map<unknown, [unknown, unknown]>).values()], pairType),
    decode: (b) => {
      const pairs = decodeValue(b, pairType) as [unknown, unknown][];
      const m = new Map<unknown, [unknown, unknown]>();
      for (const [k, val] of pairs) m.set(canonicalKey(k, keyType), [k, val]);
      return m;
    },
  };
}
