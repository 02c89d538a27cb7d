import type { ConfigOption, PatternOption } from './config-option.js';
import { keysOf } from './config-option.js';
import { formatOrigin, type ConfigEntry, type ConfigOrigin, type KeyValue } from './config-entry.js';
import { ALL_OPTIONS } from './all-options.js';
import { parseEntry } from './invalid-value-error.js';
import { METRICS_REPORTER_PREFIX, METRICS_REPORTERS } from './options/metrics-options.js';
import { maskValue } from './sensitive-keys.js';
import { validateConfiguration } from './validate-configuration.js';

/** How an option got its explicit value: through which key, from where, with what text. */
interface Resolution {
  readonly value: unknown;
  readonly key: string;
  readonly text: string;
  readonly origin: ConfigOrigin;
}

/** Values for `withOverrides`; numbers and booleans are written as text. */
export type ConfigOverrides = Readonly<Record<string, string | number | boolean>>;

/**
 * The immutable, validated configuration of one process: explicitly set keys (file, then -D, then
 * overrides) read through the typed option table, with defaults for everything else.
 */
export class Configuration {
  readonly #entries: ReadonlyMap<string, ConfigEntry>;
  readonly #resolved = new Map<object, Resolution | null>();
  readonly #named = new Map<string, unknown>();

  private constructor(entries: ReadonlyMap<string, ConfigEntry>) {
    this.#entries = entries;
  }

  /** A configuration with nothing set: every option at its default. */
  static empty(): Configuration {
    return Configuration.fromEntries([]);
  }

  /** Builds and validates a configuration; a later entry for the same key wins. Throws ConfigurationError. */
  static fromEntries(entries: Iterable<ConfigEntry>): Configuration {
    const byKey = new Map<string, ConfigEntry>();
    for (const entry of entries) byKey.set(entry.key, entry);
    const configuration = new Configuration(byKey);
    validateConfiguration(configuration);
    return configuration;
  }

  /** The option's value: explicitly set (through its key, a fallback or a deprecated key) or its default. */
  get<T>(option: ConfigOption<T>): T {
    const resolution = this.#resolve(option);
    return resolution === null ? option.defaultValue : (resolution.value as T);
  }

  /** The option's value only if it was set explicitly. */
  getOptional<T>(option: ConfigOption<T>): Exclude<T, undefined> | undefined {
    const resolution = this.#resolve(option);
    return resolution === null ? undefined : (resolution.value as Exclude<T, undefined>);
  }

  /** Whether the option was set in the file, by -D or an override, including through an old key. */
  isExplicitlySet(option: ConfigOption<unknown>): boolean {
    return this.#resolve(option) !== null;
  }

  /** The key that supplied the option's explicit value (it may be a deprecated one). */
  sourceKey(option: ConfigOption<unknown>): string | undefined {
    return this.#resolve(option)?.key ?? undefined;
  }

