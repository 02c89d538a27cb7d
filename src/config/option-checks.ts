import { formatDuration } from './duration.js';

/** Range checks shared by the option tables; each returns the problem text or undefined. */
export type ValueCheck<T> = (value: T) => string | undefined;

export function atLeast(min: number): ValueCheck<number> {
  return (value) => (value >= min ? undefined : `expected an integer of at least ${min}`);
}

export function inRange(min: number, max: number, what = 'an integer'): ValueCheck<number> {
  return (value) => (value >= min && value <= max ? undefined : `expected ${what} from ${min} to ${max}`);
}

/** A TCP port; 0 asks the OS for a free one. */
export const portNumber: ValueCheck<number> = inRange(0, 65_535, 'a port number');

/** `-1` (documented as "off"/"derive") or a value of at least `min`. */
export function minusOneOrAtLeast(min: number, minusOneMeans: string): ValueCheck<number> {
  return (value) => (value === -1 || value >= min ? undefined : `expected -1 (${minusOneMeans}) or an integer of at least ${min}`);
}

export function positiveDuration(value: number): string | undefined {
  return value > 0 ? undefined : 'expected a duration larger than 0 ms';
}

export function durationAtLeast(minMs: number, extra = ''): ValueCheck<number> {
  return (value) => (value >= minMs ? undefined : `expected a duration of at least ${formatDuration(minMs)}${extra}`);
}

export function decimalRange(min: number, max: number): ValueCheck<number> {
  return (value) => (value >= min && value <= max ? undefined : `expected a decimal number from ${min} to ${max}`);
}

export function decimalAtLeast(min: number): ValueCheck<number> {
  return (value) => (value >= min ? undefined : `expected a decimal number of at least ${min}`);
}

const PORT_ITEM = /^(\d+)(?:\s*-\s*(\d+))?$/;

/** A port, a range `50100-50200`, or a comma-separated list of them (Flink's bind-port syntax). */
export function portSpec(value: string): string | undefined {
  const expected = "expected a port, a range such as '9250-9260', or a comma-separated list of them";
  const items = value.split(',').map((item) => item.trim());
  for (const item of items) {
    const match = PORT_ITEM.exec(item);
    if (match === null) return expected;
    const low = Number(match[1]);
    const high = match[2] === undefined ? low : Number(match[2]);
    if (low > 65_535 || high > 65_535 || high < low) return expected;
  }
  return undefined;
}

/** A non-empty string. */
export function nonEmpty(value: string): string | undefined {
  return value.length > 0 ? undefined : 'expected a non-empty value';
}
