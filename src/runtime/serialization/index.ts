/** Binary encodings of records and state: byte streams, typed serializers, the generic codec, canonical keys. */
export * from './serialization-error.js';
export * from './data-output-writer.js';
export * from './data-input-reader.js';
export * from './type-serializer.js';
export * from './primitive-serializers.js';
export * from './composite-serializers.js';
export * from './generic-serializer.js';
export * from './create-serializer.js';
export * from './value-codec.js';
export * from './canonical-key.js';
