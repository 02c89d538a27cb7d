import { TsFlinkError } from '../../core/errors.js';
import { DataInputReader, DataOutputWriter, SerializationError, type TypeSerializer } from '../../runtime/serialization/index.js';
import {
  CheckpointBarrier,
  EndOfDataEvent,
  EndOfPartitionEvent,
  NO_TIMESTAMP,
  WatermarkEvent,
  type BarrierKind,
  type ElementBatch,
} from './stream-elements.js';

const RECORD = 0;
const RECORD_WITH_TIMESTAMP = 1;
const WATERMARK = 2;
const BARRIER = 3;
const END_OF_PARTITION = 4;
const END_OF_DATA = 5;

const BARRIER_KINDS: readonly BarrierKind[] = ['CHECKPOINT', 'SAVEPOINT', 'SYNC_SAVEPOINT'];
/** Set in a barrier's kind byte when the checkpoint halts the sources (CheckpointBarrier.halting). */
const HALTING_BIT = 0x80;

/** A single record whose encoding alone exceeds the largest frame a TaskManager accepts. */
export class RecordTooLargeError extends TsFlinkError {
  constructor(
    readonly recordBytes: number,
    readonly limitBytes: number,
  ) {
    super(
      'RECORD_TOO_LARGE',
      `A record of ${recordBytes} bytes (serialized) exceeds the largest data frame of ${limitBytes} bytes; raise taskmanager.network.max-frame-size on every TaskManager to send it.`,
    );
  }
}

/** Encodes a whole batch (in one frame, whatever its size); see encodeBatchPart. */
export function encodeBatch(batch: ElementBatch, serializer: TypeSerializer<unknown>, out: DataOutputWriter): void {
  encodeBatchPart(batch, 0, serializer, out, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
}

/**
 * Encodes elements of `batch` from index `from` for the wire, stopping once the encoding has reached
 * `targetBytes` (it always holds at least one element), and returns the index of the first element
 * left out. Per element: a tag byte, then the record (with its timestamp when it has one) in the
 * edge's serializer, or the event's fields; events are rare, so a tag per element costs less than a
 * separate index. An element that would take the encoding past `maxBytes` is left for the next
 * part; one that exceeds it alone throws RecordTooLargeError.
 */
export function encodeBatchPart(
  batch: ElementBatch,
  from: number,
  serializer: TypeSerializer<unknown>,
  out: DataOutputWriter,
  targetBytes: number,
  maxBytes: number,
): number {
  const { values, timestamps } = batch;
  const start = out.position;
  const countAt = out.reserveInt32();
  let i = from;
  for (; i < values.length; i++) {
    if (i > from && out.position - start >= targetBytes) break;
    const before = out.position;
    encodeElement(values[i], timestamps[i]!, serializer, out);
    if (out.position - start > maxBytes) {
      if (i === from) throw new RecordTooLargeError(out.position - before, maxBytes);
      out.rewind(before);
      break;
    }
  }
  out.patchInt32(countAt, i - from);
  return i;
}

function encodeElement(value: unknown, timestamp: number, serializer: TypeSerializer<unknown>, out: DataOutputWriter): void {
  if (value instanceof WatermarkEvent) {
    out.writeByte(WATERMARK);
    out.writeFloat64(value.timestamp);
  } else if (value instanceof CheckpointBarrier) {
    out.writeByte(BARRIER);
    out.writeVarUint(value.checkpointId);
    out.writeFloat64(value.timestamp);
    out.writeByte(BARRIER_KINDS.indexOf(value.kind) | (value.halting ? HALTING_BIT : 0));
  } else if (value instanceof EndOfPartitionEvent) {
    out.writeByte(END_OF_PARTITION);
  } else if (value instanceof EndOfDataEvent) {
    out.writeByte(END_OF_DATA);
  } else if (timestamp === timestamp) {
    // not NaN: the record has a timestamp
    out.writeByte(RECORD_WITH_TIMESTAMP);
    out.writeFloat64(timestamp);
    serializer.write(out, value);
  } else {
    out.writeByte(RECORD);
    serializer.write(out, value);
  }
}

/** Decodes what encodeBatch wrote; corrupt bytes raise a SerializationError. */
export function decodeBatch(bytes: Uint8Array, serializer: TypeSerializer<unknown>): ElementBatch {
  const input = new DataInputReader(bytes);
  const count = input.readInt32();
  if (count < 0 || count > input.remaining())
    throw new SerializationError(`a record batch claims ${count} elements in ${input.remaining()} bytes`);
  const values = new Array<unknown>(count);
  const timestamps = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const tag = input.readByte();
    timestamps[i] = NO_TIMESTAMP;
    switch (tag) {
      case RECORD:
        values[i] = serializer.read(input);
        break;
      case RECORD_WITH_TIMESTAMP:
        timestamps[i] = input.readFloat64();
        values[i] = serializer.read(input);
        break;
      case WATERMARK:
        values[i] = new WatermarkEvent(input.readFloat64());
        break;
      case BARRIER:
        values[i] = readBarrier(input);
        break;
      case END_OF_PARTITION:
        values[i] = EndOfPartitionEvent.INSTANCE;
        break;
      case END_OF_DATA:
        values[i] = EndOfDataEvent.INSTANCE;
        break;
      default:
        throw new SerializationError(`unknown element tag ${tag} in a record batch`);
    }
  }
  if (input.remaining() !== 0) throw new SerializationError(`${input.remaining()} stray bytes after a record batch`);
  return { values, timestamps };
}

function readBarrier(input: DataInputReader): CheckpointBarrier {
  const id = input.readVarUint();
  const timestamp = input.readFloat64();
  const byte = input.readByte();
  const kind = BARRIER_KINDS[byte & ~HALTING_BIT];
  if (kind === undefined) throw new SerializationError('unknown barrier kind in a record batch');
  return new CheckpointBarrier(id, timestamp, kind, (byte & HALTING_BIT) !== 0);
}
