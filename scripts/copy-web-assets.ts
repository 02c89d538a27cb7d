#!/usr/bin/env node
// Part of `npm run build`: copies the dashboard's static files (HTML, CSS, images) from src/web to
// dist/web, beside the browser modules that `tsc -p src/web/tsconfig.json` writes there.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Extensions the web UI handler serves that tsc does not produce. */
const STATIC_EXTENSIONS = new Set(['.html', '.css', '.svg', '.png', '.ico']);

const root = fileURLToPath(new URL('../../', import.meta.url));
const source = join(root, 'src', 'web');
const target = join(root, 'dist', 'web');

mkdirSync(target, { recursive: true });
const copied = readdirSync(source).filter((name) => STATIC_EXTENSIONS.has(extname(name)));
for (const name of copied) copyFileSync(join(source, name), join(target, name));
console.log(`Copied ${copied.length} web asset(s) to ${target}: ${copied.join(', ')}`);
