/**
 * Java jar manifests (`META-INF/MANIFEST.MF`): `Name: value` lines, values continued on lines that
 * start with one space, lines of at most 72 bytes, CRLF, LF or CR line ends. Only the main section
 * (up to the first blank line) matters to us.
 */
import { ProgramError } from '../core/errors.js';
import { openZip, readEntryBytes, zipEntries } from './zip-archive.js';

/** Where a jar keeps its manifest. */
export const MANIFEST_PATH = 'META-INF/MANIFEST.MF';
/** Manifests beyond this size are refused rather than read. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;
const MAX_LINE_BYTES = 72;

/** The main attributes of a manifest; names are looked up case-insensitively, as Java does. */
export class JarManifest {
  private readonly byLowerName = new Map<string, readonly [string, string]>();

  constructor(attributes: Iterable<readonly [string, string]>) {
    for (const [name, value] of attributes) this.byLowerName.set(name.toLowerCase(), [name, value]);
  }

  get(name: string): string | undefined {
    return this.byLowerName.get(name.toLowerCase())?.[1];
  }

  /** Every main attribute as written, in file order. */
  attributes(): Array<[string, string]> {
    return Array.from(this.byLowerName.values(), ([n, v]) => [n, v]);
  }

  /** The job's entry class as Flink picks it: `program-class` wins over `Main-Class`. */
  get entryClass(): string | undefined {
    const value = this.get('program-class') ?? this.get('Main-Class');
    const trimmed = value?.trim();
    return trimmed === undefined || trimmed === '' ? undefined : trimmed;
  }
}

/** Parses the main section of a manifest's text; `source` names the file in errors. */
export function parseManifest(text: string, source = 'manifest'): JarManifest {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const attributes: Array<[string, string]> = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') break;
    if (line.startsWith(' ')) {
      const last = attributes[attributes.length - 1];
      if (last === undefined) throw invalidLine(source, i, 'a continuation line before any attribute');
      last[1] += line.slice(1);
      continue;
    }
    const colon = line.indexOf(': ');
    if (colon <= 0) throw invalidLine(source, i, `"${line.slice(0, 60)}" is not "Name: value"`);
    attributes.push([line.slice(0, colon), line.slice(colon + 2)]);
  }
  return new JarManifest(attributes);
}

function invalidLine(source: string, index: number, what: string): ProgramError {
  return new ProgramError(`Invalid manifest ${source}, line ${index + 1}: ${what}; expected "Name: value" lines.`);
}

/** Writes a manifest's main section, wrapping lines at 72 bytes without splitting a character. */
export function formatManifest(attributes: ReadonlyArray<readonly [string, string]>): string {
  let out = '';
  for (const [name, value] of attributes) {
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value) || name.includes(':') || name === '') {
      throw new ProgramError(`Cannot write manifest attribute "${name}": names must be non-empty without ':' and values single-line.`);
    }
    out += wrapLine(`${name}: ${value}`);
  }
  return `${out}\r\n`;
}

function wrapLine(line: string): string {
  let out = '';
  let current = '';
  let currentBytes = 0;
  for (const ch of line) {
    const bytes = Buffer.byteLength(ch, 'utf8');
    if (currentBytes + bytes > MAX_LINE_BYTES) {
      out += `${current}\r\n`;
      current = ' ';
      currentBytes = 1;
    }
    current += ch;
    currentBytes += bytes;
  }
  return `${out}${current}\r\n`;
}

/** The manifest of a jar, or undefined when it has none; a corrupt jar is a ProgramError. */
export async function readManifest(jarPath: string): Promise<JarManifest | undefined> {
  const zip = await openZip(jarPath);
  try {
    for await (const entry of zipEntries(zip, jarPath)) {
      if (entry.name.toUpperCase() === MANIFEST_PATH) {
        const bytes = await readEntryBytes(zip, entry, jarPath, MAX_MANIFEST_BYTES);
        return parseManifest(bytes.toString('utf8'), `${jarPath}!/${entry.name}`);
      }
    }
    return undefined;
  } finally {
    zip.close();
  }
}
