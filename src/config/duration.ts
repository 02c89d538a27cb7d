import { valueError } from './config-value-error.js';
import { stripQuotes } from './scalar-parsers.js';

const MS_PER_UNIT: ReadonlyArray<readonly [readonly string[], number]> = [
  [['d', 'day', 'days'], 86_400_000],
  [['h', 'hour', 'hours'], 3_600_000],
  [['min', 'm', 'minute', 'minutes'], 60_000],
  [['s', 'sec', 'secs', 'second', 'seconds'], 1_000],
  [['ms', 'milli', 'millis', 'millisecond', 'milliseconds'], 1],
  [['µs', 'micro', 'micros', 'microsecond', 'microseconds'], 0.001],
  [['ns', 'nano', 'nanos', 'nanosecond', 'nanoseconds'], 0.000_001],
];

const UNIT_FACTORS: ReadonlyMap<string, number> = new Map(
  MS_PER_UNIT.flatMap(([labels, factor]) => labels.map((label) => [label, factor] as const)),
);

/** What a duration option accepts, for error messages and docs. */
export const DURATION_EXPECTED = "a duration such as '10 s', '500 ms', '1 min' (a bare number is milliseconds)";

const ISO_DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:[.,](\d{1,9}))?S)?)?$/i;

/** Options for {@link parseDuration}. */
export interface ParseDurationOptions {
  /** Accept a leading minus (only where a negative value is documented, e.g. "wait forever"). */
  readonly allowNegative?: boolean;
}

/**
 * Parses Flink's duration syntax into milliseconds: digits then an optional unit (bare number =
 * ms, no decimals), or ISO-8601 such as `PT10S`. Sub-millisecond units give fractional ms.
 */
export function parseDuration(text: string, options: ParseDurationOptions = {}): number {
  const value = stripQuotes(text);
  if (value.startsWith('-')) {
    if (options.allowNegative !== true) throw valueError(DURATION_EXPECTED, 'negative durations are not accepted');
    return -parseUnsignedDuration(value.slice(1).trim());
  }
  return parseUnsignedDuration(value);
}

function parseUnsignedDuration(value: string): number {
  let end = 0;
  while (end < value.length && value.charCodeAt(end) >= 48 && value.charCodeAt(end) <= 57) end++;
  if (end === 0) return parseIsoDuration(value);
  const unit = value.slice(end).trim().toLowerCase();
  const factor = unit === '' ? 1 : UNIT_FACTORS.get(unit);
  if (factor === undefined) {
    throw valueError(DURATION_EXPECTED, `'${unit}' is not a time unit (units: d, h, min, s, ms, µs, ns and their long forms)`);
  }
  return checkedMillis(Number(value.slice(0, end)) * factor);
}

function parseIsoDuration(value: string): number {
  const match = ISO_DURATION.exec(value);
  if (match === null || value.length <= 1 || /T$/i.test(value)) {
    throw valueError(DURATION_EXPECTED);
  }
  const [, days, hours, minutes, seconds, fraction] = match;
  const whole =
    Number(days ?? 0) * 86_400_000 + Number(hours ?? 0) * 3_600_000 + Number(minutes ?? 0) * 60_000 + Number(seconds ?? 0) * 1_000;
  const fractional = fraction === undefined ? 0 : Number(`0.${fraction}`) * 1_000;
  return checkedMillis(whole + fractional);
}

function checkedMillis(ms: number): number {
  if (!(ms <= Number.MAX_SAFE_INTEGER)) throw valueError(DURATION_EXPECTED, 'the duration is too large');
  return ms;
}

const FORMAT_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['min', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

/** Prints milliseconds Flink's way: the largest unit that divides exactly (`30 s`, `5 min`, `0 ms`). */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs === 0) return '0 ms';
  if (Number.isInteger(abs)) {
    for (const [label, factor] of FORMAT_UNITS) {
      if (abs % factor === 0) return `${sign}${abs / factor} ${label}`;
    }
  }
  const nanos = Math.round(abs * 1_000_000);
  return nanos % 1_000 === 0 ? `${sign}${nanos / 1_000} µs` : `${sign}${nanos} ns`;
}
