import { access, chmod, copyFile, lstat, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ProgramError } from '../core/errors.js';
import { getLogger } from '../core/logging.js';
import { extractArchive, type ExtractionLimits } from './archive-extractor.js';
import { classEntryPaths, isPlainModuleName, isValidClassName } from './class-path.js';
import { tsflinkPackageRoot } from './package-root.js';

/** Which archive and class to make importable, and where to unpack it. */
export interface JobModuleRequest {
  readonly archivePath: string;
  readonly mainClass: string;
  /** A private directory of this process; each call gets a fresh subdirectory in it. */
  readonly workDir: string;
  readonly limits?: Partial<ExtractionLimits>;
}

/** An unpacked job, ready for `import(moduleUrl)`. */
export interface PreparedJobModule {
  readonly moduleUrl: string;
  readonly dir: string;
}

const log = getLogger('JobModulePreparer');

/**
 * Unpacks a job archive (or copies a plain module) into a fresh 0700 directory under `workDir`,
 * marks it as ES modules, and links `node_modules/tsflink` to the running tsflink so the job's
 * `import ... from 'tsflink'` gets this very runtime. Returns the main class's module URL.
 */
export async function prepareJobModule(request: JobModuleRequest): Promise<PreparedJobModule> {
  const { archivePath, mainClass, workDir } = request;
  await mkdir(workDir, { recursive: true, mode: 0o700 });
  const dir = await mkdtemp(join(workDir, 'job-'));
  try {
    let modulePath: string;
    if (isPlainModuleName(archivePath)) {
      modulePath = join(dir, basename(archivePath));
      await copyFile(archivePath, modulePath);
      await chmod(modulePath, 0o600);
    } else {
      await extractArchive(archivePath, dir, request.limits);
      modulePath = await locateClass(dir, archivePath, mainClass);
    }
    await markAsModules(dir);
    await linkRuntime(dir);
    return { moduleUrl: pathToFileURL(modulePath).href, dir };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    if (error instanceof ProgramError) throw error;
    throw new ProgramError(`Cannot prepare job archive ${archivePath}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

async function locateClass(dir: string, archivePath: string, mainClass: string): Promise<string> {
  if (!isValidClassName(mainClass)) {
    throw new ProgramError(`Invalid job class name "${mainClass}": expected a dotted class name such as a.b.MyJob.`);
  }
  const candidates = classEntryPaths(mainClass);
  for (const entry of candidates) {
    const path = join(dir, entry);
    if (await exists(path)) return path;
  }
  throw new ProgramError(`Job archive ${archivePath} has no module for class ${mainClass} (looked for ${candidates.join(' and ')}).`, {
    context: { archivePath, mainClass },
    suggestion: 'Check the Main-Class of the archive or the class given with -j.',
  });
}

/** Compiled `.js` files are ES modules; say so unless the archive brings its own package.json. */
async function markAsModules(dir: string): Promise<void> {
  const manifest = join(dir, 'package.json');
  if (await exists(manifest)) return;
  await writeFile(manifest, `${JSON.stringify({ private: true, type: 'module' })}\n`, { mode: 0o600, flag: 'wx' });
}

/**
 * A bundled copy of tsflink would be a second runtime with its own registries; the running one wins.
 * `node_modules/tsflink` is a two-file shim re-exporting the runtime by its absolute URL rather than
 * a symlink: the job then gets the very module instances this process already loaded, whatever
 * Node's realpath resolution of a symlink would do.
 */
async function linkRuntime(dir: string): Promise<void> {
  const modules = join(dir, 'node_modules');
  await mkdir(modules, { recursive: true, mode: 0o700 });
  const link = join(modules, 'tsflink');
  const present = await lstat(link).then(
    () => true,
    () => false,
  );
  if (present) {
    log.warn('Job archive brings its own node_modules/tsflink; replacing it with the running tsflink.');
    await rm(link, { recursive: true, force: true });
  }
  await mkdir(link, { mode: 0o700 });
  const runtime = pathToFileURL(join(tsflinkPackageRoot(), 'dist', 'src', 'api', 'index.js')).href;
  await writeFile(
    join(link, 'package.json'),
    `${JSON.stringify({ name: 'tsflink', private: true, type: 'module', exports: './index.js' })}\n`,
    { mode: 0o600 },
  );
  await writeFile(join(link, 'index.js'), `export * from ${JSON.stringify(runtime)};\n`, { mode: 0o600 });
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
