import { ConfigurationError } from '../core/errors.js';
import type { Configuration } from '../config/index.js';
import { SCHEDULER_MODE } from '../config/options/scheduler-options.js';
import type { EntrypointKind } from './entrypoint-arguments.js';

/**
 * Refuses a configuration the kind of process cannot run, as Flink does: Reactive Mode only exists
 * for standalone application clusters. The scripts check it before starting anything.
 */
export function checkClusterKind(kind: EntrypointKind, configuration: Configuration): void {
  if (kind === 'session' && configuration.get(SCHEDULER_MODE) === 'REACTIVE') {
    throw new ConfigurationError(
      'Reactive mode is configured for an unsupported cluster type. At the moment, reactive mode is only supported by standalone application clusters (bin/standalone-job.sh).',
    );
  }
}
