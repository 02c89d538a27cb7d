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

/** An explicit key tsflink does not declare, where it was set, and the nearest declared key. */
export interface UnknownKey {
  readonly key: string;
  readonly origin: string;
  readonly suggestion: string | undefined;
}

/** Every explicit key tsflink does not declare. Such keys are accepted, as Flink does. */
export function unknownKeys(configuration: Configuration): UnknownKey[] {
  return configuration
    .entries()
    .filter(({ key }) => !isKnownKey(key))
    .map(({ key }) => ({ key, origin: configuration.origin(key) ?? 'unknown origin', suggestion: suggestKey(key) }));
}

/** The warning for one unknown key, naming where it was set and the nearest known key. */
export function unknownKeyWarning({ key, origin, suggestion }: UnknownKey): string {
  return `Unknown configuration key '${key}' (from ${origin})${suggestion === undefined ? '' : `; did you mean '${suggestion}'?`}`;
}

/** One warning per unknown key, for the log. */
export function unknownKeyWarnings(configuration: Configuration): string[] {
  return unknownKeys(configuration).map(unknownKeyWarning);
}
