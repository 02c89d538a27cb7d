import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The directory of the running tsflink package (the one whose package.json is named tsflink). */
export function tsflinkPackageRoot(): string {
  cached ??= findPackageRoot(dirname(fileURLToPath(import.meta.url)), 'tsflink');
  return cached;
}

/** Walks up from `start` to the directory holding a package.json named `name`. */
export function findPackageRoot(start: string, name: string): string {
  let dir = start;
  while (true) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === name) return dir;
      } catch {
        // An unreadable package.json on the way up is not ours; keep climbing.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the ${name} package root above ${start}.`);
    dir = parent;
  }
}
