/**
 * Serializers of the composite types. Nulls are marked in one mask byte per group of eight
 * positions, written just before that group's values, so a 4-field tuple costs one extra byte.
 */
import type { DataInputReader } from './data-input-reader.js';
import type { DataOutputWriter } from './data-output-writer.js';
import { SerializationError } from './serialization-error.js';
import { specializeTuple } from './specialized-tuple.js';
import { describeValue, type TypeSerializer } from './type-serializer.js';

/** TUPLE: a JS array of fixed arity, fields in order; null or undefined fields come back as null. */
export class TupleSerializer implements TypeSerializer<unknown[]> {
  constructor(private readonly fields: readonly TypeSerializer<unknown>[]) {
    // Same format, compiled per tuple type (see specialized-tuple.ts); the loops below serve wider tuples.
    const codec = specializeTuple(fields, (value) => this.refuse(value));
    if (codec !== undefined) {
      this.write = codec.write;
      this.read = codec.read;
    }
  }

  private refuse(value: unknown): never {
    const arity = this.fields.length;
    throw new SerializationError(
      `Cannot write ${describeValue(value)} as a TUPLE of ${arity} field(s): expected an array of exactly ${arity}.`,
    );
  }

  write(out: DataOutputWriter, value: unknown[]): void {
    const fields = this.fields;
    const arity = fields.length;
    if (!Array.isArray(value) || value.length !== arity) this.refuse(value);
    for (let base = 0; base < arity; base += 8) {
      const limit = Math.min(arity, base + 8);
      let mask = 0;
      for (let i = base; i < limit; i++) if (value[i] === null || value[i] === undefined) mask |= 1 << (i - base);
      out.writeByte(mask);
      for (let i = base; i < limit; i++) {
        const f = value[i];
        if (f !== null && f !== undefined) fields[i]!.write(out, f);
      }
    }
  }

  read(inp: DataInputReader): unknown[] {
    const fields = this.fields;
    const arity = fields.length;
    // Pushed, not preallocated: `new Array(n)` makes a holey array, and user functions that see holey
    // tuples from the network beside packed ones from their own source (array literals) turn
    // polymorphic and slow down on every record.
    const result: unknown[] = [];
    let mask = 0;
    for (let i = 0; i < arity; i++) {
      if ((i & 7) === 0) mask = inp.readByte();
      result.push(((mask >>> (i & 7)) & 1) === 1 ? null : fields[i]!.read(inp));
    }
    return result;
  }
}

/** LIST: a JS array of any length; null or undefined elements come back as null. */
export class ListSerializer implements TypeSerializer<unknown[]> {
  constructor(private readonly element: TypeSerializer<unknown>) {}

  write(out: DataOutputWriter, value: unknown[]): void {
    if (!Array.isArray(value)) throw new SerializationError(`Cannot write ${describeValue(value)} as a LIST: expected an array.`);
    const n = value.length;
    out.writeVarUint(n);
    for (let base = 0; base < n; base += 8) {
      const limit = Math.min(n, base + 8);
      let mask = 0;
      for (let i = base; i < limit; i++) if (value[i] === null || value[i] === undefined) mask |= 1 << (i - base);
      out.writeByte(mask);
      for (let i = base; i < limit; i++) {
        const e = value[i];
        if (e !== null && e !== undefined) this.element.write(out, e);
      }
    }
  }

  read(inp: DataInputReader): unknown[] {
    // Every group of eight elements costs at least its mask byte, which bounds the allocation.
    const n = inp.readLength(1 / 8);
    const result = new Array<unknown>(n);
    let mask = 0;
    for (let i = 0; i < n; i++) {
      if ((i & 7) === 0) mask = inp.readByte();
      result[i] = ((mask >>> (i & 7)) & 1) === 1 ? null : this.element.read(inp);
    }
    return result;
  }
}

/**
 * MAP: a JS Map with non-null keys (as Flink's MapSerializer) and nullable values. Layout: count,
 * the value-null masks of all entries, then the entries, so writing needs no buffering.
 */
