import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '../../../src/config/index.js';

/** Creates a temporary conf dir holding `files` (name -> content), runs `body`, then removes it. */
export async function withConfDir<T>(files: Readonly<Record<string, string>>, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'tsflink-config-test-'));
  try {
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content, 'utf8');
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs `action` and returns the ConfigurationError it must throw. */
export async function configError(action: () => unknown): Promise<ConfigurationError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError, but nothing was thrown');
}
