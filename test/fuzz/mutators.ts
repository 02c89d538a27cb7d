import type { Prng } from './prng.js';

/** Values that break parsers and range checks: edges of integers, floats, and odd strings. */
export const INTERESTING_NUMBERS: readonly number[] = [
  0,
  -0,
  1,
  -1,
  2,
  127,
  128,
  255,
  256,
  65535,
  65536,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 53 - 1,
  2 ** 53 + 2,
  -(2 ** 31),
  -(2 ** 53),
  1.5,
  0.1,
  1e21,
  1e308,
  -1e308,
  Number.MIN_VALUE,
  1e-7,
];

/** Strings that break paths, parsers, encodings and object lookups. */
export const INTERESTING_STRINGS: readonly string[] = [
  '',
  ' ',
  '\0',
  '..',
  '../../..',
  '/etc/passwd',
  '%00',
  '%2e%2e%2f',
  '\u202e',
  '\ud800',
  'é',
  '日本',
  '\r\n',
  '\n',
  '${x}',
  '{{x}}',
  'null',
  'true',
  'NaN',
  '-1',
  '1e999',
  '0x10',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  "'",
  '"',
  '\\',
  'a'.repeat(300),
];

const UNICODE_ALPHABET = 'aZ09 -_./:\\%?#&=+@!$\'"\u0000\u0007\u00e9\u00ff\u2028\u202e\u65e5\ud83d\ude00';

/** A random string, sometimes one of the known troublemakers, sometimes very long. */
export function randomString(rng: Prng, maxLength = 4096): string {
  return rng.weighted<() => string>([
    [4, () => rng.pick(INTERESTING_STRINGS)],
    [4, () => rng.string(rng.size(64))],
    [2, () => rng.string(rng.size(maxLength), UNICODE_ALPHABET)],
    [1, () => 'x'.repeat(rng.int(1, maxLength))],
  ])();
}

/** A number, mostly an edge value or small, sometimes of any magnitude. */
export function randomNumber(rng: Prng): number {
  return rng.weighted<() => number>([
    [4, () => rng.pick(INTERESTING_NUMBERS)],
    [3, () => rng.int(-1000, 1000)],
    [2, () => (rng.float() - 0.5) * 2 ** rng.int(0, 1000)],
  ])();
}

/** An arbitrary JSON value of bounded size. */
export function randomJson(rng: Prng, depth = 3): unknown {
  const kinds: Array<readonly [number, () => unknown]> = [
    [2, () => null],
    [2, () => rng.chance(0.5)],
    [3, () => randomNumber(rng)],
    [3, () => randomString(rng, 256)],
  ];
  if (depth > 0) {
    kinds.push([1, () => Array.from({ length: rng.size(8) }, () => randomJson(rng, depth - 1))]);
    kinds.push([
      1,
      () => Object.fromEntries(Array.from({ length: rng.size(6) }, () => [randomString(rng, 16), randomJson(rng, depth - 1)])),
    ]);
  }
  return rng.weighted(kinds)();
}

/** `levels` nested arrays (or objects) around `inner`, as a JSON text (building the value would be slower). */
export function deepNestingText(levels: number, inner = '1', asObjects = false): string {
  return asObjects ? `${'{"a":'.repeat(levels)}${inner}${'}'.repeat(levels)}` : `${'['.repeat(levels)}${inner}${']'.repeat(levels)}`;
}

/** A value that replaces a field of the right type with one of the wrong type or an edge value. */
export function confusedValue(rng: Prng, original: unknown): unknown {
  return rng.weighted<() => unknown>([
    [3, () => randomJson(rng, 2)],
    [2, () => rng.pick(INTERESTING_NUMBERS)],
    [2, () => rng.pick(INTERESTING_STRINGS)],
    [1, () => (typeof original === 'number' ? String(original) : typeof original === 'string' ? Number(original) || 7 : original)],
    [1, () => [original]],
    [1, () => ({ value: original })],
    [1, () => Array.from({ length: rng.pick([1000, 20_000, 100_000]) }, () => 0)],
    [1, () => 'x'.repeat(rng.pick([1024, 65_536, 1_000_000]))],
    [1, () => null],
  ])();
}

