/** Thin promise layer over yauzl: open a zip, walk its entries with decoded names, read small entries. */
import yauzl from 'yauzl';
import { ProgramError } from '../core/errors.js';

/** One entry of an open zip, with its name decoded but not yet validated. */
export interface ZipEntry {
  readonly name: string;
  readonly entry: yauzl.Entry;
  readonly isDirectory: boolean;
  readonly isSymlink: boolean;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** Opens `archivePath` for lazy, validated reading; a corrupt zip is a ProgramError naming the file. */
export async function openZip(archivePath: string): Promise<yauzl.ZipFile> {
  try {
    return await yauzl.openPromise(archivePath, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: false,
      validateEntrySizes: true,
    });
  } catch (error) {
    throw archiveError(archivePath, error);
  }
}

/**
 * An entry name as messages show it: quoted with control characters escaped (a name may hold a
 * CR or LF that would break the one-line error) and cut short, since names may be 64 KiB long.
 */
export function quoteEntryName(name: string): string {
  const quoted = JSON.stringify(name);
  return quoted.length <= 200 ? quoted : `${quoted.slice(0, 200)}..." (${name.length} characters)`;
}

/** A ProgramError for an archive that cannot be read, with the underlying reason. */
export function archiveError(archivePath: string, error: unknown, entryName?: string): ProgramError {
  if (error instanceof ProgramError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const where = entryName === undefined ? '' : ` (entry ${quoteEntryName(entryName)})`;
  return new ProgramError(`Cannot read job archive ${archivePath}${where}: ${reason}`, {
    cause: error,
    context: { archivePath, ...(entryName === undefined ? {} : { entry: entryName }) },
    suggestion: 'Check that the file is a complete, valid zip/jar archive.',
  });
}

/** The entries of an open zip in central-directory order; errors become ProgramErrors naming the file. */
export async function* zipEntries(zip: yauzl.ZipFile, archivePath: string): AsyncGenerator<ZipEntry> {
  const iterator = zip.eachEntry();
  while (true) {
    let next: IteratorResult<yauzl.Entry>;
    try {
      next = await iterator.next();
    } catch (error) {
      throw archiveError(archivePath, error);
    }
    if (next.done === true) return;
    const entry = next.value;
    // decodeStrings is off so yauzl keeps backslashes and odd paths for us to judge and name.
    const raw = entry.fileName as unknown as Buffer;
    const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, true);
    const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
    yield {
      name,
      entry,
      isDirectory: name.endsWith('/'),
      isSymlink: (mode & S_IFMT) === S_IFLNK,
    };
  }
}

/** The inflated content of a small entry, refusing more than `maxBytes` whatever the header says. */
export async function readEntryBytes(zip: yauzl.ZipFile, zipEntry: ZipEntry, archivePath: string, maxBytes: number): Promise<Buffer> {
  if (zipEntry.entry.uncompressedSize > maxBytes) {
    throw new ProgramError(
      `Entry ${quoteEntryName(zipEntry.name)} of ${archivePath} is too large to read: ${zipEntry.entry.uncompressedSize} bytes, at most ${maxBytes} accepted.`,
    );
  }
  try {
    const stream = await zip.openReadStreamPromise(zipEntry.entry);
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) {
        stream.destroy();
        throw new ProgramError(`Entry ${quoteEntryName(zipEntry.name)} of ${archivePath} inflates beyond ${maxBytes} bytes.`);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, total);
  } catch (error) {
    throw archiveError(archivePath, error, zipEntry.name);
  }
}
