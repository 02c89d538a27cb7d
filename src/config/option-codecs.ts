import type { OptionType } from './config-option.js';
import { DURATION_EXPECTED, formatDuration, parseDuration } from './duration.js';
import { MEMORY_SIZE_EXPECTED, formatMemorySize, parseMemorySize } from './memory-size.js';
import {
  BOOLEAN_EXPECTED,
  DOUBLE_EXPECTED,
  MAP_EXPECTED,
  enumExpected,
  integerExpected,
  parseBoolean,
  parseDouble,
  parseEnumValue,
  parseInteger,
  parseList,
  parseMap,
} from './scalar-parsers.js';

/** How one value type is parsed, described and printed; the builders pair it with a key. */
export interface OptionCodec<T> {
  readonly type: OptionType;
  readonly expected: string;
  readonly enumValues?: readonly string[];
  parse(text: string): T;
  format(value: T): string;
}

/** Strings are kept as written (trimmed). */
export const STRING_CODEC: OptionCodec<string> = {
  type: 'string',
  expected: 'a string',
  parse: (text) => text.trim(),
  format: (value) => `"${value}"`,
};

export const INT_CODEC: OptionCodec<number> = {
  type: 'int',
  expected: integerExpected(32),
  parse: (text) => parseInteger(text, 32),
  format: String,
};

export const LONG_CODEC: OptionCodec<number> = {
  type: 'long',
  expected: integerExpected(64),
  parse: (text) => parseInteger(text, 64),
  format: String,
};

export const DOUBLE_CODEC: OptionCodec<number> = {
  type: 'double',
  expected: DOUBLE_EXPECTED,
  parse: parseDouble,
  format: (value) => (Number.isInteger(value) ? value.toFixed(1) : String(value)),
};

export const BOOLEAN_CODEC: OptionCodec<boolean> = {
  type: 'boolean',
  expected: BOOLEAN_EXPECTED,
  parse: parseBoolean,
  format: String,
};

export const MEMORY_CODEC: OptionCodec<number> = {
  type: 'memory',
  expected: MEMORY_SIZE_EXPECTED,
  parse: parseMemorySize,
  format: formatMemorySize,
};

export const MAP_CODEC: OptionCodec<Readonly<Record<string, string>>> = {
  type: 'map',
  expected: MAP_EXPECTED,
  parse: parseMap,
  format: (value) =>
    Object.entries(value)
      .map(([k, v]) => `${k}:${v}`)
      .join(','),
};

/** Durations in ms; `allowNegative` only where a negative value has a documented meaning. */
export function durationCodec(allowNegative = false): OptionCodec<number> {
  return {
    type: 'duration',
    expected: allowNegative ? `${DURATION_EXPECTED}, or -1 to wait forever` : DURATION_EXPECTED,
    parse: (text) => parseDuration(text, { allowNegative }),
    format: formatDuration,
  };
}

/** Case-insensitive enum with optional aliases, normalised to the canonical spelling. */
export function enumCodec<V extends string>(
  values: readonly V[],
  aliases: Readonly<Record<string, V>> = {},
  expected = enumExpected(values, aliases),
): OptionCodec<V> {
  return {
    type: 'enum',
    expected,
    enumValues: values,
    parse: (text) => parseEnumValue(text, values, aliases, expected),
    format: String,
  };
}

/** Lists in Flink's `a;b` form; `separators` widens it where Flink also splits on other characters. */
export function listCodec(separators: RegExp = /;/): OptionCodec<readonly string[]> {
  return {
    type: 'list',
    expected: "a list such as 'a;b;c'",
    parse: (text) => parseList(text, separators),
    format: (value) => value.join(';'),
  };
}
