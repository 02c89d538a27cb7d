import type { Logger } from '../core/logging.js';
import type { LoadedConfiguration } from './load-configuration.js';

/** Writes what Flink logs at startup: each loaded property (secrets masked) at INFO, each warning at WARN. */
export function logLoadedConfiguration(loaded: LoadedConfiguration, logger: Logger): void {
  for (const { key, value } of loaded.configuration.entries()) {
    logger.info(`Loading configuration property: ${key}, ${value}`);
  }
  for (const warning of loaded.warnings) logger.warn(warning);
}
