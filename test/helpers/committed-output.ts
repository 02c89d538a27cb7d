import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every line a file sink committed under `dir`: in-progress and pending part files are hidden (their
 * names start with a dot), so what is left is exactly what a reader may see.
 */
export function committedLines(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return committedLines(path);
    return name.startsWith('.')
      ? []
      : readFileSync(path, 'utf8')
          .split('\n')
          .filter((line) => line !== '');
  });
}

/** Checks the keyed counter's output: (k,1)..(k,n) for every key; returns what is missing and what is doubled. */
export function checkKeyedCounts(lines: readonly string[], keys: number, perKey: number): { missing: string[]; duplicated: string[] } {
  const expected: string[] = [];
  for (let key = 0; key < keys; key++) for (let count = 1; count <= perKey; count++) expected.push(`(${key},${count})`);
  return checkEachOnce(lines, expected);
}

/** Compares committed lines with `expected`, each of which must appear exactly once; returns what is missing and what is doubled. */
export function checkEachOnce(lines: readonly string[], expected: readonly string[]): { missing: string[]; duplicated: string[] } {
  const seen = new Map<string, number>();
  for (const line of lines) seen.set(line, (seen.get(line) ?? 0) + 1);
  return {
    missing: expected.filter((line) => !seen.has(line)),
    duplicated: [...seen].filter(([, n]) => n > 1).map(([line]) => line),
  };
}
