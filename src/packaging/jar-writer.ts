import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { ProgramError } from '../core/errors.js';
import { isValidClassName, unsafeEntryNameReason } from './class-path.js';
import { formatManifest, MANIFEST_PATH } from './manifest.js';

/** What goes into a job archive besides its manifest. */
export interface JarContents {
  readonly mainClass: string;
  readonly entries: ReadonlyArray<{ readonly path: string; readonly content: Buffer | string }>;
  /** Further main attributes, after Manifest-Version, Created-By and Main-Class. */
  readonly attributes?: ReadonlyArray<readonly [string, string]>;
}

// A fixed local-time stamp: DOS zip times are local, so building it from local fields keeps the bytes
// identical in every time zone.
const FIXED_MTIME = new Date(2000, 0, 1, 0, 0, 0);

/** Writes a job archive (a jar naming `mainClass`) atomically; the same input always gives the same bytes. */
export async function writeJar(outPath: string, contents: JarContents): Promise<void> {
  if (!isValidClassName(contents.mainClass)) {
    throw new ProgramError(`Invalid Main-Class "${contents.mainClass}": expected a dotted class name such as a.b.MyJob.`);
  }
  const zip = new yazl.ZipFile();
  const manifest = formatManifest([
    ['Manifest-Version', '1.0'],
    ['Created-By', 'tsflink'],
    ['Main-Class', contents.mainClass],
    ...(contents.attributes ?? []),
  ]);
  zip.addEmptyDirectory('META-INF/', { mtime: FIXED_MTIME, mode: 0o40755, forceDosTimestamp: true });
  addFile(zip, MANIFEST_PATH, Buffer.from(manifest, 'utf8'));
  const seen = new Set<string>([MANIFEST_PATH]);
  for (const { path, content } of contents.entries) {
    const reason = unsafeEntryNameReason(path);
    if (reason !== undefined || path.endsWith('/')) {
      throw new ProgramError(`Cannot add entry "${path}" to ${outPath}: ${reason ?? 'directory names are not accepted'}.`);
    }
    if (seen.has(path)) throw new ProgramError(`Cannot add entry "${path}" to ${outPath} twice.`);
    seen.add(path);
    addFile(zip, path, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
  }
  zip.end();

  await mkdir(dirname(outPath), { recursive: true });
  const tmpPath = `${outPath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await pipeline(zip.outputStream, createWriteStream(tmpPath, { mode: 0o644 }));
    await rename(tmpPath, outPath);
  } catch (error) {
    await rm(tmpPath, { force: true });
    throw new ProgramError(`Cannot write job archive ${outPath}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

function addFile(zip: yazl.ZipFile, path: string, content: Buffer): void {
  zip.addBuffer(content, path, { mtime: FIXED_MTIME, mode: 0o100644, forceDosTimestamp: true, compress: true });
}
