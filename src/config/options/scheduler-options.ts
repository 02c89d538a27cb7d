import type { OptionGroup } from '../config-option.js';
import { atLeast, positiveDuration } from '../option-checks.js';
import { booleanOption, durationOption, enumOption, intOption } from '../option-builders.js';

export const JOB_MANAGER_SCHEDULER = enumOption('jobmanager.scheduler', ['Default', 'Adaptive', 'AdaptiveBatch'], {
  description:
    'Which scheduler runs streaming jobs. Default runs every vertex at its configured parallelism and waits for the slots; Adaptive sizes the job to the slots that are available and rescales when that changes. AdaptiveBatch is for batch jobs.',
  default: 'Default',
  note: 'AdaptiveBatch is accepted so Flink configuration files load; tsflink runs streaming jobs only and has no batch scheduler.',
});

export const SCHEDULER_MODE = enumOption('scheduler-mode', ['REACTIVE'], {
  description:
    'Set to reactive to run in Reactive Mode: the Adaptive Scheduler is used whatever jobmanager.scheduler says, every vertex runs at its max parallelism bounded by the available slots, and the job rescales when TaskManagers come and go. Only standalone application clusters (bin/standalone-job.sh) support it.',
});

export const ADAPTIVE_SCHEDULER_RESOURCE_WAIT_TIMEOUT = durationOption('jobmanager.adaptive-scheduler.submission.resource-wait-timeout', {
  description:
    'How long the Adaptive Scheduler waits, after submission or a restart, for the slots the job needs. When it runs out it starts with what it has, or fails the job if that is below the minimum. A negative value (documented: -1) waits forever. Reactive Mode uses -1 unless this is set explicitly.',
  default: 5 * 60_000,
  allowNegative: true,
  deprecatedKeys: ['jobmanager.adaptive-scheduler.resource-wait-timeout'],
});

export const ADAPTIVE_SCHEDULER_RESOURCE_STABILIZATION_TIMEOUT = durationOption(
  'jobmanager.adaptive-scheduler.submission.resource-stabilization-timeout',
  {
    description:
      'When enough slots for a start are there but fewer than the job would like, the Adaptive Scheduler waits this long for more to arrive before starting. Reactive Mode uses 0 unless this is set explicitly.',
    default: 10_000,
    deprecatedKeys: ['jobmanager.adaptive-scheduler.resource-stabilization-timeout'],
  },
);

export const ADAPTIVE_SCHEDULER_MIN_PARALLELISM_INCREASE = intOption('jobmanager.adaptive-scheduler.min-parallelism-increase', {
  description: "The smallest increase of the job's summed parallelism that makes a running job scale up.",
  default: 1,
  check: atLeast(1),
  note: 'Flink 2.0 dropped this option; tsflink keeps the 1.13-1.20 behaviour.',
});

export const ADAPTIVE_SCHEDULER_COOLDOWN_AFTER_RESCALING = durationOption(
  'jobmanager.adaptive-scheduler.executing.cooldown-after-rescaling',
  {
    description:
      "Minimum time between two rescalings of a running job; changes that arrive earlier are applied when it has passed. tsflink's default is 0 ms, so scale-up stays immediate as in Flink 1.13-1.18 (Flink 2.x defaults to 30 s).",
    default: 0,
    deprecatedKeys: ['jobmanager.adaptive-scheduler.scaling-interval.min'],
  },
);

export const ADAPTIVE_SCHEDULER_SCALING_INTERVAL_MAX = durationOption('jobmanager.adaptive-scheduler.scaling-interval.max', {
  description:
    'When set, a pending scale-up that does not reach min-parallelism-increase is forced once this much time has passed since the last rescaling.',
  check: positiveDuration,
  note: 'Flink 1.19-1.20 semantics; Flink 2.0 replaced it with executing.resource-stabilization-timeout.',
});

export const ADAPTIVE_SCHEDULER_EXECUTING_RESOURCE_STABILIZATION_TIMEOUT = durationOption(
  'jobmanager.adaptive-scheduler.executing.resource-stabilization-timeout',
  {
    description:
      "While a job runs and its slots change: if the job can get all the parallelism it wants it rescales at once; if only enough for a rescale is there, it waits this long (restarting the wait on each change) before rescaling. tsflink's default is 0 ms, so scale-up stays immediate as in Flink 1.13-1.18 (Flink 2.x defaults to 1 min).",
    default: 0,
  },
);

export const ADAPTIVE_SCHEDULER_RESCALE_TRIGGER_MAX_DELAY = durationOption('jobmanager.adaptive-scheduler.rescale-trigger.max-delay', {
  description:
    "How long a due rescale of a running job waits for the checkpoint it rescales from. tsflink triggers that checkpoint at once (see rescale-trigger.fresh-checkpoint.enabled) and, if it has not completed in this time or failed, rescales from the latest completed checkpoint instead, saying so in the log. Unset, it is 3 × execution.checkpointing.interval (Flink's default with its rescale-trigger.max-checkpoint-failures of 2), and 0 ms without checkpointing.",
  check: positiveDuration,
  note: 'Flink 2.0 waits this long for the next periodic checkpoint (FLIP-461); tsflink takes a fresh one at once (as FLINK-36753 proposes) and bounds that wait.',
});

export const ADAPTIVE_SCHEDULER_RESCALE_TRIGGER_FRESH_CHECKPOINT = booleanOption(
  'jobmanager.adaptive-scheduler.rescale-trigger.fresh-checkpoint.enabled',
  {
    description:
      'When new slots (or new resource requirements) make a running job rescale, first take a checkpoint, with the sources pausing after its barrier, and rescale from it: nothing is replayed. false restores the latest completed checkpoint at once, as Flink 1.x does, replaying what the sources emitted since.',
    default: true,
    note: "tsflink only; close to Flink master's rescale-trigger.active-checkpoint.enabled, whose false waits for the next periodic checkpoint instead.",
  },
);

export const SLOT_REQUEST_TIMEOUT = durationOption('slot.request.timeout', {
  description: 'How long a slot request may stay unfulfilled before it fails.',
  default: 5 * 60_000,
  check: positiveDuration,
});

export const SLOT_IDLE_TIMEOUT = durationOption('slot.idle.timeout', {
  description: 'How long a slot may sit unused in the slot pool before it is returned to its TaskManager.',
  default: 50_000,
  check: positiveDuration,
});

/** Scheduler choice, Reactive Mode and the Adaptive Scheduler's timing. */
export const SCHEDULER_OPTIONS: OptionGroup = {
  title: 'Scheduling and the Adaptive Scheduler',
  options: [
    JOB_MANAGER_SCHEDULER,
    SCHEDULER_MODE,
    ADAPTIVE_SCHEDULER_RESOURCE_WAIT_TIMEOUT,
    ADAPTIVE_SCHEDULER_RESOURCE_STABILIZATION_TIMEOUT,
    ADAPTIVE_SCHEDULER_MIN_PARALLELISM_INCREASE,
    ADAPTIVE_SCHEDULER_COOLDOWN_AFTER_RESCALING,
    ADAPTIVE_SCHEDULER_SCALING_INTERVAL_MAX,
    ADAPTIVE_SCHEDULER_EXECUTING_RESOURCE_STABILIZATION_TIMEOUT,
    ADAPTIVE_SCHEDULER_RESCALE_TRIGGER_MAX_DELAY,
    ADAPTIVE_SCHEDULER_RESCALE_TRIGGER_FRESH_CHECKPOINT,
    SLOT_REQUEST_TIMEOUT,
    SLOT_IDLE_TIMEOUT,
  ],
};
