import type { ConfigEntry } from './config-entry.js';
import type { ParsedConfigFile } from './parsed-config-file.js';

/**
 * Reads `flink-conf.yaml` the way Flink's legacy parser does: one `key: value` per line, split at
 * the first `": "`, everything after the first `#` a comment, no nesting, the last duplicate wins.
 * Bad lines are skipped with a warning instead of failing.
 */
export function parseLegacyConfig(text: string, file: string): ParsedConfigFile {
  const entries = new Map<string, ConfigEntry>();
  const warnings: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index] ?? '';
    const hash = raw.indexOf('#');
    const line = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    if (line.length === 0) continue;
    const where = `${file}:${index + 1}`;
    const separator = line.indexOf(': ');
    if (separator < 0) {
      warnings.push(`Skipping line ${where} ('${line}'): it is not a 'key: value' pair (missing space after ':'?)`);
      continue;
    }
    const key = line.slice(0, separator).trim();
    const value = line.slice(separator + 2).trim();
    if (key.length === 0 || value.length === 0) {
      warnings.push(`Skipping line ${where} ('${line}'): the key or the value is empty`);
      continue;
    }
    entries.delete(key);
    entries.set(key, { key, value, origin: { kind: 'file', file, line: index + 1 } });
  }
  return { file, format: 'legacy', entries: [...entries.values()], warnings };
}
