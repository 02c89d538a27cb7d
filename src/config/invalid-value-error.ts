import { ConfigurationError } from '../core/errors.js';
import { ConfigValueError } from './config-value-error.js';
import { formatOrigin, type ConfigEntry } from './config-entry.js';
import { maskValue } from './sensitive-keys.js';

/** Longest value an error message repeats in full; a megabyte of value makes no clear message. */
const MAX_SHOWN_CHARS = 200;

/** The value as an error message shows it: masked when sensitive, on one line, cut short when huge. */
export function displayValue(key: string, value: string): string {
  const shown = maskValue(key, value);
  return oneLine(shown.length <= MAX_SHOWN_CHARS ? shown : `${shown.slice(0, MAX_SHOWN_CHARS)}... (${shown.length} characters)`);
}

// A lone CR (or VT, FF) breaks a terminal line as well as LF does, e.g. from `-Dkey=$'a\rb'`.
function oneLine(text: string): string {
  return text.replace(/\r?\n/g, '\\n').replace(/[\r\v\f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/** A parser's problem may quote the whole value; keep its start and its "expected ..." end. */
function shortProblem(problem: string): string {
  const limit = 2 * MAX_SHOWN_CHARS;
  return oneLine(problem.length <= limit ? problem : `${problem.slice(0, MAX_SHOWN_CHARS)}...${problem.slice(-MAX_SHOWN_CHARS)}`);
}

/** The one-line error for a bad value: key, value, origin, then the problem and what is accepted. */
export function invalidValueError(entry: ConfigEntry, problem: string): ConfigurationError {
  const origin = formatOrigin(entry.origin);
  // Parsers quote parts of the value in `problem` too; those must not break the line either.
  return new ConfigurationError(
    `Invalid value '${displayValue(entry.key, entry.value)}' for '${entry.key}' (from ${origin}): ${shortProblem(problem)}.`,
    { context: { key: entry.key, origin } },
  );
}

/** Runs `parse` and `check` on an entry's text, turning their complaints into {@link invalidValueError}. */
export function parseEntry<T>(entry: ConfigEntry, parse: (text: string) => T, check: (value: T) => string | undefined): T {
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
