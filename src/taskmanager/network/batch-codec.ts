import { DataInputReader, DataOutputWriter, SerializationError, type TypeSerializer } from '../../runtime/serialization/index.js';
import { CheckpointBarrier, EndOfDataEvent, EndOfPartitionEvent, NO_TIMESTAMP, WatermarkEvent, type BarrierKind, type ElementBatch } from './stream-elements.js';

const RECORD = 0;
const RECORD_WITH_TIMESTAMP = 1;
const WATERMARK = 2;
const BARRIER = 3;
const END_OF_PARTITION = 4;
const END_OF_DATA = 5;

const BARRIER_KINDS: readonly BarrierKind[] = ['CHECKPOINT', 'SAVEPOINT', 'SYNC_SAVEPOINT'];

/**
 * Encodes a batch for the wire: per element a tag byte, then the record (with its timestamp when it
 * has one) in the edge's serializer, or the event's fields. Events are rare, so a tag per element
 * costs less than a separate index.
 */
export function encodeBatch(batch: ElementBatch, serializer: TypeSerializer<unknown>, out: DataOutputWriter): void {
  const { values, timestamps } = batch;
  out.writeVarUint(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    const timestamp = timestamps[i]!;
    if (value instanceof WatermarkEvent) {
      out.writeByte(WATERMARK);
      out.writeFloat64(value.timestamp);
    } else if (value instanceof CheckpointBarrier) {
      out.writeByte(BARRIER);
      out.writeVarUint(value.checkpointId);
      out.writeFloat64(value.timestamp);
      out.writeByte(BARRIER_KINDS.indexOf(value.kind));
    } else if (value instanceof EndOfPartitionEvent) {
      out.writeByte(END_OF_PARTITION);
    } else if (value instanceof EndOfDataEvent) {
      out.writeByte(END_OF_DATA);
    } else if (timestamp === timestamp) { // not NaN: the record has a timestamp
      out.writeByte(RECORD_WITH_TIMESTAMP);
      out.writeFloat64(timestamp);
      serializer.write(out, value);
    } else {
      out.writeByte(RECORD);
      serializer.write(out, value);
    }
  }
}

/** Decodes what encodeBatch wrote; corrupt bytes raise a SerializationError. */
export function decodeBatch(bytes: Uint8Array, serializer: TypeSerializer<unknown>): ElementBatch {
  const input = new DataInputReader(bytes);
  const count = input.readLength(1);
  const values = new Array<unknown>(count);
  const timestamps = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const tag = input.readByte();
    timestamps[i] = NO_TIMESTAMP;
    switch (tag) {
      case RECORD: values[i] = serializer.read(input); break;
      case RECORD_WITH_TIMESTAMP: timestamps[i] = input.readFloat64(); values[i] = serializer.read(input); break;
      case WATERMARK: values[i] = new WatermarkEvent(input.readFloat64()); break;
      case BARRIER: values[i] = readBarrier(input); break;
      case END_OF_PARTITION: values[i] = EndOfPartitionEvent.INSTANCE; break;
      case END_OF_DATA: values[i] = EndOfDataEvent.INSTANCE; break;
      default: throw new SerializationError(`unknown element tag ${tag} in a record batch`);
    }
  }
  if (input.remaining() !== 0) throw new SerializationError(`${input.remaining()} stray bytes after a record batch`);
  return { values, timestamps };
}

function readBarrier(input: DataInputReader): CheckpointBarrier {
  const id = input.readVarUint();
  const timestamp = input.readFloat64();
  const kind = BARRIER_KINDS[input.readByte()];
  if (kind === undefined) throw new SerializationError('unknown barrier kind in a record batch');
  return new CheckpointBarrier(id, timestamp, kind);
}
