import { deflateRawSync } from 'node:zlib';
import { crc32 } from '../../src/core/crc32.js';

/** One entry of a hand-built zip; every header field can lie. */
export interface ZipEntrySpec {
  readonly name: string | Buffer;
  readonly data: Buffer;
  /** 0 stored, 8 deflated (the data is deflated here unless `raw` says it already is). */
  readonly method?: number;
  /** The data is already in its stored form (e.g. a precomputed deflate stream). */
  readonly raw?: boolean;
  readonly crc?: number;
  readonly compressedSize?: number;
  readonly uncompressedSize?: number;
  /** Upper 16 bits: Unix mode (0o120777 for a symlink). */
  readonly externalAttributes?: number;
  readonly flags?: number;
  /** Name written in the local header when it should differ from the central directory's. */
  readonly localName?: string;
  /** Make this central entry point at an earlier entry's local header (overlapping-entry bombs). */
  readonly sharesLocalHeaderOf?: number;
}

/** Options for the archive as a whole. */
export interface ZipSpec {
  readonly entries: readonly ZipEntrySpec[];
  /** Entry count written in the end record (defaults to the truth). */
  readonly claimedEntryCount?: number;
  readonly comment?: Buffer;
  /** Bytes of the central directory to drop (a truncated archive). */
  readonly truncateCentralDirectory?: number;
}

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const END_SIG = 0x06054b50;

function nameBytes(name: string | Buffer): Buffer {
  return typeof name === 'string' ? Buffer.from(name, 'utf8') : name;
}

/** The header fields of one entry as they will be written (true or not). */
interface EntryFields {
  readonly method: number;
  readonly stored: Buffer;
  readonly crc: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly flags: number;
  readonly name: Buffer;
}

function fieldsOf(entry: ZipEntrySpec): EntryFields {
  const method = entry.method ?? 8;
  const stored = entry.raw === true || method !== 8 ? entry.data : deflateRawSync(entry.data);
  return {
    method,
    stored,
    crc: entry.crc ?? crc32(entry.raw === true ? Buffer.alloc(0) : entry.data, 0),
    compressedSize: entry.compressedSize ?? stored.length,
    uncompressedSize: entry.uncompressedSize ?? (entry.raw === true ? stored.length : entry.data.length),
    flags: (entry.flags ?? 0x0800) & 0xffff,
    name: nameBytes(entry.name),
  };
}

function localHeader(fields: EntryFields, localName: Buffer): Buffer {
  const local = Buffer.alloc(30);
  local.writeUInt32LE(LOCAL_SIG, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(fields.flags, 6);
  local.writeUInt16LE(fields.method & 0xffff, 8);
  local.writeUInt32LE(fields.crc >>> 0, 14);
  local.writeUInt32LE(fields.compressedSize >>> 0, 18);
  local.writeUInt32LE(fields.uncompressedSize >>> 0, 22);
  local.writeUInt16LE(localName.length, 26);
  return Buffer.concat([local, localName]);
}

function centralHeader(fields: EntryFields, externalAttributes: number, localOffset: number): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(CENTRAL_SIG, 0);
  header.writeUInt16LE(0x031e, 4); // made by Unix, so the external attributes carry a mode
  header.writeUInt16LE(20, 6);
  header.writeUInt16LE(fields.flags, 8);
  header.writeUInt16LE(fields.method & 0xffff, 10);
  header.writeUInt32LE(fields.crc >>> 0, 16);
  header.writeUInt32LE(fields.compressedSize >>> 0, 20);
  header.writeUInt32LE(fields.uncompressedSize >>> 0, 24);
  header.writeUInt16LE(fields.name.length, 28);
  header.writeUInt32LE(externalAttributes >>> 0, 38);
  header.writeUInt32LE(localOffset >>> 0, 42);
  return Buffer.concat([header, fields.name]);
}

function endRecord(spec: ZipSpec, centralLength: number, centralOffset: number, comment: Buffer): Buffer {
  const end = Buffer.alloc(22);
  const count = spec.claimedEntryCount ?? spec.entries.length;
  end.writeUInt32LE(END_SIG, 0);
  end.writeUInt16LE(count & 0xffff, 8);
  end.writeUInt16LE(count & 0xffff, 10);
  end.writeUInt32LE(centralLength >>> 0, 12);
  end.writeUInt32LE(centralOffset >>> 0, 16);
  end.writeUInt16LE(comment.length & 0xffff, 20);
  return end;
}

/**
 * Writes a zip byte by byte, so tests can make archives no well-behaved writer would: names that
 * escape, symlinks, sizes and CRCs that lie, entries sharing data, truncated directories.
 */
export function buildZip(spec: ZipSpec): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  spec.entries.forEach((entry, index) => {
    const fields = fieldsOf(entry);
    const shared = entry.sharesLocalHeaderOf === undefined ? undefined : offsets[entry.sharesLocalHeaderOf];
    offsets[index] = shared ?? offset;
    if (shared === undefined) {
      const local = localHeader(fields, entry.localName === undefined ? fields.name : Buffer.from(entry.localName, 'utf8'));
      parts.push(local, fields.stored);
      offset += local.length + fields.stored.length;
    }
    central.push(centralHeader(fields, entry.externalAttributes ?? 0o100644 << 16, offsets[index]));
  });
  const directory = Buffer.concat(central);
  const written =
    spec.truncateCentralDirectory === undefined
      ? directory
      : directory.subarray(0, Math.max(0, directory.length - spec.truncateCentralDirectory));
  const comment = spec.comment ?? Buffer.alloc(0);
  return Buffer.concat([...parts, written, endRecord(spec, directory.length, offset, comment), comment]);
}

/** A jar manifest naming `mainClass`. */
export function manifestEntry(mainClass: string): ZipEntrySpec {
  return { name: 'META-INF/MANIFEST.MF', data: Buffer.from(`Manifest-Version: 1.0\r\nMain-Class: ${mainClass}\r\n\r\n`) };
}

/** The module file of class `a.b.C` with a trivial body. */
export function classEntry(mainClass: string, body = 'export default 1;\n'): ZipEntrySpec {
  return { name: `${mainClass.split('.').join('/')}.js`, data: Buffer.from(body) };
}

let zeroKernel: { size: number; deflated: Buffer } | undefined;

/** A deflate stream of `size` zero bytes, computed once per size (bombs reuse it). */
export function deflatedZeros(size: number): Buffer {
  if (zeroKernel === undefined || zeroKernel.size !== size) zeroKernel = { size, deflated: deflateRawSync(Buffer.alloc(size)) };
  return zeroKernel.deflated;
}

/** The CRC-32 of `size` zero bytes. */
export function zerosCrc(size: number): number {
  return crc32(Buffer.alloc(size), 0);
}
