/**
 * Java's `Double.toString` and `Float.toString` (JDK 19+ semantics, which the TopSpeedWindowing data
 * agrees with): the shortest decimal that reads back as the same value, at least one fractional
 * digit, plain notation for magnitudes in [10^-3, 10^7) and computerized scientific notation
 * (`1.0E7`, `1.234E-5`) outside it.
 */

/** Java's `Double.toString(x)`. */
export function formatJavaDouble(x: number): string {
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // Integral values in the plain range are the common case (counts, speeds): no digit search needed.
  if (Number.isInteger(x) && x < 1e7 && x > -1e7) return `${x}.0`;
  const a = Math.abs(x);
  // JS already picks the shortest round-trip digits, the closest to x among equally short ones.
  let decimal = splitExponential(a.toExponential());
  if (decimal[0].length === 1) decimal = preferTwoDigits(a, decimal, (s) => Number(s) === a);
  return layout(x < 0, decimal[0], decimal[1]);
}

/** Java's `Float.toString(x)`, for a value that is (or is rounded to) single precision. */
export function formatJavaFloat(x: number): string {
  const f = Math.fround(x);
  if (f !== f) return 'NaN';
  if (f === Infinity) return 'Infinity';
  if (f === -Infinity) return '-Infinity';
  if (f === 0) return Object.is(f, -0) ? '-0.0' : '0.0';
  const a = Math.abs(f);
  const roundTrips = (s: string): boolean => Math.fround(Number(s)) === a;
  for (let p = 1; p <= 9; p++) {
    const found = shortestOfLength(a, p, roundTrips);
    if (found !== undefined) {
      const decimal = p === 1 ? preferTwoDigits(a, found, roundTrips) : found;
      return layout(f < 0, decimal[0], decimal[1]);
    }
  }
  // Nine significant digits always identify a float; this is not reached.
  const decimal = splitExponential(a.toExponential(8));
  return layout(f < 0, decimal[0], decimal[1]);
}

/** Digits (no trailing zeros) and decimal exponent of the first digit. */
type Decimal = [digits: string, exponent: number];

/**
 * The `p`-digit decimal closest to `a` that round-trips, if any: the nearest one, or at a binade
 * edge (where the rounding interval is lopsided) one of its neighbours.
 */
function shortestOfLength(a: number, p: number, roundTrips: (s: string) => boolean): Decimal | undefined {
  const nearest = a.toExponential(p - 1);
  if (roundTrips(nearest)) return splitExponential(nearest);
  const eAt = nearest.indexOf('e');
  const significand = Number(nearest.slice(0, eAt).replace('.', ''));
  const exponent = Number(nearest.slice(eAt + 1)) - (p - 1);
  for (const neighbour of [significand - 1, significand + 1]) {
    const s = `${neighbour}e${exponent}`;
    if (neighbour > 0 && String(neighbour).length === p && roundTrips(s)) return splitExponential(Number(s).toExponential());
  }
  return undefined;
}

/**
 * When one digit would do, Java takes the decimal of one or two digits closest to the value
 * (so Double.MIN_VALUE prints 4.9E-324 where JS prints 5e-324).
 */
function preferTwoDigits(a: number, oneDigit: Decimal, roundTrips: (s: string) => boolean): Decimal {
  const two = a.toExponential(1);
  return roundTrips(two) ? splitExponential(two) : oneDigit;
}

/** `d.ddde±n` → digits without trailing zeros, and n. */
function splitExponential(s: string): Decimal {
  const eAt = s.indexOf('e');
  let digits = s.charAt(0) + s.slice(2, eAt);
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
  digits = digits.slice(0, end);
  return [digits, Number(s.slice(eAt + 1))];
}

function layout(negative: boolean, digits: string, exponent: number): string {
  const sign = negative ? '-' : '';
  if (exponent >= -3 && exponent < 7) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const intLen = exponent + 1;
    if (digits.length <= intLen) return `${sign}${digits}${'0'.repeat(intLen - digits.length)}.0`;
    return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
  }
  const fraction = digits.length > 1 ? digits.slice(1) : '0';
  return `${sign}${digits.charAt(0)}.${fraction}E${exponent}`;
}
