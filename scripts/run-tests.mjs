#!/usr/bin/env node
// `npm test`: build what changed (type-checking), lint and check formatting, install the Debian
// packages the chosen tests need, then run every test file with Node's test runner.
// `npm test -- e2e/cluster` runs the files whose path contains any of the given filters.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Test sources under `dir`, relative to the root: the sources decide what runs, never stale files in dist. */
function testSources(dir) {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testSources(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const started = Date.now();
try {
  build();
} catch {
  process.exit(1); // tsc or the build scripts printed why
}

// The checks a change must pass before any test runs: types (the build above compiled with them),
// lint with its import walls, and the formatter. Skipped only for a filtered run, which is for iterating.
const filters = process.argv.slice(2);
if (filters.length === 0) {
  for (const [what, args] of [
    ['lint', [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.']],
    ['format check', [join(root, 'node_modules', 'prettier', 'bin', 'prettier.cjs'), '--check', '--log-level', 'warn', '**/*.{ts,mjs,js}']],
  ]) {
    const check = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
    if (check.status !== 0) {
      console.error(
        `npm test stopped: the ${what} failed (npm run ${what === 'lint' ? 'lint' : 'format'} ${what === 'lint' ? 'shows' : 'fixes'} it).`,
      );
      process.exit(1);
    }
  }
}
const files = testSources('test')
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();
if (files.length === 0) {
  console.error(`No test file matches ${filters.join(' ')} (test files are test/**/*.test.ts).`);
  process.exit(1);
}

// Compiled by the build above, so it is TypeScript like the rest and has its own unit test.
const { provision } = await import('../dist/scripts/provision-test-tools.js');
const missing = provision(files);
if (missing !== null) {
  console.error(missing);
  process.exit(2);
}

const compiled = files.map((file) => join(root, 'dist', file.replace(/\.ts$/, '.js')));
// Test files run side by side; an empty or unset TSFLINK_TEST_CONCURRENCY means the default of 3.
const concurrency = process.env.TSFLINK_TEST_CONCURRENCY || '3';
if (!/^[1-9]\d*$/.test(concurrency)) {
  console.error(`TSFLINK_TEST_CONCURRENCY must be a whole number of at least 1 (it is ${JSON.stringify(concurrency)}).`);
  process.exit(2);
}
const result = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...compiled], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NO_COLOR: '1' },
});
console.log(`npm test took ${((Date.now() - started) / 1000).toFixed(0)} s.`);
process.exit(result.status ?? 1);
