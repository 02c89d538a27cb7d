import type { ConfigOption, OptionGroup, PatternOption } from './config-option.js';
import { keysOf } from './config-option.js';
import { AUTOSCALER_OPTIONS } from './options/autoscaler-options.js';
import { CHECKPOINTING_OPTIONS } from './options/checkpointing-options.js';
import { CLUSTER_OPTIONS } from './options/cluster-options.js';
import { CORE_OPTIONS } from './options/core-options.js';
import { DEPLOYMENT_OPTIONS } from './options/deployment-options.js';
import { ENV_OPTIONS } from './options/env-options.js';
import { HEARTBEAT_OPTIONS } from './options/heartbeat-options.js';
import { HIGH_AVAILABILITY_OPTIONS } from './options/high-availability-options.js';
import { JOB_MANAGER_OPTIONS } from './options/jobmanager-options.js';
import { METRICS_OPTIONS } from './options/metrics-options.js';
import { PIPELINE_OPTIONS } from './options/pipeline-options.js';
import { REST_OPTIONS } from './options/rest-options.js';
import { RESTART_OPTIONS } from './options/restart-options.js';
import { SCHEDULER_OPTIONS } from './options/scheduler-options.js';
import { SECURITY_OPTIONS } from './options/security-options.js';
import { STATE_OPTIONS } from './options/state-options.js';
import { TASK_MANAGER_OPTIONS } from './options/taskmanager-options.js';
import { WEB_OPTIONS } from './options/web-options.js';

/** Every area of the option table, in the order the docs present them. */
export const ALL_OPTION_GROUPS: readonly OptionGroup[] = [
  CORE_OPTIONS,
  JOB_MANAGER_OPTIONS,
  TASK_MANAGER_OPTIONS,
  SCHEDULER_OPTIONS,
  AUTOSCALER_OPTIONS,
  HEARTBEAT_OPTIONS,
  CLUSTER_OPTIONS,
  PIPELINE_OPTIONS,
  CHECKPOINTING_OPTIONS,
  STATE_OPTIONS,
  RESTART_OPTIONS,
  HIGH_AVAILABILITY_OPTIONS,
  REST_OPTIONS,
  SECURITY_OPTIONS,
  WEB_OPTIONS,
  METRICS_OPTIONS,
  DEPLOYMENT_OPTIONS,
  ENV_OPTIONS,
];

/** Every option with a fixed key. */
export const ALL_OPTIONS: readonly ConfigOption<unknown>[] = ALL_OPTION_GROUPS.flatMap((group) =>
  group.options.filter((option): option is ConfigOption<unknown> => option.kind === 'option'),
);

/** Every option whose key has a `<name>` segment. */
export const PATTERN_OPTIONS: readonly PatternOption<unknown>[] = ALL_OPTION_GROUPS.flatMap((group) =>
  group.options.filter((option): option is PatternOption<unknown> => option.kind === 'pattern'),
);

const OPTIONS_BY_ANY_KEY: ReadonlyMap<string, ConfigOption<unknown>> = new Map(
  ALL_OPTIONS.flatMap((option) => [option.key, ...option.deprecatedKeys].map((key) => [key, option] as const)),
);

/** The option whose key or deprecated key is `key`. */
export function findOption(key: string): ConfigOption<unknown> | undefined {
  return OPTIONS_BY_ANY_KEY.get(key);
}

const ALL_KEYS: ReadonlySet<string> = new Set(ALL_OPTIONS.flatMap((option) => keysOf(option)));
const MAP_OPTION_PREFIXES: readonly string[] = ALL_OPTIONS.filter((option) => option.type === 'map').map((option) => `${option.key}.`);

/** Whether tsflink declares `key`: a key, fallback or deprecated key, a pattern, or an entry of a map option. */
export function isKnownKey(key: string): boolean {
  if (ALL_KEYS.has(key)) return true;
  if (MAP_OPTION_PREFIXES.some((prefix) => key.startsWith(prefix) && key.length > prefix.length)) return true;
  return PATTERN_OPTIONS.some((option) => key.startsWith(option.prefix) && key.length > option.prefix.length);
}
