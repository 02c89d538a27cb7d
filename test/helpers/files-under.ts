import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every file (not directory) under `dir`, or none when it is gone: what a clean-up left behind. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
