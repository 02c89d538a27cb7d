import type { OptionGroup } from '../config-option.js';
import { positiveDuration } from '../option-checks.js';
import { durationOption } from '../option-builders.js';

export const CLUSTER_REGISTRATION_INITIAL_TIMEOUT = durationOption('cluster.registration.initial-timeout', {
  description:
    'Timeout of the first registration attempt between cluster components (a TaskManager registering with the ResourceManager); it doubles after each failed attempt.',
  default: 100,
  check: positiveDuration,
});

export const CLUSTER_REGISTRATION_MAX_TIMEOUT = durationOption('cluster.registration.max-timeout', {
  description: 'Upper bound of the doubling registration timeout.',
  default: 30_000,
  check: positiveDuration,
});

export const CLUSTER_REGISTRATION_ERROR_DELAY = durationOption('cluster.registration.error-delay', {
  description: 'Pause before the next registration attempt after an attempt failed with an error (not a timeout).',
  default: 10_000,
  check: positiveDuration,
});

/** How cluster components retry registering with each other. */
export const CLUSTER_OPTIONS: OptionGroup = {
  title: 'Cluster registration',
  options: [CLUSTER_REGISTRATION_INITIAL_TIMEOUT, CLUSTER_REGISTRATION_MAX_TIMEOUT, CLUSTER_REGISTRATION_ERROR_DELAY],
};