/** Applies one structural mutation to a copy of a JSON value: change, drop, add or confuse a field somewhere. */
export function mutateJson(rng: Prng, value: unknown): unknown {
  const copy = value === undefined ? undefined : structuredClone(value);
  const paths = collectPaths(copy);
  const target = rng.pick(paths);
  if (target.length === 0) return confusedValue(rng, copy);
  const parent = getAt(copy, target.slice(0, -1)) as Record<string, unknown> | unknown[];
  const key = target[target.length - 1]!;
  const action = rng.weighted<string>([
    [5, 'confuse'],
    [2, 'drop'],
    [2, 'add'],
    [1, 'proto'],
  ]);
  if (action === 'drop') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key as string];
  } else if (action === 'add' && !Array.isArray(parent)) {
    parent[randomString(rng, 32)] = randomJson(rng, 1);
  } else if (action === 'proto' && !Array.isArray(parent)) {
    // JSON.parse makes "__proto__" an own property; code copying fields must not let it reach a prototype.
    Object.defineProperty(parent, rng.pick(['__proto__', 'constructor', 'prototype']), {
      value: { polluted: true },
      enumerable: true,
      configurable: true,
      writable: true,
    });
  } else {
    (parent as Record<string, unknown>)[key as string] = confusedValue(rng, (parent as Record<string, unknown>)[key as string]);
  }
  return copy;
}

/** Applies `1..rounds` JSON mutations. */
export function mutateJsonRounds(rng: Prng, value: unknown, rounds = 3): unknown {
  let out = value;
  const n = rng.int(1, rounds);
  for (let i = 0; i < n; i++) out = mutateJson(rng, out);
  return out;
}

function collectPaths(
  value: unknown,
  prefix: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
  depth = 0,
): Array<Array<string | number>> {
  out.push(prefix);
  if (depth > 6 || value === null || typeof value !== 'object') return out;
  const entries = Array.isArray(value) ? value.slice(0, 16).map((v, i) => [i, v] as const) : Object.entries(value).slice(0, 32);
  for (const [key, child] of entries) collectPaths(child, [...prefix, key], out, depth + 1);
  return out;
}

function getAt(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let current = value;
  for (const key of path) current = (current as Record<string | number, unknown>)[key];
  return current;
}

// ---- bytes ----

/** One byte-level mutation of a copy: bit flips, truncation, insertion, deletion, duplication, overwrite. */
export function mutateBytes(rng: Prng, input: Buffer): Buffer {
  const bytes = Buffer.from(input);
  if (bytes.length === 0) return rng.bytes(rng.size(64));
  const at = rng.int(0, bytes.length - 1);
  switch (rng.int(0, 6)) {
    case 0: {
      for (let i = rng.int(1, 8); i > 0; i--) {
        const pos = rng.int(0, bytes.length - 1);
        bytes[pos] = bytes[pos]! ^ (1 << rng.int(0, 7));
      }
      return bytes;
    }
    case 1:
      return bytes.subarray(0, at);
    case 2:
      return Buffer.concat([bytes.subarray(0, at), rng.bytes(rng.size(256)), bytes.subarray(at)]);
    case 3:
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + rng.size(64) + 1))]);
    case 4: {
      const end = Math.min(bytes.length, at + rng.size(128) + 1);
      return Buffer.concat([bytes.subarray(0, end), bytes.subarray(at, end), bytes.subarray(end)]);
    }
    case 5: {
      const value = rng.pick([0x00, 0xff, 0x7f, 0x80, rng.int(0, 255)]);
      bytes.fill(value, at, Math.min(bytes.length, at + rng.int(1, 8)));
      return bytes;
    }
    default: {
      if (bytes.length >= at + 4) bytes.writeUInt32BE(rng.pick([0, 1, 0x7fffffff, 0x80000000, 0xffffffff, rng.next()]), at);
      return bytes;
    }
  }
}

/** Applies `1..rounds` byte mutations. */
export function mutateBytesRounds(rng: Prng, input: Buffer, rounds = 4): Buffer {
  let out = input;
  const n = rng.int(1, rounds);
  for (let i = 0; i < n; i++) out = mutateBytes(rng, out);
  return out;
}

/** A frame whose u32 length prefix says something other than the truth (short, long, huge). */
export function corruptLengthPrefix(rng: Prng, payload: Buffer): Buffer {
  const truth = payload.length;
  const claimed = rng.pick([
    0,
    1,
    3,
    truth - 1,
    truth + 1,
    truth * 2,
    0x7fffffff,
    0xffffffff,
    64 * 1024 * 1024 + 1,
    256 * 1024 * 1024 + 1,
    rng.next(),
  ]);
  const header = Buffer.allocUnsafe(4);
  header.writeUInt32BE(Math.max(0, Math.min(0xffffffff, claimed)) >>> 0, 0);
  return Buffer.concat([header, payload]);
}

/** Shortens a description of an input for a failure report. */
export function preview(value: unknown, max = 400): string {
  let text: string;
  if (Buffer.isBuffer(value)) {
    text = `${value.length} bytes: ${value.subarray(0, max / 2).toString('hex')}`;
  } else {
    try {
      text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
    } catch {
      text = String(value);
    }
  }
  return text.length > max ? `${text.slice(0, max)}... (${text.length} chars)` : text;
}
