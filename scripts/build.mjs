#!/usr/bin/env node
// `npm run build` (also run by `npm ci` through `prepare`, and by `npm test`): each step runs only
// when the files it reads have changed since it last succeeded, so `npm ci` then `npm test` builds once.
// Plain JavaScript: it has to run before anything is compiled. `--force` rebuilds every step.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stampDir = join(root, 'dist', '.build-stamps');
const SOURCE_FILE = /\.(ts|mts|mjs|js|json|html|css)$/;

/** Every source file under `path` (a file or a directory), skipping `skip` directories. */
function sourceFiles(path, skip) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const child = join(path, entry.name);
    if (entry.isDirectory()) return skip.includes(child) ? [] : sourceFiles(child, skip);
    return SOURCE_FILE.test(entry.name) ? [child] : [];
  });
}

/** A digest of the names and contents of a step's inputs; contents, not mtimes, since git checkouts touch mtimes. */
function digest(step) {
  const hash = createHash('sha256');
  for (const file of step.inputs.flatMap((path) => sourceFiles(path, step.skip ?? [])).sort()) {
    hash.update(`${file.split(sep).join('/')}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const node = (script, ...args) => execFileSync(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' });

/** Compiled outputs whose TypeScript source is gone: a renamed test would otherwise keep running from dist. */
function pruneOrphans() {
  const compiled = /(\.d\.ts|\.js\.map|\.js)$/;
  const walk = (dir) => {
    if (!existsSync(join(root, dir))) return;
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (compiled.test(entry.name)) {
        const source = relative('dist', path).replace(compiled, '.ts');
        if (!existsSync(join(root, source))) rmSync(join(root, path));
      }
    }
  };
  for (const dir of ['src', 'test', 'bench', 'scripts', 'examples']) walk(join('dist', dir));
}

/** The build, in order; a step's inputs include what earlier steps produce from. */
const STEPS = [
  {
    name: 'typescript',
    inputs: ['tsconfig.json', 'package-lock.json', 'src', 'test', 'bench', 'scripts', 'examples'],
    skip: [join('src', 'web')],
    outputs: [join('dist', 'src', 'cli', 'main.js')],
    run: () => {
      node(tsc, '-p', 'tsconfig.json');
      pruneOrphans();
    },
  },
  {
    name: 'web',
    inputs: ['tsconfig.json', 'src'],
    outputs: [join('dist', 'web', 'main.js'), join('dist', 'web', 'index.html')],
    run: () => {
      node(tsc, '-p', join('src', 'web', 'tsconfig.json'));
      // The dashboard imports the REST response types (src/rest/types/) as types only, so tsc also
      // writes those modules beside it, to dist/rest; no browser module loads them.
      rmSync(join(root, 'dist', 'rest'), { recursive: true, force: true });
      node(join('dist', 'scripts', 'copy-web-assets.js'));
    },
  },
  {
    name: 'examples',
    inputs: ['tsconfig.json', 'examples', join('scripts', 'build-examples.ts'), join('src', 'packaging')],
    outputs: [join('examples', 'streaming', 'TopSpeedWindowing.jar')],
    run: () => node(join('dist', 'scripts', 'build-examples.js')),
  },
];

/** Runs the steps whose inputs changed (all of them with `force`); returns the names of the steps that ran. */
export function build({ force = false } = {}) {
  mkdirSync(stampDir, { recursive: true });
  const ran = [];
  for (const step of STEPS) {
    // The jars the examples step writes into examples/ are not source files, so they never count as inputs.
    const hash = digest(step);
    const stampFile = join(stampDir, `${step.name}.sha256`);
    const fresh =
      !force &&
      existsSync(stampFile) &&
      readFileSync(stampFile, 'utf8') === hash &&
      step.outputs.every((output) => existsSync(join(root, output)));
    if (fresh) continue;
    rmSync(stampFile, { force: true });
    step.run();
    writeFileSync(stampFile, hash);
    ran.push(step.name);
  }
  return ran;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const ran = build({ force: process.argv.includes('--force') });
    console.log(ran.length === 0 ? 'Build is up to date.' : `Built: ${ran.join(', ')}.`);
  } catch {
    // tsc and the scripts already printed what failed.
    process.exit(1);
  }
}
