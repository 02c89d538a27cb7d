import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderConfigurationDocs } from '../src/config/render-configuration-docs.js';

// Compiled to dist/scripts/, so the project root is two levels up.
const target = fileURLToPath(new URL('../../docs/configuration.md', import.meta.url));

/** Writes docs/configuration.md from the option table (`npm run docs`). */
async function main(): Promise<void> {
  await writeFile(target, renderConfigurationDocs(), 'utf8');
  process.stdout.write(`Wrote ${target}\n`);
}

await main();
