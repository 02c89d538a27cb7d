#!/usr/bin/env node
// `npm test`: type-check and build, then run every compiled test file with Node's test runner.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });

// The same steps as `npm run build`, so tests always run what the sources say.
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
run(process.execPath, [tsc, '-p', 'tsconfig.json']);
run(process.execPath, [tsc, '-p', join('src', 'web', 'tsconfig.json')]);
run(process.execPath, [join(root, 'dist', 'scripts', 'copy-web-assets.js')]);
run(process.execPath, [join(root, 'dist', 'scripts', 'build-examples.js')]);

function collect(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return collect(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

// Optional filters: `npm test -- e2e/cluster` runs the files whose path contains any filter.
const filters = process.argv.slice(2);
const files = collect(join(root, 'dist', 'test'))
  .filter((file) => filters.length === 0 || filters.some((f) => relative(root, file).includes(f)))
  .sort();
if (files.length === 0) {
  console.error(`No test files matched ${filters.join(' ')}`);
  process.exit(1);
}
const concurrency = process.env.TSFLINK_TEST_CONCURRENCY ?? '3';
const result = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NO_COLOR: '1' },
});
process.exit(result.status ?? 1);
