/**
 * The self-describing codec of GENERIC values: a tag byte before every value. It carries null,
 * undefined, booleans, numbers (int32, safe integers and doubles apart, so -0 and NaN survive),
 * bigints, strings, arrays, plain objects, Map, Set, Date, Uint8Array and Buffer, nested freely,
 * and refuses anything else at write time (functions, symbols, class instances).
 */
import type { DataInputReader } from './data-input-reader.js';
import type { DataOutputWriter } from './data-output-writer.js';
import { defineField } from './composite-serializers.js';
import { SerializationError } from './serialization-error.js';
import { describeValue, type TypeSerializer } from './type-serializer.js';

const enum Tag {
  NULL = 0,
  UNDEFINED = 1,
  FALSE = 2,
  TRUE = 3,
  INT32 = 4,
  SAFE_INTEGER = 5,
  DOUBLE = 6,
  BIGINT = 7,
  STRING = 8,
  ARRAY = 9,
  OBJECT = 10,
  MAP = 11,
  SET = 12,
  DATE = 13,
  UINT8ARRAY = 14,
  BUFFER = 15,
}

/** Deep enough for any sane record; stops cyclic values and hostile input before the stack does. */
export const MAX_GENERIC_DEPTH = 256;

const ACCEPTED =
  'the generic codec carries null, undefined, booleans, numbers, bigints, strings, arrays, plain objects, Map, Set, Date and Uint8Array/Buffer';

/** Tagged codec of GENERIC values; `canonical` sorts plain-object keys so equal objects encode equally. */
export class GenericSerializer implements TypeSerializer<unknown> {
  constructor(private readonly canonical = false) {}

  write(out: DataOutputWriter, value: unknown): void {
    this.writeValue(out, value, 0);
  }

  read(inp: DataInputReader): unknown {
    return this.readValue(inp, 0);
  }

  private writeValue(out: DataOutputWriter, value: unknown, depth: number): void {
    switch (typeof value) {
      case 'number':
        return writeNumber(out, value);
      case 'string':
        out.writeByte(Tag.STRING);
        return out.writeString(value);
      case 'boolean':
        return out.writeByte(value ? Tag.TRUE : Tag.FALSE);
      case 'undefined':
        return out.writeByte(Tag.UNDEFINED);
      case 'bigint':
        return writeBigInt(out, value);
      case 'object':
        if (value === null) return out.writeByte(Tag.NULL);
        if (depth >= MAX_GENERIC_DEPTH) {
          throw new SerializationError(`Cannot write a value nested deeper than ${MAX_GENERIC_DEPTH} levels (is it cyclic?).`);
        }
        return this.writeObject(out, value, depth + 1);
      default:
        throw new SerializationError(`Cannot write a ${typeof value}: ${ACCEPTED}.`);
    }
  }

  private writeObject(out: DataOutputWriter, value: object, depth: number): void {
    if (Array.isArray(value)) {
      out.writeByte(Tag.ARRAY);
      out.writeVarUint(value.length);
      for (let i = 0; i < value.length; i++) this.writeValue(out, value[i], depth);
      return;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) return this.writePlainObject(out, value as Record<string, unknown>, depth);
    if (value instanceof Map && proto === Map.prototype) {
      out.writeByte(Tag.MAP);
      out.writeVarUint(value.size);
      for (const [k, v] of value) {
        this.writeValue(out, k, depth);
        this.writeValue(out, v, depth);
      }
      return;
    }
    if (value instanceof Set && proto === Set.prototype) {
      out.writeByte(Tag.SET);
      out.writeVarUint(value.size);
      for (const e of value) this.writeValue(out, e, depth);
      return;
    }
    if (value instanceof Date && proto === Date.prototype) {
      out.writeByte(Tag.DATE);
      return out.writeFloat64(value.getTime());
    }
    if (value instanceof Uint8Array && (proto === Uint8Array.prototype || proto === Buffer.prototype)) {
      out.writeByte(proto === Buffer.prototype ? Tag.BUFFER : Tag.UINT8ARRAY);
      out.writeVarUint(value.length);
      return out.writeBytes(value);
    }
    throw new SerializationError(`Cannot write an ${describeValue(value)}: ${ACCEPTED}.`, {
      suggestion: 'Give the stream an explicit type or convert the value to plain data (e.g. a plain object or an array).',
    });
  }

