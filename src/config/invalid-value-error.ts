import { ConfigurationError } from '../core/errors.js';
import { ConfigValueError } from './config-value-error.js';
import { formatOrigin, type ConfigEntry } from './config-entry.js';
import { maskValue } from './sensitive-keys.js';

/** The value as an error message shows it: masked when sensitive, on one line. */
export function displayValue(key: string, value: string): string {
  return maskValue(key, value).replace(/\r?\n/g, '\\n');
}

/** The one-line error for a bad value: key, value, origin, then the problem and what is accepted. */
export function invalidValueError(entry: ConfigEntry, problem: string): ConfigurationError {
  const origin = formatOrigin(entry.origin);
  return new ConfigurationError(
    `Invalid value '${displayValue(entry.key, entry.value)}' for '${entry.key}' (from ${origin}): ${problem}.`,
    { context: { key: entry.key, origin } },
  );
}

/** Runs `parse` and `check` on an entry's text, turning their complaints into {@link invalidValueError}. */
export function parseEntry<T>(
  entry: ConfigEntry,
  parse: (text: string) => T,
  check: (value: T) => string | undefined,
): T {
  let value: T;
  try {
    value = parse(entry.value);
  } catch (error) {
    if (error instanceof ConfigValueError) throw invalidValueError(entry, error.problem);
    throw error;
  }
  const problem = check(value);
  if (problem !== undefined) throw invalidValueError(entry, problem);
  return value;
}
