import type { OptionGroup } from '../config-option.js';
import { minusOneOrAtLeast, positiveDuration } from '../option-checks.js';
import { durationOption, intOption } from '../option-builders.js';

export const HEARTBEAT_INTERVAL = durationOption('heartbeat.interval', {
  description: 'How often heartbeats are sent between JobManager components and TaskManagers. Must be smaller than heartbeat.timeout.',
  default: 10_000,
  check: positiveDuration,
  sentToTaskManagers: true,
});

export const HEARTBEAT_TIMEOUT = durationOption('heartbeat.timeout', {
  description:
    'A peer that has sent no heartbeat for this long is considered lost (applies in both directions). A TaskManager that exits is noticed at once from its closed connection; this catches one that hangs.',
  default: 50_000,
  check: positiveDuration,
  sentToTaskManagers: true,
});

export const HEARTBEAT_RPC_FAILURE_THRESHOLD = intOption('heartbeat.rpc-failure-threshold', {
  description: 'Number of heartbeat RPCs in a row that may fail before the peer is considered unreachable; -1 turns this check off.',
  default: 2,
  check: minusOneOrAtLeast(1, 'off'),
  sentToTaskManagers: true,
});

/** Liveness detection between processes. */
export const HEARTBEAT_OPTIONS: OptionGroup = {
  title: 'Heartbeats',
  options: [HEARTBEAT_INTERVAL, HEARTBEAT_TIMEOUT, HEARTBEAT_RPC_FAILURE_THRESHOLD],
};
