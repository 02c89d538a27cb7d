import { valueError } from './config-value-error.js';

/** Removes one pair of matching surrounding quotes, as a shell or a hand-written file may leave them. */
export function stripQuotes(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length >= 2) {
    const first = trimmed[0];
    if ((first === '"' || first === "'") && trimmed[trimmed.length - 1] === first) return trimmed.slice(1, -1).trim();
  }
  return trimmed;
}

export const BOOLEAN_EXPECTED = 'true or false (case-insensitive)';

/** Flink's boolean syntax: only `true` and `false`, in any case. */
export function parseBoolean(text: string): boolean {
  const value = stripQuotes(text).toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw valueError(BOOLEAN_EXPECTED);
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const INTEGER_TEXT = /^[+-]?\d+$/;

/** Describes the accepted range of an integer type. */
export function integerExpected(bits: 32 | 64): string {
  return bits === 32
    ? `an integer between ${INT_MIN} and ${INT_MAX}`
    : `an integer between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`;
}

/**
 * Java's parseInt/parseLong syntax (optional sign, decimal digits). Values outside the type
 * are rejected rather than wrapped; a long is limited to what a JS number holds exactly.
 */
export function parseInteger(text: string, bits: 32 | 64): number {
  const value = stripQuotes(text);
  if (!INTEGER_TEXT.test(value)) throw valueError(integerExpected(bits));
  const parsed = Number(value);
  const inRange = bits === 32 ? parsed >= INT_MIN && parsed <= INT_MAX : Number.isSafeInteger(parsed);
  if (!inRange)
    throw valueError(
      integerExpected(bits),
      bits === 32 ? 'the number overflows the integer type' : 'the number is out of range for a long',
    );
  return parsed;
}

export const DOUBLE_EXPECTED = "a decimal number such as '1.5'";
const DOUBLE_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A finite decimal number. */
export function parseDouble(text: string): number {
  const value = stripQuotes(text);
  const parsed = DOUBLE_TEXT.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(parsed)) throw valueError(DOUBLE_EXPECTED);
  return parsed;
}

/** Describes an enum's accepted values, aliases in parentheses after their canonical value. */
export function enumExpected(values: readonly string[], aliases: Readonly<Record<string, string>> = {}): string {
  const described = values.map((value) => {
    const alternatives = Object.keys(aliases).filter((alias) => aliases[alias] === value);
    return alternatives.length === 0 ? value : `${value} (or ${alternatives.join(', ')})`;
  });
  return `one of ${described.join(', ')} (case-insensitive)`;
}

/** Case-insensitive match against the canonical values and the aliases; returns the canonical spelling. */
export function parseEnumValue<V extends string>(
  text: string,
  values: readonly V[],
  aliases: Readonly<Record<string, V>> = {},
  expected = enumExpected(values, aliases),
): V {
  const wanted = stripQuotes(text).toLowerCase();
  const direct = values.find((value) => value.toLowerCase() === wanted);
  if (direct !== undefined) return direct;
  const alias = Object.keys(aliases).find((name) => name.toLowerCase() === wanted);
  if (alias !== undefined) return aliases[alias] as V;
  throw valueError(expected);
}

/** Flink's list form `a;b;c` (other separators where an option allows them); blanks dropped. */
export function parseList(text: string, separators: RegExp = /;/): string[] {
  return stripQuotes(text)
    .split(separators)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export const MAP_EXPECTED = "entries of the form 'k1:v1,k2:v2'";

/** Flink's map form `k1:v1,k2:v2`. */
export function parseMap(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of parseList(text, /,/)) {
    const colon = item.indexOf(':');
    if (colon <= 0) throw valueError(MAP_EXPECTED, `entry '${item}' has no key`);
    result[item.slice(0, colon).trim()] = item.slice(colon + 1).trim();
  }
  return result;
}
