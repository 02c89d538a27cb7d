import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type yauzl from 'yauzl';
import { ProgramError } from '../core/errors.js';
import { unsafeEntryNameReason } from './class-path.js';
import { crc32 } from '../core/crc32.js';
import { archiveError, openZip, quoteEntryName, zipEntries, type ZipEntry } from './zip-archive.js';

/** Bounds that keep a hostile archive from filling the disk or memory. */
export interface ExtractionLimits {
  readonly maxEntries: number;
  readonly maxEntryBytes: number;
  readonly maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio accepted for entries above `ratioThresholdBytes`. */
  readonly maxCompressionRatio: number;
  readonly ratioThresholdBytes: number;
}

const MIB = 1024 * 1024;

/** 10,000 entries, 64 MiB per entry, 256 MiB in all, ratio 200:1 above 1 MiB. */
export const DEFAULT_EXTRACTION_LIMITS: ExtractionLimits = {
  maxEntries: 10_000,
  maxEntryBytes: 64 * MIB,
  maxTotalBytes: 256 * MIB,
  maxCompressionRatio: 200,
  ratioThresholdBytes: MIB,
};

/** What an extraction wrote. */
export interface ExtractionResult {
  /** Entry names of the files written, in archive order. */
  readonly files: readonly string[];
  readonly totalBytes: number;
}

/**
 * Unpacks a zip/jar into `destDir` (directories 0700, files 0600, never overwriting). Refuses
 * unsafe names, symlinks and archives beyond `limits`, counting inflated bytes rather than trusting
 * headers. On failure the failing entry's partial file is removed; earlier files stay (the caller
 * owns `destDir`).
 */
export async function extractArchive(
  archivePath: string,
  destDir: string,
  limits: Partial<ExtractionLimits> = {},
): Promise<ExtractionResult> {
  const bounds: ExtractionLimits = { ...DEFAULT_EXTRACTION_LIMITS, ...limits };
  const root = resolve(destDir);
  const zip = await openZip(archivePath);
  try {
    if (zip.entryCount > bounds.maxEntries) {
      throw new ProgramError(`Refusing job archive ${archivePath}: ${zip.entryCount} entries, at most ${bounds.maxEntries} accepted.`);
    }
    await mkdir(root, { recursive: true, mode: 0o700 });
    const files: string[] = [];
    let totalBytes = 0;
    for await (const entry of zipEntries(zip, archivePath)) {
      const target = checkEntry(entry, archivePath, root, bounds, totalBytes);
      try {
        if (entry.isDirectory) {
          await mkdir(target, { recursive: true, mode: 0o700 });
          continue;
        }
        await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      } catch (error) {
        throw archiveError(archivePath, error, entry.name);
      }
      totalBytes += await writeEntry(zip, entry, target, archivePath, bounds, totalBytes);
      files.push(entry.name);
    }
    return { files, totalBytes };
  } finally {
    zip.close();
  }
}

/** Validates an entry against names and header sizes; returns where it goes. */
function checkEntry(entry: ZipEntry, archivePath: string, root: string, bounds: ExtractionLimits, totalSoFar: number): string {
  const refuse = (reason: string): ProgramError =>
    new ProgramError(`Refusing entry ${quoteEntryName(entry.name)} of job archive ${archivePath}: ${reason}.`, {
      context: { archivePath, entry: entry.name },
    });
  const reason = unsafeEntryNameReason(entry.name);
  if (reason !== undefined) throw refuse(reason);
  if (entry.isSymlink) throw refuse('symbolic links are not accepted');
  const target = join(root, entry.name);
  const rel = relative(root, target);
  if (rel.startsWith('..') || isAbsolute(rel)) throw refuse('it resolves outside the destination');
  const { uncompressedSize, compressedSize } = entry.entry;
  if (uncompressedSize > bounds.maxEntryBytes)
    throw refuse(`${uncompressedSize} bytes uncompressed, at most ${bounds.maxEntryBytes} accepted`);
  if (totalSoFar + uncompressedSize > bounds.maxTotalBytes) throw refuse(`the archive would exceed ${bounds.maxTotalBytes} bytes in all`);
  if (uncompressedSize > bounds.ratioThresholdBytes && uncompressedSize > bounds.maxCompressionRatio * Math.max(1, compressedSize)) {
    throw refuse(`compression ratio above ${bounds.maxCompressionRatio}:1`);
  }
  return target;
}

/** Streams one entry to `target` through a byte counter; returns the bytes written. */
async function writeEntry(
  zip: yauzl.ZipFile,
  entry: ZipEntry,
  target: string,
  archivePath: string,
  bounds: ExtractionLimits,
  totalSoFar: number,
): Promise<number> {
  const counter = new InflatedByteCounter(entry, archivePath, bounds, totalSoFar);
  try {
    const source = await zip.openReadStreamPromise(entry.entry);
    await pipeline(source, counter, createWriteStream(target, { flags: 'wx', mode: 0o600 }));
    return counter.bytes;
  } catch (error) {
    // 'wx' failing means the file was there before us (a duplicate entry): not ours to delete.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ProgramError(`Refusing entry ${quoteEntryName(entry.name)} of job archive ${archivePath}: the archive holds it twice.`, {
        context: { archivePath, entry: entry.name },
      });
    }
    // The partial file may not exist or be unnamable (ENAMETOOLONG); the entry's own error is what matters.
    await rm(target, { force: true }).catch(() => undefined);
    throw archiveError(archivePath, error, entry.name);
  }
}

/**
 * Counts inflated bytes and stops the stream as soon as a limit is crossed, whatever the header
 * claimed; checks the CRC-32 at the end, since yauzl does not and corrupt data may still inflate.
 */
class InflatedByteCounter extends Transform {
  bytes = 0;
  private crc = 0;

  constructor(
    private readonly entry: ZipEntry,
    private readonly archivePath: string,
    private readonly bounds: ExtractionLimits,
    private readonly totalSoFar: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    const { bounds } = this;
    let reason: string | undefined;
    if (this.bytes > bounds.maxEntryBytes) reason = `it inflates beyond ${bounds.maxEntryBytes} bytes`;
    else if (this.totalSoFar + this.bytes > bounds.maxTotalBytes)
      reason = `the archive inflates beyond ${bounds.maxTotalBytes} bytes in all`;
    else if (
      this.bytes > bounds.ratioThresholdBytes &&
      this.bytes > bounds.maxCompressionRatio * Math.max(1, this.entry.entry.compressedSize)
    ) {
      reason = `it inflates with a compression ratio above ${bounds.maxCompressionRatio}:1`;
    }
    if (reason !== undefined) {
      callback(this.refusal(reason));
      return;
    }
    this.crc = crc32(chunk, this.crc);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const expected = this.entry.entry.crc32 >>> 0;
    if (this.crc !== expected) {
      callback(this.refusal(`its CRC-32 is ${this.crc.toString(16)} where the archive says ${expected.toString(16)} (corrupt data)`));
      return;
    }
    callback();
  }

  private refusal(reason: string): ProgramError {
    return new ProgramError(`Refusing entry ${quoteEntryName(this.entry.name)} of job archive ${this.archivePath}: ${reason}.`, {
      context: { archivePath: this.archivePath, entry: this.entry.name },
    });
  }
}