  /** The value of a pattern option for one `<name>`, e.g. the port of reporter `prom`. */
  getNamed<T>(option: PatternOption<T>, name: string): T {
    const key = `${option.prefix}${name}${option.suffix ?? ''}`;
    if (this.#named.has(key)) return this.#named.get(key) as T;
    const entry = this.#entries.get(key);
    const value =
      entry === undefined
        ? option.defaultValue
        : parseEntry(
            entry,
            (text) => option.parse(text),
            (v) => option.check(v),
          );
    this.#named.set(key, value);
    return value;
  }

  /** Raw text of every explicit key under `prefix`, keyed by the rest of the key. */
  subset(prefix: string): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [key, entry] of this.#entries) {
      if (key.startsWith(prefix) && key.length > prefix.length) result[key.slice(prefix.length)] = entry.value;
    }
    return result;
  }

  /** Names of the configured metric reporters (`metrics.reporter.<name>.*`), limited by metrics.reporters when set. */
  metricReporterNames(): string[] {
    const configured: string[] = [];
    for (const key of this.#entries.keys()) {
      if (!key.startsWith(METRICS_REPORTER_PREFIX)) continue;
      const name = key.slice(METRICS_REPORTER_PREFIX.length).split('.')[0] ?? '';
      if (name.length > 0 && key.length > METRICS_REPORTER_PREFIX.length + name.length + 1 && !configured.includes(name))
        configured.push(name);
    }
    const wanted = this.getOptional(METRICS_REPORTERS);
    return wanted === undefined ? configured : wanted.filter((name) => configured.includes(name));
  }

  /** The settings of one metric reporter, keyed by parameter name (`factory.class`, `port`, ...). */
  reporterParameters(name: string): Record<string, string> {
    return this.subset(`${METRICS_REPORTER_PREFIX}${name}.`);
  }

  /** Explicitly set keys and values in order; secrets are masked unless `unmasked` is asked for. */
  entries(options: { readonly unmasked?: boolean } = {}): KeyValue[] {
    return [...this.#entries.values()].map((entry) => ({
      key: entry.key,
      value: options.unmasked === true ? entry.value : maskValue(entry.key, entry.value),
    }));
  }

  /** The raw text set for exactly this key, if any. */
  rawValue(key: string): string | undefined {
    return this.#entries.get(key)?.value;
  }

  /**
   * Where a key's value came from: `file:line`, `-D` or an override label. For a declared option
   * this follows the key actually read (e.g. a deprecated alias).
   */
  origin(key: string): string | undefined {
    const option = ALL_OPTIONS.find((candidate) => candidate.key === key);
    const resolution = option === undefined ? undefined : this.#resolve(option);
    const origin = resolution?.origin ?? this.#entries.get(key)?.origin;
    return origin === undefined ? undefined : formatOrigin(origin);
  }

  /** A new, validated configuration with `overrides` set on top; `label` is their origin. */
  withOverrides(overrides: ConfigOverrides, label = 'override'): Configuration {
    const origin: ConfigOrigin = { kind: 'override', label };
    const added = Object.entries(overrides).map(([key, value]) => ({ key, value: String(value), origin }));
    return Configuration.fromEntries([...this.#entries.values(), ...added]);
  }

  /**
   * The explicit settings a TaskManager must receive from the JobManager so that it rebuilds the
   * job's graph and runs its tasks exactly as the JobManager planned: the options marked
   * `sentToTaskManagers` (parallelism.default, pipeline.*, execution.buffer-timeout.interval,
   * execution.runtime-mode, execution.checkpointing.* except retention counts, state.backend.type,
   * heartbeat.*), under their canonical keys, unmasked.
   */
  forTaskManager(): KeyValue[] {
    const result: KeyValue[] = [];
    for (const option of ALL_OPTIONS) {
      if (!option.sentToTaskManagers) continue;
      const resolution = this.#resolve(option);
      if (resolution !== null) result.push({ key: option.key, value: resolution.text });
    }
    return result;
  }

  /** One warning per option that is read through a deprecated key, in Flink's words. */
  deprecationWarnings(): string[] {
    const warnings: string[] = [];
    for (const option of ALL_OPTIONS) {
      const key = this.#resolve(option)?.key;
      if (key !== undefined && option.deprecatedKeys.includes(key)) {
        warnings.push(`Config uses deprecated configuration key '${key}' instead of proper key '${option.key}'`);
      }
    }
    return warnings;
  }

  #resolve(option: ConfigOption<unknown>): Resolution | null {
    const cached = this.#resolved.get(option);
    if (cached !== undefined) return cached;
    const resolution = this.#findExplicit(option);
    this.#resolved.set(option, resolution);
    return resolution;
  }

  #findExplicit(option: ConfigOption<unknown>): Resolution | null {
    for (const key of keysOf(option)) {
      const entry = this.#entries.get(key);
      if (entry === undefined) continue;
      const value = parseEntry(
        entry,
        (text) => option.parse(text),
        (v) => option.check(v),
      );
      return { value, key, text: entry.value, origin: entry.origin };
    }
    return option.type === 'map' ? this.#collectMapEntries(option) : null;
  }

  // Map options may also be written as one key per map entry (`<key>.<k>: v`), as nested YAML gives.
  #collectMapEntries(option: ConfigOption<unknown>): Resolution | null {
    const entries = this.subset(`${option.key}.`);
    const keys = Object.keys(entries);
    if (keys.length === 0) return null;
    const first = this.#entries.get(`${option.key}.${keys[0]}`);
    const text = keys.map((key) => `${key}:${entries[key]}`).join(',');
    return { value: entries, key: option.key, text, origin: first?.origin ?? { kind: 'override', label: 'override' } };
  }
}
