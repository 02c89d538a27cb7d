import type { DataInputReader } from './data-input-reader.js';
import type { DataOutputWriter } from './data-output-writer.js';

/** Writes and reads values of one type; both ends of an edge or a state build it from the same TypeDescriptor. */
export interface TypeSerializer<T> {
  write(out: DataOutputWriter, value: T): void;
  read(inp: DataInputReader): T;
}

/** A short description of a value for error messages: its JS type or class and a bounded preview. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`;
    case 'undefined':
    case 'function':
    case 'symbol':
      return typeof value;
    default: {
      if (Array.isArray(value)) return `array of ${value.length}`;
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto === null || proto === Object.prototype) return 'plain object';
      const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
      return typeof name === 'string' && name !== '' ? `instance of ${name}` : 'object of an unnamed class';
    }
  }
}
