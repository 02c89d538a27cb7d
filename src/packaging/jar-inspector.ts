import { MANIFEST_PATH, MAX_MANIFEST_BYTES, parseManifest, type JarManifest } from './manifest.js';
import { openZip, readEntryBytes, zipEntries } from './zip-archive.js';

/** A jar's table of contents: its entry names and its manifest, read in one pass. */
export interface JarInfo {
  readonly entryNames: ReadonlySet<string>;
  readonly manifest: JarManifest | undefined;
}

/** Lists a jar's entries and parses its manifest; a corrupt jar is a ProgramError naming the file. */
export async function inspectJar(jarPath: string): Promise<JarInfo> {
  const zip = await openZip(jarPath);
  try {
    const entryNames = new Set<string>();
    let manifest: JarManifest | undefined;
    for await (const entry of zipEntries(zip, jarPath)) {
      entryNames.add(entry.name);
      if (manifest === undefined && entry.name.toUpperCase() === MANIFEST_PATH) {
        const bytes = await readEntryBytes(zip, entry, jarPath, MAX_MANIFEST_BYTES);
        manifest = parseManifest(bytes.toString('utf8'), `${jarPath}!/${entry.name}`);
      }
    }
    return { entryNames, manifest };
  } finally {
    zip.close();
  }
}
