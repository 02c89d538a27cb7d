import type { OptionGroup } from '../config-option.js';
import { positiveDuration } from '../option-checks.js';
import { durationOption, enumOption } from '../option-builders.js';

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

export const CLUSTER_TRANSPORT = enumOption('cluster.transport', ['auto', 'unix', 'tcp'], {
  description:
    "How the JobManager and TaskManagers reach each other. auto: Unix sockets in a private runtime directory while jobmanager.rpc.address names this host (localhost, a loopback address, this host's name or one of its addresses), TCP otherwise. tcp: always TCP, on jobmanager.rpc.port and taskmanager.data.port. unix: only Unix sockets, so every process must run on this host. In auto and tcp, a JobManager whose address is not loopback listens on both, so TaskManagers on its own host keep the Unix socket.",
  default: 'auto',
  note: 'tsflink only: Flink always uses TCP.',
});

/** How cluster components retry registering with each other. */
export const CLUSTER_OPTIONS: OptionGroup = {
  title: 'Cluster transport and registration',
  options: [CLUSTER_TRANSPORT, CLUSTER_REGISTRATION_INITIAL_TIMEOUT, CLUSTER_REGISTRATION_MAX_TIMEOUT, CLUSTER_REGISTRATION_ERROR_DELAY],
};
