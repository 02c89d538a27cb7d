import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigurationError } from '../core/errors.js';
import { DYNAMIC_ORIGIN, type ConfigEntry } from './config-entry.js';
import { LEGACY_CONFIG_FILE, STANDARD_CONFIG_FILE, readConfigFile } from './config-file-reader.js';
import { Configuration } from './configuration.js';
import type { DynamicProperty } from './dynamic-properties.js';
import { unknownKeyWarnings } from './unknown-keys.js';

/** Inputs of {@link loadConfiguration}. */
export interface LoadConfigurationOptions {
  /** The configuration directory (`--configDir`; see {@link resolveConfDir}). */
  readonly confDir: string;
  /** `-D` properties, applied over the file in order. */
  readonly dynamicProperties?: readonly DynamicProperty[];
}

/** A loaded configuration plus what the process should log about it. */
export interface LoadedConfiguration {
  readonly configuration: Configuration;
  /** Skipped lines, unknown keys, deprecated keys, a missing or legacy file: log them at WARN. */
  readonly warnings: string[];
  /** Absolute path of the file read, or undefined when there was none. */
  readonly sourceFile: string | undefined;
}

/** `$FLINK_CONF_DIR` when set and non-empty, else `<flinkHome>/conf`; always absolute. */
export function resolveConfDir(env: Readonly<Record<string, string | undefined>>, flinkHome: string): string {
  const fromEnv = env['FLINK_CONF_DIR']?.trim();
  return resolve(fromEnv !== undefined && fromEnv.length > 0 ? fromEnv : join(flinkHome, 'conf'));
}

/**
 * Loads defaults < `<confDir>/config.yaml` (or, only without it, `flink-conf.yaml`) < `-D`
 * properties, and validates every value. Throws ConfigurationError, in one line, for a missing
 * directory, unreadable YAML or any bad value.
 */
export async function loadConfiguration(options: LoadConfigurationOptions): Promise<LoadedConfiguration> {
  const confDir = resolve(options.confDir);
  await requireDirectory(options.confDir, confDir);
  const file = await readConfigFile(confDir);
  const warnings: string[] = [];
  if (file === undefined) {
    warnings.push(`No configuration file in ${confDir} (looked for ${STANDARD_CONFIG_FILE} and ${LEGACY_CONFIG_FILE}); using defaults`);
  } else {
    if (file.format === 'legacy') {
      warnings.push(`Reading the legacy ${file.file} with the line-based parser; Flink 2.x reads only ${STANDARD_CONFIG_FILE}`);
    }
    warnings.push(...file.warnings);
  }
  const dynamic: ConfigEntry[] = (options.dynamicProperties ?? []).map(({ key, value }) => ({ key, value, origin: DYNAMIC_ORIGIN }));
  const configuration = Configuration.fromEntries([...(file?.entries ?? []), ...dynamic]);
  warnings.push(...unknownKeyWarnings(configuration), ...configuration.deprecationWarnings());
  return { configuration, warnings, sourceFile: file?.file };
}

async function requireDirectory(given: string, absolute: string): Promise<void> {
  const isDirectory = await stat(absolute).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (!isDirectory) {
    throw new ConfigurationError(
      `The configuration directory '${given}' (${absolute}) does not exist or is not a directory; expected FLINK_CONF_DIR or --configDir to name an existing directory.`,
      { context: { confDir: absolute } },
    );
  }
}
