import type { OptionGroup } from '../config-option.js';
import { atLeast, decimalAtLeast, decimalRange, durationAtLeast, positiveDuration } from '../option-checks.js';
import { booleanOption, doubleOption, durationOption, enumOption, intOption } from '../option-builders.js';

/** Why the time defaults differ from Flink's: they are sized for one machine and trials of minutes. */
const SHORT_TRIAL_NOTE = (flinkDefault: string): string =>
  `Flink's default is ${flinkDefault}; tsflink's is sized for one machine and trials of a few minutes.`;

export const AUTOSCALER_ENABLED = booleanOption('job.autoscaler.enabled', {
  description:
    'Run the built-in autoscaler. bin/standalone-job.sh then runs it inside the JobManager; bin/autoscaler.sh runs it as its own process beside any cluster.',
  default: false,
});

export const AUTOSCALER_SCALING_ENABLED = booleanOption('job.autoscaler.scaling.enabled', {
  description:
    'When false the autoscaler only collects metrics and recommends a parallelism per vertex (dry run): each recommendation is logged and served under /jobs/:jobid/autoscaler, and nothing is changed.',
  default: true,
});

export const AUTOSCALER_METRICS_WINDOW = durationOption('job.autoscaler.metrics.window', {
  description:
    'How much metric history a decision averages over. No decision is made until the history since the last rescale (after the stabilization interval) covers this window.',
  default: 30_000,
  check: positiveDuration,
  note: SHORT_TRIAL_NOTE('15 min'),
});

export const AUTOSCALER_STABILIZATION_INTERVAL = durationOption('job.autoscaler.stabilization.interval', {
  description:
    'After the job starts or rescales, metrics are ignored for this long (rates and busy time settle, backlog built up during the restart is drained) and no scaling happens.',
  default: 10_000,
  note: SHORT_TRIAL_NOTE('5 min'),
});

export const AUTOSCALER_TARGET_UTILIZATION = doubleOption('job.autoscaler.target.utilization', {
  description:
    'The busy fraction each vertex is sized for: a vertex is given the parallelism at which its target rate keeps it busy this fraction of the time, leaving the rest as headroom.',
  default: 0.7,
  check: decimalRange(0, 1),
});

export const AUTOSCALER_TARGET_UTILIZATION_BOUNDARY = doubleOption('job.autoscaler.target.utilization.boundary', {
  description:
    'Hysteresis around the target utilization: no scaling happens while every vertex would be busy between target - boundary and target + boundary at its target rate.',
  default: 0.2,
  check: decimalRange(0, 1),
  note: "Flink's default is 0.3 (scale up only once a vertex is fully busy); 0.2 scales up at 90 % busy, before backpressure builds.",
});

export const AUTOSCALER_SCALE_UP_MAX_FACTOR = doubleOption('job.autoscaler.scale-up.max-factor', {
  description: "Largest scale-up in one decision: a vertex's new parallelism is at most (1 + factor) times its current one.",
  default: 100_000,
  check: decimalAtLeast(0),
});

export const AUTOSCALER_SCALE_DOWN_MAX_FACTOR = doubleOption('job.autoscaler.scale-down.max-factor', {
  description:
    "Largest scale-down in one decision: a vertex's new parallelism is at least (1 - factor) times its current one. 1 means no limit; 0.6 lets it shrink by 60 %.",
  default: 0.6,
  check: decimalRange(0, 1),
});

export const AUTOSCALER_SCALE_DOWN_INTERVAL = durationOption('job.autoscaler.scale-down.interval', {
  description:
    'A scale-down is applied only once it has been recommended for this long, at the highest parallelism recommended during that time; a scale-up in between cancels it. 0 applies scale-downs at once.',
  default: 30_000,
  deprecatedKeys: ['job.autoscaler.scale-up.grace-period'],
  note: SHORT_TRIAL_NOTE('1 h'),
});

export const AUTOSCALER_CATCH_UP_DURATION = durationOption('job.autoscaler.catch-up.duration', {
  description:
    "The time in which the sources' backlog (pendingRecords) should be processed after a decision; the backlog divided by it is added to the target rate. 0 disables backlog-based scaling.",
  default: 60_000,
  note: SHORT_TRIAL_NOTE('30 min'),
});

export const AUTOSCALER_RESTART_TIME = durationOption('job.autoscaler.restart.time', {
  description:
    'The expected length of a rescale; the records arriving meanwhile must also be caught up within catch-up.duration, so this raises the target rate.',
  default: 10_000,
  note: SHORT_TRIAL_NOTE('5 min'),
});

export const AUTOSCALER_BACKLOG_LAG_THRESHOLD = durationOption('job.autoscaler.backlog-processing.lag-threshold', {
  description:
    'While a source has more backlog than this many seconds of its input, the job is catching up: vertices may then run fully busy and are never scaled down.',
  default: 30_000,
  note: SHORT_TRIAL_NOTE('5 min'),
});