  private writePlainObject(out: DataOutputWriter, value: Record<string, unknown>, depth: number): void {
    const keys = Object.keys(value);
    if (this.canonical) keys.sort();
    out.writeByte(Tag.OBJECT);
    out.writeVarUint(keys.length);
    for (const key of keys) {
      out.writeString(key);
      this.writeValue(out, value[key], depth);
    }
  }

  private readValue(inp: DataInputReader, depth: number): unknown {
    const tag = inp.readByte();
    switch (tag) {
      case Tag.NULL:
        return null;
      case Tag.UNDEFINED:
        return undefined;
      case Tag.FALSE:
        return false;
      case Tag.TRUE:
        return true;
      case Tag.INT32: {
        const v = inp.readVarInt();
        if ((v | 0) !== v) throw new SerializationError(`Corrupt int32 before offset ${inp.position}: ${v}.`);
        return v;
      }
      case Tag.SAFE_INTEGER:
        return inp.readVarInt();
      case Tag.DOUBLE:
        return inp.readFloat64();
      case Tag.BIGINT:
        return readBigInt(inp);
      case Tag.STRING:
        return inp.readString();
      case Tag.DATE:
        return new Date(inp.readFloat64());
      case Tag.UINT8ARRAY:
        return new Uint8Array(inp.readBytes(inp.readLength(1)));
      case Tag.BUFFER:
        return Buffer.from(inp.readBytes(inp.readLength(1)));
      default:
        if (tag > Tag.BUFFER) throw new SerializationError(`Corrupt generic value: unknown tag ${tag} at offset ${inp.position - 1}.`);
        if (depth >= MAX_GENERIC_DEPTH)
          throw new SerializationError(`Corrupt generic value: nested deeper than ${MAX_GENERIC_DEPTH} levels.`);
        return this.readContainer(inp, tag, depth + 1);
    }
  }

  private readContainer(inp: DataInputReader, tag: number, depth: number): unknown {
    switch (tag) {
      case Tag.ARRAY: {
        const n = inp.readLength(1);
        const result = new Array<unknown>(n);
        for (let i = 0; i < n; i++) result[i] = this.readValue(inp, depth);
        return result;
      }
      case Tag.OBJECT: {
        const n = inp.readLength(2);
        const result: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const key = inp.readString();
          defineField(result, key, this.readValue(inp, depth));
        }
        return result;
      }
      case Tag.MAP: {
        const n = inp.readLength(2);
        const result = new Map<unknown, unknown>();
        for (let i = 0; i < n; i++) {
          const k = this.readValue(inp, depth);
          result.set(k, this.readValue(inp, depth));
        }
        return result;
      }
      default: {
        const n = inp.readLength(1);
        const result = new Set<unknown>();
        for (let i = 0; i < n; i++) result.add(this.readValue(inp, depth));
        return result;
      }
    }
  }
}

function writeNumber(out: DataOutputWriter, value: number): void {
  if ((value | 0) === value && !Object.is(value, -0)) {
    out.writeByte(Tag.INT32);
    out.writeVarInt(value);
  } else if (Number.isSafeInteger(value) && !Object.is(value, -0)) {
    out.writeByte(Tag.SAFE_INTEGER);
    out.writeVarInt(value);
  } else {
    out.writeByte(Tag.DOUBLE);
    out.writeFloat64(value);
  }
}

/** Sign in the low bit of the byte count, then the magnitude big-endian. */
function writeBigInt(out: DataOutputWriter, value: bigint): void {
  const negative = value < 0n;
  let hex = (negative ? -value : value).toString(16);
  if (hex === '0') hex = '';
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const magnitude = Buffer.from(hex, 'hex');
  out.writeByte(Tag.BIGINT);
  out.writeVarUint(magnitude.length * 2 + (negative ? 1 : 0));
  out.writeBytes(magnitude);
}

function readBigInt(inp: DataInputReader): bigint {
  const header = inp.readVarUint();
  const length = Math.floor(header / 2);
  if (length > inp.remaining()) {
    throw new SerializationError(`Corrupt bigint at offset ${inp.position}: ${length} byte(s) announced, ${inp.remaining()} remain.`);
  }
  const bytes = inp.readBytes(length);
  const magnitude = length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, length).toString('hex')}`);
  return header % 2 === 1 ? -magnitude : magnitude;
}
