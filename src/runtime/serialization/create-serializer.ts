import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import { ListSerializer, MapSerializer, RowSerializer, TupleSerializer } from './composite-serializers.js';
import { GenericSerializer } from './generic-serializer.js';
import {
  BooleanSerializer,
  DoubleSerializer,
  FloatSerializer,
  IntSerializer,
  LongSerializer,
  StringSerializer,
} from './primitive-serializers.js';
import type { TypeSerializer } from './type-serializer.js';

/** The one generic codec instance; it keeps no state between calls. */
export const GENERIC_SERIALIZER: TypeSerializer<unknown> = new GenericSerializer();

const cache = new WeakMap<TypeDescriptor, TypeSerializer<unknown>>();

/**
 * The serializer of `type`: positional, compact encodings for the typed kinds (no tags, no field
 * names), the tagged generic codec for GENERIC. Top-level values must be non-null for typed
 * kinds; nested fields, list elements and map values may be null. Serializers are stateless and
 * cached per descriptor object.
 */
export function createSerializer(type: TypeDescriptor): TypeSerializer<unknown> {
  let serializer = cache.get(type);
  if (serializer === undefined) {
    serializer = build(type);
    cache.set(type, serializer);
  }
  return serializer;
}

function build(type: TypeDescriptor): TypeSerializer<unknown> {
  switch (type.kind) {
    case 'INT':
      return new IntSerializer();
    case 'LONG':
      return new LongSerializer();
    case 'DOUBLE':
      return new DoubleSerializer();
    case 'FLOAT':
      return new FloatSerializer();
    case 'BOOLEAN':
      return new BooleanSerializer();
    case 'STRING':
      return new StringSerializer();
    case 'TUPLE':
      return new TupleSerializer(type.fields.map(createSerializer));
    case 'LIST':
      return new ListSerializer(createSerializer(type.element));
    case 'MAP':
      return new MapSerializer(createSerializer(type.key), createSerializer(type.value));
    case 'ROW':
      return new RowSerializer(
        type.fields.map((f) => f.name),
        type.fields.map((f) => createSerializer(f.type)),
      );
    case 'GENERIC':
      return GENERIC_SERIALIZER;
  }
}