export const AUTOSCALER_VERTEX_MIN_PARALLELISM = intOption('job.autoscaler.vertex.min-parallelism', {
  description: 'The lowest parallelism the autoscaler gives a vertex.',
  default: 1,
  check: atLeast(1),
});

export const AUTOSCALER_VERTEX_MAX_PARALLELISM = intOption('job.autoscaler.vertex.max-parallelism', {
  description: "The highest parallelism the autoscaler gives a vertex; a vertex's own max parallelism (key groups) caps it further.",
  default: 200,
  check: atLeast(1),
});

export const AUTOSCALER_BUSY_TIME_AGGREGATOR = enumOption('job.autoscaler.metrics.busy-time.aggregator', ['MAX', 'AVG', 'MIN'], {
  description:
    "How the subtasks' busyTimeMsPerSecond combine into a vertex's busy time. MAX sizes a vertex for its busiest subtask, so a skewed key distribution is not averaged away.",
  default: 'MAX',
});

export const AUTOSCALER_KEY_GROUP_ADJUST_MODE = enumOption(
  'job.autoscaler.scaling.key-group.partitions.adjust.mode',
  ['EVENLY_SPREAD', 'MAXIMIZE_UTILISATION'],
  {
    description:
      'How a keyed vertex or a source is aligned: EVENLY_SPREAD raises the parallelism to the next divisor of its key groups, so every subtask gets as many; MAXIMIZE_UTILISATION stops at the first parallelism that lowers the largest share of key groups.',
    default: 'EVENLY_SPREAD',
  },
);

export const AUTOSCALER_CONTROL_LOOP_INTERVAL = durationOption('autoscaler.standalone.control-loop.interval', {
  description: 'How often the autoscaler collects metrics and decides.',
  default: 5_000,
  check: durationAtLeast(100),
  note: SHORT_TRIAL_NOTE('10 s'),
});

export const AUTOSCALER_TASK_MANAGERS_MIN = intOption('job.autoscaler.taskmanagers.min', {
  description: 'In Reactive Mode, the fewest TaskManagers the autoscaler keeps running.',
  default: 1,
  check: atLeast(0),
  note: 'tsflink only: Flink leaves TaskManagers to the deployment.',
});

export const AUTOSCALER_TASK_MANAGERS_MAX = intOption('job.autoscaler.taskmanagers.max', {
  description:
    'In Reactive Mode, the most TaskManagers the autoscaler starts. The machine bounds it too: never more than the cores times job.autoscaler.taskmanagers.cores-factor.',
  defaultText: 'cores × cores-factor',
  check: atLeast(1),
  note: 'tsflink only.',
});

export const AUTOSCALER_TASK_MANAGERS_CORES_FACTOR = doubleOption('job.autoscaler.taskmanagers.cores-factor', {
  description: "How many TaskManagers per core of this machine the autoscaler may run (the machine's bound on Reactive Mode scale-up).",
  default: 1,
  check: decimalAtLeast(0.01),
  note: 'tsflink only.',
});

/** The autoscaler: Flink's job.autoscaler.* keys and tsflink's TaskManager bounds. */
export const AUTOSCALER_OPTIONS: OptionGroup = {
  title: 'Autoscaler',
  options: [
    AUTOSCALER_ENABLED,
    AUTOSCALER_SCALING_ENABLED,
    AUTOSCALER_CONTROL_LOOP_INTERVAL,
    AUTOSCALER_METRICS_WINDOW,
    AUTOSCALER_STABILIZATION_INTERVAL,
    AUTOSCALER_TARGET_UTILIZATION,
    AUTOSCALER_TARGET_UTILIZATION_BOUNDARY,
    AUTOSCALER_SCALE_UP_MAX_FACTOR,
    AUTOSCALER_SCALE_DOWN_MAX_FACTOR,
    AUTOSCALER_SCALE_DOWN_INTERVAL,
    AUTOSCALER_CATCH_UP_DURATION,
    AUTOSCALER_RESTART_TIME,
    AUTOSCALER_BACKLOG_LAG_THRESHOLD,
    AUTOSCALER_VERTEX_MIN_PARALLELISM,
    AUTOSCALER_VERTEX_MAX_PARALLELISM,
    AUTOSCALER_BUSY_TIME_AGGREGATOR,
    AUTOSCALER_KEY_GROUP_ADJUST_MODE,
    AUTOSCALER_TASK_MANAGERS_MIN,
    AUTOSCALER_TASK_MANAGERS_MAX,
    AUTOSCALER_TASK_MANAGERS_CORES_FACTOR,
  ],
};
