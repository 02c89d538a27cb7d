import type { OptionGroup } from '../config-option.js';
import { atLeast, positiveDuration } from '../option-checks.js';
import { booleanOption, durationOption, intOption, stringOption } from '../option-builders.js';

export const WEB_REFRESH_INTERVAL = durationOption('web.refresh-interval', {
  description: 'How often the web UI polls the REST API for fresh data.',
  default: 3_000,
  check: positiveDuration,
});

export const WEB_CHECKPOINTS_HISTORY = intOption('web.checkpoints.history', {
  description: "Number of recent checkpoints kept in each job's checkpoint statistics.",
  default: 10,
  check: atLeast(1),
});

export const WEB_EXCEPTION_HISTORY_SIZE = intOption('web.exception-history-size', {
  description: "Number of failures kept in each job's exception history.",
  default: 16,
  check: atLeast(0),
});

export const WEB_SUBMIT_ENABLE = booleanOption('web.submit.enable', {
  description: 'Whether jobs may be uploaded and submitted through the web UI.',
  default: true,
});

export const WEB_TMP_DIR = stringOption('web.tmpdir', {
  description:
    'Directory the REST endpoint keeps its temporary files in; uploaded jars go below it unless web.upload.dir is set. Unset: the first of io.tmp.dirs (Flink uses the JVM temp dir).',
});

export const WEB_UPLOAD_DIR = stringOption('web.upload.dir', {
  description:
    'Directory uploaded jars are stored in (created private to the user). Unset: a fresh flink-web-<id>/flink-web-upload directory under web.tmpdir, removed when the JobManager stops.',
});

export const WEB_CANCEL_ENABLE = booleanOption('web.cancel.enable', {
  description: 'Whether jobs may be cancelled from the web UI.',
  default: true,
});

export const WEB_RESCALE_ENABLE = booleanOption('web.rescale.enable', {
  description: "Whether the web UI offers buttons to change a job's parallelism (through the resource-requirements API).",
  default: true,
});

export const WEB_TIMEOUT = durationOption('web.timeout', {
  description: "Timeout of the requests the REST handlers make to the JobManager's components.",
  default: 10 * 60_000,
  check: positiveDuration,
});

export const WEB_ACCESS_CONTROL_ALLOW_ORIGIN = stringOption('web.access-control-allow-origin', {
  description: 'Value of the Access-Control-Allow-Origin header on REST responses.',
  default: '*',
});

/** The web UI's behaviour. */
export const WEB_OPTIONS: OptionGroup = {
  title: 'Web UI',
  options: [
    WEB_REFRESH_INTERVAL,
    WEB_CHECKPOINTS_HISTORY,
    WEB_EXCEPTION_HISTORY_SIZE,
    WEB_SUBMIT_ENABLE,
    WEB_TMP_DIR,
    WEB_UPLOAD_DIR,
    WEB_CANCEL_ENABLE,
    WEB_RESCALE_ENABLE,
    WEB_TIMEOUT,
    WEB_ACCESS_CONTROL_ALLOW_ORIGIN,
  ],
};
