import { valueError } from './config-value-error.js';
import { stripQuotes } from './scalar-parsers.js';

const BYTES_PER_UNIT: ReadonlyArray<readonly [readonly string[], number]> = [
  [['b', 'bytes'], 1],
  [['k', 'kb', 'kibibytes'], 1024],
  [['m', 'mb', 'mebibytes'], 1024 ** 2],
  [['g', 'gb', 'gibibytes'], 1024 ** 3],
  [['t', 'tb', 'tebibytes'], 1024 ** 4],
];

const UNIT_FACTORS: ReadonlyMap<string, number> = new Map(
  BYTES_PER_UNIT.flatMap(([labels, factor]) => labels.map((label) => [label, factor] as const)),
);

/** What a memory-size option accepts, for error messages and docs. */
export const MEMORY_SIZE_EXPECTED = "a memory size such as '64m', '1 gb', '512 kb' (a bare number is bytes)";

/** Parses Flink's memory-size syntax (1024-based units, bare number = bytes) into bytes. */
export function parseMemorySize(text: string): number {
  const value = stripQuotes(text);
  let end = 0;
  while (end < value.length && value.charCodeAt(end) >= 48 && value.charCodeAt(end) <= 57) end++;
  if (end === 0) throw valueError(MEMORY_SIZE_EXPECTED);
  const unit = value.slice(end).trim().toLowerCase();
  const factor = unit === '' ? 1 : UNIT_FACTORS.get(unit);
  if (factor === undefined) {
    throw valueError(MEMORY_SIZE_EXPECTED, `'${unit}' is not a memory unit (units: b, k, m, g, t and their long forms)`);
  }
  const bytes = Number(value.slice(0, end)) * factor;
  if (!Number.isSafeInteger(bytes)) throw valueError(MEMORY_SIZE_EXPECTED, 'the size is too large');
  return bytes;
}

const FORMAT_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['tb', 1024 ** 4],
  ['gb', 1024 ** 3],
  ['mb', 1024 ** 2],
  ['kb', 1024],
];

/** Prints bytes Flink's way: the largest unit that divides exactly (`1600 mb`, `64 kb`, `100 bytes`). */
export function formatMemorySize(bytes: number): string {
  if (bytes !== 0) {
    for (const [label, factor] of FORMAT_UNITS) {
      if (bytes % factor === 0) return `${bytes / factor} ${label}`;
    }
  }
  return `${bytes} bytes`;
}
