import type { OptionGroup } from '../config-option.js';
import { booleanOption, durationOption, enumOption, intOption, mapOption, stringOption } from '../option-builders.js';

/** The largest max parallelism Flink allows (2^15 key groups). */
export const UPPER_BOUND_MAX_PARALLELISM = 32_768;

export const MAX_PARALLELISM = intOption('pipeline.max-parallelism', {
  description:
    'Upper bound of the parallelism a job can be scaled to, and the number of key groups its keyed state is split into. -1 derives it from the parallelism (1.5 times it, rounded up to a power of two, within 128..32768). In Reactive Mode it is the parallelism the job aims for.',
  default: -1,
  check: (value) =>
    value === -1 || (value >= 1 && value <= UPPER_BOUND_MAX_PARALLELISM)
      ? undefined
      : `expected -1 (derive from the parallelism) or an integer from 1 to ${UPPER_BOUND_MAX_PARALLELISM}`,
  sentToTaskManagers: true,
});

export const AUTO_WATERMARK_INTERVAL = durationOption('pipeline.auto-watermark-interval', {
  description: 'How often periodic watermark generators emit a watermark; 0 turns periodic watermarks off.',
  default: 200,
  sentToTaskManagers: true,
});

export const BUFFER_TIMEOUT = durationOption('execution.buffer-timeout.interval', {
  description:
    'Longest time an output batch of records waits to fill up before it is sent anyway; 0 sends after every record (lowest latency, lowest throughput).',
  default: 100,
  deprecatedKeys: ['execution.buffer-timeout'],
  sentToTaskManagers: true,
});

export const RUNTIME_MODE = enumOption('execution.runtime-mode', ['STREAMING', 'BATCH', 'AUTOMATIC'], {
  description: 'Whether jobs run as unbounded streams, as batch jobs, or pick by whether all sources are bounded.',
  default: 'STREAMING',
  note: 'tsflink implements STREAMING only; BATCH and AUTOMATIC are accepted but not implemented.',
  sentToTaskManagers: true,
});

export const PIPELINE_NAME = stringOption('pipeline.name', {
  description: 'Name of the job, shown in the web UI and REST API. When unset, the job chooses one.',
  sentToTaskManagers: true,
});

export const OBJECT_REUSE = booleanOption('pipeline.object-reuse', {
  description:
    'When true, records passed between chained operators are not copied; user functions must then not keep or change records they were given.',
  default: false,
  sentToTaskManagers: true,
});

export const JOB_VERTEX_PARALLELISM_OVERRIDES = mapOption('pipeline.jobvertex-parallelism-overrides', {
  description: 'Parallelism per job vertex id, overriding what the job itself sets (vertexId:parallelism,...).',
  default: {},
  defaultText: '(empty)',
  note: 'Accepted; tsflink does not apply it yet.',
});

/** How a job's dataflow is built and runs. */
export const PIPELINE_OPTIONS: OptionGroup = {
  title: 'Pipeline and execution',
  options: [
    MAX_PARALLELISM,
    AUTO_WATERMARK_INTERVAL,
    BUFFER_TIMEOUT,
    RUNTIME_MODE,
    PIPELINE_NAME,
    OBJECT_REUSE,
    JOB_VERTEX_PARALLELISM_OVERRIDES,
  ],
};
