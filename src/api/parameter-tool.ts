/** Program arguments as Flink's ParameterTool reads them: `--key value`, `-key value`, flags, repeated keys. */
import { TsFlinkError } from '../core/errors.js';

/** A required argument is missing or a value has the wrong form. */
export class ParameterError extends TsFlinkError {
  constructor(message: string) {
    super('PARAMETER_INVALID', message);
  }
}

/** The value Flink stores for a key given without a value (`--verbose`). */
export const NO_VALUE_KEY = '__NO_VALUE_KEY';

function isNumber(s: string): boolean {
  return s.trim() !== '' && !Number.isNaN(Number(s));
}

/** Parsed program arguments. */
export class ParameterTool {
  private constructor(private readonly values: ReadonlyMap<string, readonly string[]>) {}

  /** Parses `--key value` / `-key value` pairs; a key followed by another key (or nothing) is a flag. */
  static fromArgs(args: readonly string[]): ParameterTool {
    const values = new Map<string, string[]>();
    let i = 0;
    while (i < args.length) {
      const arg = args[i]!;
      let key: string;
      if (arg.startsWith('--')) key = arg.slice(2);
      else if (arg.startsWith('-')) key = arg.slice(1);
      else throw new ParameterError(`Error parsing arguments '${args.join(' ')}' on '${arg}': prefix keys with -- or -`);
      if (key === '') throw new ParameterError(`The arguments '${args.join(' ')}' contain an empty key`);
      i++;
      let value = NO_VALUE_KEY;
      const next = args[i];
      if (next !== undefined && (isNumber(next) || !next.startsWith('-'))) {
        value = next;
        i++;
      }
      const list = values.get(key);
      if (list === undefined) values.set(key, [value]);
      else list.push(value);
    }
    return new ParameterTool(values);
  }

  /** Builds from a plain map. */
  static fromMap(map: Readonly<Record<string, string>>): ParameterTool {
    return new ParameterTool(new Map(Object.entries(map).map(([k, v]) => [k, [v]])));
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  /** The value of `key` (the last one when repeated), else `defaultValue`. */
  get(key: string): string | undefined;
  get(key: string, defaultValue: string): string;
  get(key: string, defaultValue?: string): string | undefined {
    const list = this.values.get(key);
    return list === undefined ? defaultValue : list[list.length - 1];
  }

  getRequired(key: string): string {
    const value = this.get(key);
    if (value === undefined) throw new ParameterError(`No data for required key '${key}'`);
    return value;
  }

  /** Every value given for `key`, in order (for repeated `--input a --input b`). */
  getMultiParameter(key: string): string[] | undefined {
    const list = this.values.get(key);
    return list === undefined ? undefined : [...list];
  }

  getMultiParameterRequired(key: string): string[] {
    const list = this.getMultiParameter(key);
    if (list === undefined) throw new ParameterError(`No data for required key '${key}'`);
    return list;
  }

  getInt(key: string, defaultValue?: number): number {
    return this.number(key, defaultValue, true);
  }

  getLong(key: string, defaultValue?: number): number {
    return this.number(key, defaultValue, true);
  }

  getDouble(key: string, defaultValue?: number): number {
    return this.number(key, defaultValue, false);
  }

  getBoolean(key: string, defaultValue?: boolean): boolean {
    const value = this.get(key);
    if (value === undefined) {
      if (defaultValue === undefined) throw new ParameterError(`No data for required key '${key}'`);
      return defaultValue;
    }
    return value.toLowerCase() === 'true';
  }

  private number(key: string, defaultValue: number | undefined, integer: boolean): number {
    const value = this.get(key);
    if (value === undefined) {
      if (defaultValue === undefined) throw new ParameterError(`No data for required key '${key}'`);
      return defaultValue;
    }
    const n = Number(value);
    if (value.trim() === '' || Number.isNaN(n) || (integer && !Number.isInteger(n))) {
      throw new ParameterError(`Value '${value}' of '${key}' is not ${integer ? 'an integer' : 'a number'}`);
    }
    return n;
  }

  getNumberOfParameters(): number {
    return this.values.size;
  }

  toMap(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.values) out[k] = v[v.length - 1]!;
    return out;
  }
}
