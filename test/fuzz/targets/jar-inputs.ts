import { mutateBytesRounds } from '../mutators.js';
import type { Prng } from '../prng.js';
import { buildZip, classEntry, deflatedZeros, manifestEntry, zerosCrc, type ZipEntrySpec } from '../zip-builder.js';

/** The class every fuzzed jar claims to hold. */
export const FUZZ_CLASS = 'fuzz.pkg.Job';
const MIB = 1024 * 1024;

/** A jar to feed the packaging code, what it attacks, and the marker its escapes would leave. */
export interface JarInput {
  readonly kind: string;
  readonly bytes: Buffer;
  /** Whether a correct implementation must refuse it (not merely may). */
  readonly hostile: boolean;
}

function base(extra: readonly ZipEntrySpec[] = [], token = 'x'): ZipEntrySpec[] {
  return [manifestEntry(FUZZ_CLASS), classEntry(FUZZ_CLASS, `export const token = '${token}';\n`), ...extra];
}

function escapeName(rng: Prng, token: string): string {
  return rng.pick([
    `../escape-${token}`,
    `../../escape-${token}`,
    `a/../../escape-${token}`,
    `a/b/../../../escape-${token}`,
    `../../../../escape-${token}`,
    `/tmp/tsf-fuzz-abs-${token}`,
    `C:/escape-${token}`,
    `..\\escape-${token}`,
    `a\\..\\..\\escape-${token}`,
    `./../escape-${token}`,
    `a//../../escape-${token}`,
  ]);
}

/** Archives built to break extraction: each kind must be refused (or, for benign oddities, handled). */
function hostileJar(rng: Prng, token: string): JarInput {
  const kind = rng.weighted<string>([
    [3, 'zip-slip'],
    [1, 'symlink'],
    [1, 'symlink-then-write'],
    [2, 'bomb-ratio'],
    [2, 'bomb-lying-size'],
    [1, 'bomb-overlap'],
    [1, 'too-many-entries'],
    [2, 'wrong-crc'],
    [1, 'truncated-directory'],
    [1, 'duplicate'],
    [1, 'file-then-dir'],
  ]);
  const zeros = (size: number, extra: Partial<ZipEntrySpec> = {}): ZipEntrySpec => ({
    name: `data/zeros-${token}.bin`,
    data: deflatedZeros(size),
    raw: true,
    method: 8,
    crc: zerosCrc(size),
    uncompressedSize: size,
    ...extra,
  });
  switch (kind) {
    case 'zip-slip':
      return {
        kind,
        hostile: true,
        bytes: buildZip({ entries: base([{ name: escapeName(rng, token), data: Buffer.from('pwned') }], token) }),
      };
    case 'symlink':
      return {
        kind,
        hostile: true,
        bytes: buildZip({
          entries: base([{ name: 'link', data: Buffer.from('/etc'), method: 0, externalAttributes: (0o120777 << 16) >>> 0 }], token),
        }),
      };
    case 'symlink-then-write':
      return {
        kind,
        hostile: true,
        bytes: buildZip({
          entries: base(
            [
              { name: 'out', data: Buffer.from('..'), method: 0, externalAttributes: (0o120777 << 16) >>> 0 },
              { name: `out/escape-${token}`, data: Buffer.from('pwned') },
            ],
            token,
          ),
        }),
      };
    case 'bomb-ratio':
      return { kind, hostile: true, bytes: buildZip({ entries: base([zeros(rng.pick([8, 80]) * MIB)], token) }) };
    case 'bomb-lying-size':
      return {
        kind,
        hostile: true,
        bytes: buildZip({ entries: base([zeros(8 * MIB, { uncompressedSize: rng.pick([0, 100, 4096]) })], token) }),
      };
    case 'bomb-overlap': {
      // Many central entries share one local header: small file, every entry inflates the same MiB.
      const kernel = zeros(MIB);
      const entries: ZipEntrySpec[] = [...base([], token), { ...kernel, name: 'data/k0.bin' }];
      for (let i = 1; i < 300; i++) entries.push({ ...kernel, name: `data/k${i}.bin`, sharesLocalHeaderOf: 2 });
      return { kind, hostile: true, bytes: buildZip({ entries }) };
    }
    case 'too-many-entries':
      return {
        kind,
        hostile: true,
        bytes: buildZip({
          entries: base(
            Array.from({ length: 10_001 }, (_, i) => ({ name: `m/${i}`, data: Buffer.alloc(0), method: 0 })),
            token,
          ),
        }),
      };
    case 'wrong-crc':
      return {
        kind,
        hostile: true,
        bytes: buildZip({ entries: base([{ name: 'data/a.txt', data: Buffer.from('hello'), crc: rng.next() }], token) }),
      };
    // A few bytes short, the last name runs into the end record and may still parse: refusing is not required.
    case 'truncated-directory':
      return { kind, hostile: false, bytes: buildZip({ entries: base([], token), truncateCentralDirectory: rng.int(1, 60) }) };
    case 'duplicate':
      return {
        kind,
        hostile: true,
        bytes: buildZip({
          entries: base(
            [
              { name: 'data/a.txt', data: Buffer.from('1') },
              { name: 'data/a.txt', data: Buffer.from('2') },
            ],
            token,
          ),
        }),
      };
    default:
      return {
        kind,
        hostile: true,
        bytes: buildZip({
          entries: base(
            [
              { name: 'data/a', data: Buffer.from('1') },
              { name: 'data/a/b', data: Buffer.from('2') },
            ],
            token,
          ),
        }),
      };
  }
}

