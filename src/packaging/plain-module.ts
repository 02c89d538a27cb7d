import { open } from 'node:fs/promises';
import { basename, extname } from 'node:path';

const HEAD_BYTES = 16 * 1024;
const HEAD_LINES = 20;
const MAIN_CLASS_COMMENT = /^\s*\/\/\s*Main-Class:\s*(\S+)\s*$/;

/**
 * The class a plain `.js`/`.mjs` job module stands for: a `// Main-Class: a.b.C` comment within
 * its first 20 lines, else its file name without the extension.
 */
export async function plainModuleClass(modulePath: string): Promise<string> {
  const handle = await open(modulePath, 'r');
  let head: string;
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    head = buffer.toString('utf8', 0, bytesRead);
  } finally {
    await handle.close();
  }
  return declaredClass(head) ?? basename(modulePath, extname(modulePath));
}

/** The class named by a `// Main-Class:` comment in the first 20 lines of `source`, if any. */
export function declaredClass(source: string): string | undefined {
  const lines = source.split(/\r\n|\r|\n/, HEAD_LINES);
  for (const line of lines) {
    const match = MAIN_CLASS_COMMENT.exec(line);
    if (match !== null) return match[1];
  }
  return undefined;
}
