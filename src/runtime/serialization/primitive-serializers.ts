/** Compact serializers of the scalar types: varints for integers, fixed widths for floats. */
import type { DataInputReader } from './data-input-reader.js';
import type { DataOutputWriter } from './data-output-writer.js';
import { SerializationError } from './serialization-error.js';
import { describeValue, type TypeSerializer } from './type-serializer.js';

function mismatch(kind: string, accepted: string, value: unknown): SerializationError {
  return new SerializationError(`Cannot write ${describeValue(value)} as ${kind}: expected ${accepted}.`);
}

/** INT: a zigzag varint of an int32 number. */
export class IntSerializer implements TypeSerializer<number> {
  write(out: DataOutputWriter, value: number): void {
    if ((value | 0) !== value) throw mismatch('INT', 'an integer number in the 32-bit range', value);
    out.writeVarInt(value);
  }

  read(inp: DataInputReader): number {
    const v = inp.readVarInt();
    if ((v | 0) !== v) throw new SerializationError(`Corrupt INT before offset ${inp.position}: ${v} is outside the 32-bit range.`);
    return v;
  }
}

/** LONG: a safe-integer number or an int64 bigint, each read back as what it was. */
export class LongSerializer implements TypeSerializer<number | bigint> {
  write(out: DataOutputWriter, value: number | bigint): void {
    out.writeVarLong(value);
  }

  read(inp: DataInputReader): number | bigint {
    return inp.readVarLong();
  }
}

/** DOUBLE: 8 bytes IEEE 754; -0 and NaN survive. */
export class DoubleSerializer implements TypeSerializer<number> {
  write(out: DataOutputWriter, value: number): void {
    if (typeof value !== 'number') throw mismatch('DOUBLE', 'a number', value);
    out.writeFloat64(value);
  }

  read(inp: DataInputReader): number {
    return inp.readFloat64();
  }
}

/** FLOAT: 4 bytes IEEE 754, so the value comes back rounded to single precision, as in Java. */
export class FloatSerializer implements TypeSerializer<number> {
  write(out: DataOutputWriter, value: number): void {
    if (typeof value !== 'number') throw mismatch('FLOAT', 'a number', value);
    out.writeFloat32(value);
  }

  read(inp: DataInputReader): number {
    return inp.readFloat32();
  }
}

/** BOOLEAN: one byte, 0 or 1. */
export class BooleanSerializer implements TypeSerializer<boolean> {
  write(out: DataOutputWriter, value: boolean): void {
    if (typeof value !== 'boolean') throw mismatch('BOOLEAN', 'true or false', value);
    out.writeByte(value ? 1 : 0);
  }

  read(inp: DataInputReader): boolean {
    return inp.readBoolean();
  }
}

/** STRING: UTF-8 with a varint byte count. */
export class StringSerializer implements TypeSerializer<string> {
  write(out: DataOutputWriter, value: string): void {
    if (typeof value !== 'string') throw mismatch('STRING', 'a string', value);
    out.writeString(value);
  }

  read(inp: DataInputReader): string {
    return inp.readString();
  }
}