/** Archives with lying headers and odd names whose fate is open, as long as it is a clear refusal or a clean extraction. */
function oddJar(rng: Prng, token: string): JarInput {
  const kind = rng.weighted<string>([
    [2, 'odd-name'],
    [2, 'lying-header'],
    [1, 'odd-manifest'],
    [1, 'wrong-count'],
  ]);
  switch (kind) {
    case 'odd-name': {
      const name = rng.pick([
        '',
        '.',
        './a',
        'a/./b',
        'a\u0000b',
        'dir/',
        'x'.repeat(rng.pick([255, 4000, 65_535])),
        '\u00e9t\u00e9.js',
        'a:b',
        'CON',
        ' ',
        '%2e%2e/x',
      ]);
      return { kind, hostile: false, bytes: buildZip({ entries: base([{ name, data: Buffer.from('x') }], token) }) };
    }
    case 'lying-header': {
      const data = Buffer.from('some content here');
      const lie: Partial<ZipEntrySpec> = rng.pick<Partial<ZipEntrySpec>>([
        { compressedSize: 0xffffffff },
        { compressedSize: 1 },
        { uncompressedSize: 1 },
        { uncompressedSize: 0xffffffff },
        { method: 99 },
        { method: 12 },
        { flags: 0x0801 },
        { flags: 0x0808 },
        { localName: `../escape-${token}` },
        { method: 0, raw: true, compressedSize: 4 },
      ]);
      return { kind, hostile: false, bytes: buildZip({ entries: base([{ name: 'data/a.txt', data, ...lie }], token) }) };
    }
    case 'odd-manifest': {
      const manifest = rng.pick([
        `Main-Class: ../../${FUZZ_CLASS}\r\n`,
        'Main-Class:\r\n',
        ' continuation first\r\n',
        `Main-Class: ${'a.'.repeat(10_000)}b\r\n`,
        `\ufeffMain-Class: ${FUZZ_CLASS}\r\n`,
        `Main-Class: ${FUZZ_CLASS}\r\n`.repeat(20_000),
        'no colon here\r\n',
        `program-class: __proto__\r\nMain-Class: ${FUZZ_CLASS}\r\n`,
      ]);
      return {
        kind,
        hostile: false,
        bytes: buildZip({ entries: [{ name: 'META-INF/MANIFEST.MF', data: Buffer.from(manifest) }, classEntry(FUZZ_CLASS)] }),
      };
    }
    default:
      return {
        kind,
        hostile: false,
        bytes: buildZip({
          entries: base([], token),
          claimedEntryCount: rng.pick([0, 1, 3, 0xffff]),
          ...(rng.chance(0.5) ? { comment: rng.bytes(rng.int(0, 100)) } : {}),
        }),
      };
  }
}

/** One jar input: hostile by construction, odd, or a valid jar with random byte mutations. */
export function jarInput(rng: Prng, token: string, hostileOnly = false): JarInput {
  const roll = hostileOnly ? 0 : rng.float();
  if (roll < 0.45) return hostileJar(rng, token);
  if (roll < 0.7) return oddJar(rng, token);
  const valid = buildZip({ entries: base([{ name: 'data/a.txt', data: rng.bytes(rng.size(2000)) }], token) });
  return { kind: 'mutated', hostile: false, bytes: mutateBytesRounds(rng, valid, 6) };
}
