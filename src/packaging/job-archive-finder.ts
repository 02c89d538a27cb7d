/**
 * Finds the job archive in lib/ and usrlib/ the way Flink's standalone-job entry point finds the
 * job jar: by class name when `-j` is given, otherwise the one archive that names an entry class.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describeError, ProgramError } from '../core/errors.js';
import { getLogger } from '../core/logging.js';
import { classEntryPaths, isJobArchiveName, isPlainModuleName, isValidClassName } from './class-path.js';
import { inspectJar } from './jar-inspector.js';
import { plainModuleClass } from './plain-module.js';

/** Where to look and, optionally, which class to look for (`-j`). */
export interface JobArchiveSearch {
  /** lib/ and usrlib/; a directory named `usrlib` is searched recursively and, when present, is the classpath scanned without `-j`. */
  readonly libDirs: readonly string[];
  readonly jobClassName?: string | undefined;
}

/** The archive holding the job and the class to run from it. */
export interface JobArchive {
  readonly archivePath: string;
  readonly mainClass: string;
}

/** One archive found on disk, with what could be learned about it. */
interface Candidate {
  readonly path: string;
  /** The class it names: manifest entry class for jars, declared or file-name class for plain modules. */
  readonly entryClass: string | undefined;
  readonly entryNames: ReadonlySet<string> | undefined;
  readonly error: unknown;
}

const NO_JAR = 'No JAR found on classpath. Please provide a JAR explicitly.';
const MULTIPLE_JARS = 'Multiple JAR archives with entry classes found on classpath. Please provide an entry class name.';
const log = getLogger('JobArchiveFinder');

/** Resolves the job archive and main class per Flink's rules and messages. */
export async function findJobArchive(search: JobArchiveSearch): Promise<JobArchive> {
  const existing: Array<{ dir: string; userLib: boolean }> = [];
  for (const dir of search.libDirs) {
    if (await isDirectory(dir)) existing.push({ dir, userLib: basename(dir) === 'usrlib' });
  }
  const userLibs = existing.filter((d) => d.userLib);
  if (search.jobClassName !== undefined) {
    // The user classpath (usrlib) shadows the system one (lib), as class loading would.
    const ordered = [...userLibs, ...existing.filter((d) => !d.userLib)];
    return findByClass(search.jobClassName, await collect(ordered), search.libDirs);
  }
  const classpath = userLibs.length > 0 ? userLibs : existing;
  return findOnlyEntryClass(await collect(classpath), search.libDirs);
}

function findByClass(className: string, candidates: Candidate[], searched: readonly string[]): JobArchive {
  const entryPaths = isValidClassName(className) ? classEntryPaths(className) : [];
  for (const c of candidates) {
    const inEntries = entryPaths.some((p) => c.entryNames?.has(p) === true);
    if (inEntries || c.entryClass === className) return { archivePath: c.path, mainClass: className };
  }
  const unreadable = describeUnreadable(candidates);
  throw new ProgramError(
    `Could not find job class ${className} in any job archive (.jar, .js, .mjs) in ${searched.join(', ')}${unreadable}.`,
    {
      context: { jobClassName: className, searched, unreadable: unreadablePaths(candidates) },
      suggestion: 'Copy the job archive into lib/ (or usrlib/) and check the class name given with -j.',
    },
  );
}

function findOnlyEntryClass(candidates: Candidate[], searched: readonly string[]): JobArchive {
  const withEntry = candidates.filter((c) => c.entryClass !== undefined);
  if (withEntry.length === 1) {
    for (const bad of candidates.filter((c) => c.error !== undefined)) {
      log.warn(`Ignoring unreadable archive ${bad.path}: ${describeError(bad.error)}`);
    }
    return { archivePath: withEntry[0]!.path, mainClass: withEntry[0]!.entryClass! };
  }
  if (withEntry.length === 0) {
    throw new ProgramError(`${NO_JAR}${describeUnreadable(candidates)}`, {
      context: { searched, unreadable: unreadablePaths(candidates) },
      suggestion: `Copy a job archive whose manifest names a Main-Class into ${searched.join(' or ')}, or pass -j <class>.`,
    });
  }
  throw new ProgramError(MULTIPLE_JARS, {
    context: { searched, archives: withEntry.map((c) => c.path) },
    suggestion: `Pass -j <class>; archives with entry classes: ${withEntry.map((c) => `${c.path} (${c.entryClass})`).join(', ')}.`,
  });
}

function describeUnreadable(candidates: Candidate[]): string {
  const bad = candidates.filter((c) => c.error !== undefined);
  if (bad.length === 0) return '';
  return ` (unreadable: ${bad.map((c) => `${c.path}: ${describeError(c.error)}`).join('; ')})`;
}

function unreadablePaths(candidates: Candidate[]): string[] {
  return candidates.filter((c) => c.error !== undefined).map((c) => c.path);
}

async function collect(dirs: ReadonlyArray<{ dir: string; userLib: boolean }>): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  for (const { dir, userLib } of dirs) {
    for (const path of await listArchives(dir, userLib)) candidates.push(await describeCandidate(path));
  }
  return candidates;
}

async function describeCandidate(path: string): Promise<Candidate> {
  try {
    if (isPlainModuleName(path)) {
      return { path, entryClass: await plainModuleClass(path), entryNames: undefined, error: undefined };
    }
    const info = await inspectJar(path);
    return { path, entryClass: info.manifest?.entryClass, entryNames: info.entryNames, error: undefined };
  } catch (error) {
    return { path, entryClass: undefined, entryNames: undefined, error };
  }
}

/** Archive files under `dir`, sorted; subdirectories too when `recursive` (symlinked directories are not followed). */
async function listArchives(dir: string, recursive: boolean): Promise<string[]> {
  const found: string[] = [];
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new ProgramError(`Cannot list job archives in ${dir}: ${describeError(error)}`, { cause: error });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive) found.push(...(await listArchives(path, true)));
    } else if (isJobArchiveName(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && (await isFile(path))))) {
      found.push(path);
    }
  }
  return found;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
