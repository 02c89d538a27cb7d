import type { ConfigOption, OptionType, PatternOption } from './config-option.js';
import {
  BOOLEAN_CODEC,
  DOUBLE_CODEC,
  INT_CODEC,
  LONG_CODEC,
  MAP_CODEC,
  MEMORY_CODEC,
  STRING_CODEC,
  durationCodec,
  enumCodec,
  listCodec,
  type OptionCodec,
} from './option-codecs.js';

/** What a table entry declares besides its key and type. */
export interface OptionSpec<T> {
  readonly description: string;
  readonly default?: T;
  /** Overrides the printed default, e.g. `infinite` or `the OS temp dir`. */
  readonly defaultText?: string;
  readonly fallbackKeys?: readonly string[];
  readonly deprecatedKeys?: readonly string[];
  /** Range check on the parsed value; returns the problem ("expected ...") or undefined. */
  readonly check?: (value: T) => string | undefined;
  /** Implemented-vs-accepted note for the docs. */
  readonly note?: string;
  readonly sentToTaskManagers?: boolean;
}

/** The value type of an option built from `S`: `T` with a default, else `T | undefined`. */
export type ValueOf<T, S> = S extends { readonly default: T } ? T : T | undefined;

function describeDefault<T>(codec: OptionCodec<T>, spec: OptionSpec<T>): string {
  if (spec.defaultText !== undefined) return spec.defaultText;
  return spec.default === undefined ? '(none)' : codec.format(spec.default);
}

function meta<T>(codec: OptionCodec<T>, spec: OptionSpec<T>, type: OptionType = codec.type) {
  return {
    type,
    description: spec.description,
    expected: codec.expected,
    defaultText: describeDefault(codec, spec),
    enumValues: codec.enumValues,
    note: spec.note,
    sentToTaskManagers: spec.sentToTaskManagers ?? false,
  };
}

/** Pairs a key with a codec; every typed builder below goes through here. */
export function defineOption<T, S extends OptionSpec<T>>(key: string, codec: OptionCodec<T>, spec: S): ConfigOption<ValueOf<T, S>> {
  const check = spec.check;
  const option: ConfigOption<T | undefined> = {
    kind: 'option',
    key,
    ...meta(codec, spec),
    defaultValue: spec.default,
    fallbackKeys: spec.fallbackKeys ?? [],
    deprecatedKeys: spec.deprecatedKeys ?? [],
    parse: (text) => codec.parse(text) as Exclude<T | undefined, undefined>,
    check: (value) => (check === undefined ? undefined : check(value)),
  };
  // ValueOf<T, S> is T or T | undefined depending on S; TypeScript cannot see that through the spread.
  return option as unknown as ConfigOption<ValueOf<T, S>>;
}

/** Declares an option with a variable `<name>` segment, e.g. `metrics.reporter.<name>.port`. */
export function patternOption<T, S extends OptionSpec<T>>(pattern: string, codec: OptionCodec<T>, spec: S): PatternOption<ValueOf<T, S>> {
  const match = /^(.*\.)<name>(\..*)$/.exec(pattern);
  if (match === null) throw new RangeError(`Pattern '${pattern}' has no '.<name>.' segment`);
  const [, prefix, rest] = match;
  const check = spec.check;
  const option: PatternOption<T | undefined> = {
    kind: 'pattern',
    pattern,
    prefix: prefix ?? '',
    suffix: rest === '.<parameter>' ? undefined : rest,
    ...meta(codec, spec),
    defaultValue: spec.default,
    parse: (text) => codec.parse(text) as Exclude<T | undefined, undefined>,
    check: (value) => (check === undefined ? undefined : check(value)),
  };
  return option as unknown as PatternOption<ValueOf<T, S>>;
}

export function stringOption<S extends OptionSpec<string>>(key: string, spec: S): ConfigOption<ValueOf<string, S>> {
  return defineOption(key, STRING_CODEC, spec);
}

export function intOption<S extends OptionSpec<number>>(key: string, spec: S): ConfigOption<ValueOf<number, S>> {
  return defineOption(key, INT_CODEC, spec);
}

export function longOption<S extends OptionSpec<number>>(key: string, spec: S): ConfigOption<ValueOf<number, S>> {
  return defineOption(key, LONG_CODEC, spec);
}

export function doubleOption<S extends OptionSpec<number>>(key: string, spec: S): ConfigOption<ValueOf<number, S>> {
  return defineOption(key, DOUBLE_CODEC, spec);
}

export function booleanOption<S extends OptionSpec<boolean>>(key: string, spec: S): ConfigOption<ValueOf<boolean, S>> {
  return defineOption(key, BOOLEAN_CODEC, spec);
}

/** A duration in ms; `allowNegative` where a negative value is documented (e.g. -1 = forever). */
export function durationOption<S extends OptionSpec<number> & { readonly allowNegative?: boolean }>(
  key: string,
  spec: S,
): ConfigOption<ValueOf<number, S>> {
  return defineOption(key, durationCodec(spec.allowNegative === true), spec);
}

/** A memory size in bytes. */
export function memoryOption<S extends OptionSpec<number>>(key: string, spec: S): ConfigOption<ValueOf<number, S>> {
  return defineOption(key, MEMORY_CODEC, spec);
}

/** What an enum option adds: aliases mapping other spellings to canonical values, a custom "expected". */
export interface EnumSpec<V extends string> extends OptionSpec<V> {
  readonly aliases?: Readonly<Record<string, V>>;
  readonly expected?: string;
}

/** A case-insensitive enum whose values are returned in their canonical spelling. */
export function enumOption<const V extends string, S extends EnumSpec<V>>(
  key: string,
  values: readonly V[],
  spec: S,
): ConfigOption<ValueOf<V, S>> {
  return defineOption(key, enumCodec(values, spec.aliases, spec.expected), spec);
}

/** A list of strings, written `a;b` (or as a YAML list). */
export function listOption<S extends OptionSpec<readonly string[]> & { readonly separators?: RegExp }>(
  key: string,
  spec: S,
): ConfigOption<ValueOf<readonly string[], S>> {
  return defineOption(key, listCodec(spec.separators), spec);
}

/** A string map, written `k1:v1,k2:v2` or as `<key>.<k1>: v1` entries. */
export function mapOption<S extends OptionSpec<Readonly<Record<string, string>>>>(
  key: string,
  spec: S,
): ConfigOption<ValueOf<Readonly<Record<string, string>>, S>> {
  return defineOption(key, MAP_CODEC, spec);
}
