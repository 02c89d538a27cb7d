import { ConfigurationError } from '../core/errors.js';
import { matchPattern } from './config-option.js';
import type { Configuration } from './configuration.js';
import { formatDuration } from './duration.js';
import { ALL_OPTIONS, PATTERN_OPTIONS } from './all-options.js';
import { displayValue } from './invalid-value-error.js';
import { HEARTBEAT_INTERVAL, HEARTBEAT_TIMEOUT } from './options/heartbeat-options.js';
import {
  HIGH_AVAILABILITY_STORAGE_DIR,
  HIGH_AVAILABILITY_TYPE,
  HIGH_AVAILABILITY_ZOOKEEPER_QUORUM,
} from './options/high-availability-options.js';

/**
 * Reads every declared option that is set (so a bad value fails now, not when some component
 * first reads it), every pattern option, then the rules that involve several options.
 */
export function validateConfiguration(configuration: Configuration): void {
  for (const option of ALL_OPTIONS) configuration.get(option);
  for (const { key } of configuration.entries({ unmasked: true })) {
    for (const option of PATTERN_OPTIONS) {
      if (option.suffix === undefined) continue;
      const name = matchPattern(option, key);
      if (name !== undefined) configuration.getNamed(option, name);
    }
  }
  checkHeartbeats(configuration);
  checkHighAvailability(configuration);
}

/** `'<key>' (<value>, from <origin>)` or `'<key>' (<value>, default)`, for rules naming two keys. */
function describeSetting(configuration: Configuration, key: string, shown: string): string {
  const origin = configuration.origin(key);
  return `'${key}' (${shown}, ${origin === undefined ? 'default' : `from ${origin}`})`;
}

function checkHeartbeats(configuration: Configuration): void {
  const interval = configuration.get(HEARTBEAT_INTERVAL);
  const timeout = configuration.get(HEARTBEAT_TIMEOUT);
  if (interval < timeout) return;
  const timeoutOnly = configuration.isExplicitlySet(HEARTBEAT_TIMEOUT) && !configuration.isExplicitlySet(HEARTBEAT_INTERVAL);
  const [culprit, other, relation] = timeoutOnly
    ? [HEARTBEAT_TIMEOUT, HEARTBEAT_INTERVAL, 'larger than']
    : [HEARTBEAT_INTERVAL, HEARTBEAT_TIMEOUT, 'smaller than'];
  const culpritKey = configuration.sourceKey(culprit) ?? culprit.key;
  const raw = configuration.rawValue(culpritKey) ?? formatDuration(configuration.get(culprit));
  throw new ConfigurationError(
    `Invalid value '${displayValue(culpritKey, raw)}' for '${culpritKey}' (from ${configuration.origin(culprit.key) ?? 'default'}): ` +
      `it must be ${relation} ${describeSetting(configuration, other.key, formatDuration(configuration.get(other)))}.`,
    { context: { key: culpritKey } },
  );
}

function checkHighAvailability(configuration: Configuration): void {
  const type = configuration.get(HIGH_AVAILABILITY_TYPE);
  if (type === 'NONE') return;
  const missing = !configuration.isExplicitlySet(HIGH_AVAILABILITY_STORAGE_DIR)
    ? `high availability needs '${HIGH_AVAILABILITY_STORAGE_DIR.key}' to be set.`
    : type === 'zookeeper' && !configuration.isExplicitlySet(HIGH_AVAILABILITY_ZOOKEEPER_QUORUM)
      ? `ZooKeeper high availability needs '${HIGH_AVAILABILITY_ZOOKEEPER_QUORUM.key}' to be set (host:port[,host:port...]).`
      : undefined;
  if (missing === undefined) return;
  const key = configuration.sourceKey(HIGH_AVAILABILITY_TYPE) ?? HIGH_AVAILABILITY_TYPE.key;
  throw new ConfigurationError(
    `Invalid value '${displayValue(key, configuration.rawValue(key) ?? type)}' for '${key}' (from ${configuration.origin(HIGH_AVAILABILITY_TYPE.key) ?? 'default'}): ${missing}`,
    { context: { key } },
  );
}
