/** The value kinds an option can have; durations are ms, memory sizes bytes, enums canonical strings. */
export type OptionType = 'string' | 'int' | 'long' | 'double' | 'boolean' | 'duration' | 'memory' | 'enum' | 'list' | 'map';

/** What every declared option says about itself, independent of its value type (docs, lookups). */
export interface OptionMeta {
  readonly type: OptionType;
  /** Our own description; rendered into docs/configuration.md. */
  readonly description: string;
  /** What the option accepts, used in error messages ("expected ..."). */
  readonly expected: string;
  /** The default as the docs print it; `(none)` when unset means "absent". */
  readonly defaultText: string;
  /** Canonical values of an enum option. */
  readonly enumValues: readonly string[] | undefined;
  /** Where tsflink differs from Flink or only accepts the option without acting on it. */
  readonly note: string | undefined;
  /** Whether the JobManager forwards an explicit value to TaskManagers (Configuration.forTaskManager). */
  readonly sentToTaskManagers: boolean;
}

/** A typed, named configuration option; `T` includes `undefined` when it has no default. */
export interface ConfigOption<T> extends OptionMeta {
  readonly kind: 'option';
  readonly key: string;
  readonly defaultValue: T;
  /** Other keys read when `key` is absent, in order (not deprecated; no warning). */
  readonly fallbackKeys: readonly string[];
  /** Old names still read when `key` and the fallback keys are absent; reading one warns. */
  readonly deprecatedKeys: readonly string[];
  /** Converts the raw text; throws ConfigValueError. */
  parse(text: string): Exclude<T, undefined>;
  /** Returns the problem ("expected ...") when a parsed value is outside what is accepted. */
  check(value: Exclude<T, undefined>): string | undefined;
}

/**
 * An option whose key has a variable segment, e.g. `metrics.reporter.<name>.port`. A pattern with
 * no suffix (`metrics.reporter.<name>.<parameter>`) makes every key under the prefix known.
 */
export interface PatternOption<T> extends OptionMeta {
  readonly kind: 'pattern';
  /** The key as documented, with placeholders. */
  readonly pattern: string;
  /** Text before the `<name>` segment, ending with a dot. */
  readonly prefix: string;
  /** Text after the `<name>` segment, starting with a dot; undefined means any parameter. */
  readonly suffix: string | undefined;
  readonly defaultValue: T;
  parse(text: string): Exclude<T, undefined>;
  check(value: Exclude<T, undefined>): string | undefined;
}

/** Any declared option, for tables and iteration. */
export type AnyOption = ConfigOption<unknown> | PatternOption<unknown>;

/** One area of the option table (one `*-options.ts` file); docs are grouped by it. */
export interface OptionGroup {
  readonly title: string;
  readonly options: readonly AnyOption[];
}

/** All keys through which an option can be set, in the order they are consulted. */
export function keysOf(option: ConfigOption<unknown>): readonly string[] {
  return [option.key, ...option.fallbackKeys, ...option.deprecatedKeys];
}

/** The `<name>` segment when `key` matches the pattern, else undefined. */
export function matchPattern(option: PatternOption<unknown>, key: string): string | undefined {
  if (!key.startsWith(option.prefix)) return undefined;
  const rest = key.slice(option.prefix.length);
  const dot = rest.indexOf('.');
  if (dot <= 0) return undefined;
  const name = rest.slice(0, dot);
  if (option.suffix === undefined) return rest.length > dot + 1 ? name : undefined;
  return rest.slice(dot) === option.suffix ? name : undefined;
}