export class MapSerializer implements TypeSerializer<Map<unknown, unknown>> {
  constructor(
    private readonly key: TypeSerializer<unknown>,
    private readonly value: TypeSerializer<unknown>,
  ) {}

  write(out: DataOutputWriter, map: Map<unknown, unknown>): void {
    if (!(map instanceof Map)) throw new SerializationError(`Cannot write ${describeValue(map)} as a MAP: expected a Map.`);
    out.writeVarUint(map.size);
    let i = 0;
    let mask = 0;
    for (const v of map.values()) {
      if (v === null || v === undefined) mask |= 1 << (i & 7);
      if ((++i & 7) === 0) {
        out.writeByte(mask);
        mask = 0;
      }
    }
    if ((i & 7) !== 0) out.writeByte(mask);
    for (const [k, v] of map) {
      if (k === null || k === undefined)
        throw new SerializationError('Cannot write a MAP with a null or undefined key: map keys must be non-null.');
      this.key.write(out, k);
      if (v !== null && v !== undefined) this.value.write(out, v);
    }
  }

  read(inp: DataInputReader): Map<unknown, unknown> {
    // Every group of eight entries costs at least its mask byte, which bounds the count.
    const n = inp.readLength(1 / 8);
    const masks = inp.readBytes((n + 7) >>> 3);
    const result = new Map<unknown, unknown>();
    for (let i = 0; i < n; i++) {
      const k = this.key.read(inp);
      result.set(k, ((masks[i >>> 3]! >>> (i & 7)) & 1) === 1 ? null : this.value.read(inp));
    }
    return result;
  }
}

/**
 * ROW: an object keyed by field names, or an array by position; it comes back in the form it was
 * written (one extra mask bit records which), fields in the descriptor's order.
 */
export class RowSerializer implements TypeSerializer<unknown> {
  constructor(
    private readonly names: readonly string[],
    private readonly fields: readonly TypeSerializer<unknown>[],
  ) {}

  write(out: DataOutputWriter, row: unknown): void {
    const isArray = Array.isArray(row);
    if (typeof row !== 'object' || row === null || (isArray && row.length !== this.fields.length)) {
      throw new SerializationError(
        `Cannot write ${describeValue(row)} as a ROW of ${this.fields.length} field(s): expected an object with fields ${this.names.join(', ')} or an array of ${this.fields.length}.`,
      );
    }
    const n = this.fields.length;
    // Bit n (past the last field) flags the array form.
    for (let base = 0; base <= n; base += 8) {
      const limit = Math.min(n + 1, base + 8);
      let mask = 0;
      for (let i = base; i < limit; i++) {
        if (i === n) {
          if (isArray) mask |= 1 << (i - base);
        } else {
          const f = this.field(row, isArray, i);
          if (f === null || f === undefined) mask |= 1 << (i - base);
        }
      }
      out.writeByte(mask);
      for (let i = base; i < Math.min(n, limit); i++) {
        const f = this.field(row, isArray, i);
        if (f !== null && f !== undefined) this.fields[i]!.write(out, f);
      }
    }
  }

  private field(row: object, isArray: boolean, i: number): unknown {
    return isArray ? (row as unknown[])[i] : (row as Record<string, unknown>)[this.names[i]!];
  }

  read(inp: DataInputReader): unknown {
    const n = this.fields.length;
    const values = new Array<unknown>(n);
    let mask = 0;
    for (let i = 0; i < n; i++) {
      if ((i & 7) === 0) mask = inp.readByte();
      values[i] = ((mask >>> (i & 7)) & 1) === 1 ? null : this.fields[i]!.read(inp);
    }
    if ((n & 7) === 0) mask = inp.readByte();
    if (((mask >>> (n & 7)) & 1) === 1) return values;
    const row: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) defineField(row, this.names[i]!, values[i]);
    return row;
  }
}

/** Sets an own property, also for the name `__proto__`, which plain assignment would treat as the prototype. */
export function defineField(target: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') {
    Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[name] = value;
  }
}
