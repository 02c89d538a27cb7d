import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isOneLine, withDeadline, type FuzzOutcome } from '../fuzz-target.js';
import { preview } from '../mutators.js';
import type { Prng } from '../prng.js';
import type { SandboxResult } from '../sandbox.js';
import { SandboxedTarget } from './sandboxed-target.js';
import { FUZZ_CLASS, jarInput, type JarInput } from './jar-inputs.js';

const OPERATION_TIMEOUT_MS = 60_000;
const SCRIPT_TIMEOUT_MS = 60_000;

/** Every file and directory under `dir`, relative to it (symlinks not followed). */
function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      out.push(relative(dir, path));
      if (entry.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return out;
}

/**
 * Files an operation left outside the places it may write, and absolute-path escapes. `dirs` may
 * exist themselves; only under `trees` may anything else be.
 */
function escapes(root: string, dirs: readonly string[], trees: readonly string[], token: string): string[] {
  const stray = listTree(root).filter(
    (path) => !dirs.includes(path) && !trees.some((tree) => path === tree || path.startsWith(`${tree}/`)),
  );
  const absolute = [`/tmp/tsf-fuzz-abs-${token}`, `/escape-${token}`].filter((path) => existsSync(path));
  return [...stray, ...absolute];
}

function judgeResult(result: SandboxResult, input: JarInput): string | undefined {
  if (result.ok) return input.hostile ? `accepted a hostile archive (${input.kind}): ${result.detail}` : undefined;
  if (result.name !== 'ProgramError') return `failed with ${result.name} instead of a ProgramError: ${result.message.slice(0, 300)}`;
  if (!isOneLine(result.message)) return `the error is not one line: ${JSON.stringify(result.message.slice(0, 300))}`;
  return undefined;
}

/**
 * (f) Job archives: zip-slip names, absolute paths, symlinks, bombs (ratio, lying sizes,
 * overlapping entries, too many entries), lying headers, truncated directories and byte-mutated
 * jars, through extractArchive and findJobArchive + prepareJobModule in a sandboxed process; every
 * `scriptEvery`-th hostile jar also through `bin/standalone-job.sh start-foreground`. Each is
 * refused with one ProgramError line (or handled cleanly) and nothing is written outside the target.
 */
export class JarTarget extends SandboxedTarget {
  readonly name = 'jars';

  async runOne(rng: Prng, index: number): Promise<FuzzOutcome> {
    const token = `${process.pid}-${index}-${rng.string(6)}`;
    if (this.throughScript(index)) return this.runScript(jarInput(rng, token, true), token);
    const input = jarInput(rng, token);
    // Deep inside the input's own directory, so '../' escapes of a few levels still land where we look.
    const root = join(this.workDir, `i${index}`);
    const base = join(root, 'a', 'b', 'c');
    const lib = join(base, 'lib');
    mkdirSync(lib, { recursive: true });
    writeFileSync(join(lib, 'job.jar'), input.bytes);
    const described = `${input.kind}: ${preview(input.bytes, 400)}`;
    try {
      const extract = rng.chance(0.6);
      const result = extract
        ? await this.sandbox.call({ op: 'extract', archivePath: join(lib, 'job.jar'), destDir: join(base, 'dest') }, OPERATION_TIMEOUT_MS)
        : await this.sandbox.call(
            { op: 'find', libDirs: [lib], className: rng.chance(0.5) ? FUZZ_CLASS : undefined, workDir: join(base, 'work') },
            OPERATION_TIMEOUT_MS,
          );
      // Extraction writes only under dest/; preparing only inside its own work/job-* directory.
      const stray = escapes(
        root,
        ['a', 'a/b', 'a/b/c', 'a/b/c/lib', 'a/b/c/lib/job.jar', 'a/b/c/work'],
        extract ? ['a/b/c/dest'] : [],
        token,
      ).filter((path) => extract || !/^a\/b\/c\/work\/job-[^/]+(\/|$)/.test(path));
      if (stray.length > 0) return { input: described, problem: `wrote outside the destination: ${stray.slice(0, 5).join(', ')}` };
      // Finding reads only the table of contents, but preparing extracts: a hostile jar is refused either way.
      const problem = judgeResult(result, input);
      return { input: described, ...(problem === undefined ? {} : { problem }) };
    } catch (error) {
      return { input: described, problem: (error as Error).message };
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }

  /** A hostile jar through the real script: the JobManager must stop with one ERROR line and write nothing outside its dirs. */
  private async runScript(input: JarInput, token: string): Promise<FuzzOutcome> {
    const dist = this.dist;
    for (const name of readdirSync(dist.libDir)) rmSync(join(dist.libDir, name), { force: true });
    writeFileSync(join(dist.libDir, 'job.jar'), input.bytes);
    const described = `standalone-job.sh start-foreground with ${input.kind}: ${preview(input.bytes, 200)}`;
    const child = dist.startForeground('standalone-job.sh', ['-j', FUZZ_CLASS]);
    let result: { exitCode?: number; all?: unknown };
    try {
      result = await withDeadline(child, SCRIPT_TIMEOUT_MS, 'standalone-job.sh start-foreground');
    } catch (error) {
      child.kill('SIGKILL');
      return { input: described, problem: String(error) };
    }
    const output = String(result.all ?? '');
    const errorLines = output.split('\n').filter((line) => line.startsWith('ERROR:'));
    const stray = escapes(dist.dir, [], ['conf', 'pid', 'log', 'tmp', 'lib'], token);
    if (stray.length > 0) return { input: described, problem: `wrote outside its directories: ${stray.slice(0, 5).join(', ')}` };
    if (result.exitCode === 0) return { input: described, problem: 'the JobManager accepted a hostile archive and exited 0' };
    if (errorLines.length !== 1)
      return { input: described, problem: `expected one ERROR line, got ${errorLines.length}: ${preview(output, 600)}` };
    return { input: described };
  }
}
