import type { OptionGroup } from '../config-option.js';
import { portSpec, positiveDuration } from '../option-checks.js';
import { BOOLEAN_CODEC, STRING_CODEC, durationCodec } from '../option-codecs.js';
import { durationOption, listOption, patternOption } from '../option-builders.js';

/** Prefix of every per-reporter key: `metrics.reporter.<name>.<parameter>`. */
export const METRICS_REPORTER_PREFIX = 'metrics.reporter.';

export const METRICS_REPORTERS = listOption('metrics.reporters', {
  description:
    'Names of the reporters to start, separated by commas. When unset, every reporter configured under metrics.reporter.<name>.* is started.',
  separators: /[,;]/,
});

export const METRICS_FETCHER_UPDATE_INTERVAL = durationOption('metrics.fetcher.update-interval', {
  description: 'How often the REST API refreshes the metrics it shows from the JobManager and TaskManagers.',
  default: 10_000,
  check: positiveDuration,
});

export const METRICS_REPORTER_FACTORY_CLASS = patternOption('metrics.reporter.<name>.factory.class', STRING_CODEC, {
  description: 'Which reporter implementation the reporter <name> is, e.g. org.apache.flink.metrics.prometheus.PrometheusReporterFactory.',
});

export const METRICS_REPORTER_CLASS = patternOption('metrics.reporter.<name>.class', STRING_CODEC, {
  description: 'Older way to name the reporter implementation of <name>; factory.class is preferred.',
});

export const METRICS_REPORTER_PORT = patternOption('metrics.reporter.<name>.port', STRING_CODEC, {
  description:
    'Port a pull reporter such as Prometheus listens on: one port or a range such as 9250-9260, so that several processes on one host each find a free port (each process takes the first free one).',
  default: '9249',
  check: portSpec,
});

export const METRICS_REPORTER_FILTER_LABEL_VALUE_CHARACTERS = patternOption(
  'metrics.reporter.<name>.filterLabelValueCharacters',
  BOOLEAN_CODEC,
  {
    description: 'Whether the Prometheus reporter replaces every character of a label value outside [a-zA-Z0-9:_] with an underscore.',
    default: true,
  },
);

export const METRICS_REPORTER_INTERVAL = patternOption('metrics.reporter.<name>.interval', durationCodec(), {
  description: 'How often a push reporter sends its metrics.',
  default: 10_000,
  check: positiveDuration,
});

export const METRICS_REPORTER_PARAMETER = patternOption('metrics.reporter.<name>.<parameter>', STRING_CODEC, {
  description: 'Any further setting of the reporter <name>, passed to it as is.',
});

/** Metric reporters and the web UI's metric fetching. */
export const METRICS_OPTIONS: OptionGroup = {
  title: 'Metrics',
  options: [
    METRICS_REPORTERS,
    METRICS_FETCHER_UPDATE_INTERVAL,
    METRICS_REPORTER_FACTORY_CLASS,
    METRICS_REPORTER_CLASS,
    METRICS_REPORTER_PORT,
    METRICS_REPORTER_FILTER_LABEL_VALUE_CHARACTERS,
    METRICS_REPORTER_INTERVAL,
    METRICS_REPORTER_PARAMETER,
  ],
};
