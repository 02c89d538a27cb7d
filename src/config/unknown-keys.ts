import { ALL_OPTIONS, isKnownKey } from './all-options.js';
import type { Configuration } from './configuration.js';
import { editDistance } from './edit-distance.js';

/** The declared key nearest to `key` (case-insensitive edit distance), if one is close enough. */
export function suggestKey(key: string): string | undefined {
  const wanted = key.toLowerCase();
  const limit = Math.max(2, Math.floor(key.length / 5));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const option of ALL_OPTIONS) {
    const distance = editDistance(wanted, option.key.toLowerCase());
    if (distance < bestDistance) {
      best = option.key;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/**
 * One warning per explicit key tsflink does not declare. Such keys are accepted, as Flink does;
 * the warning names where the key was set and the nearest known key.
 */
export function unknownKeyWarnings(configuration: Configuration): string[] {
  const warnings: string[] = [];
  for (const { key } of configuration.entries()) {
    if (isKnownKey(key)) continue;
    const suggestion = suggestKey(key);
    const where = configuration.origin(key) ?? 'unknown origin';
    warnings.push(`Unknown configuration key '${key}' (from ${where})${suggestion === undefined ? '' : `; did you mean '${suggestion}'?`}`);
  }
  return warnings;
}
