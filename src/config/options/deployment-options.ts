import type { OptionGroup } from '../config-option.js';
import { booleanOption } from '../option-builders.js';

export const SHUTDOWN_ON_APPLICATION_FINISH = booleanOption('execution.shutdown-on-application-finish', {
  description:
    "In application mode (bin/standalone-job.sh), whether the JobManager shuts the cluster down once the application's job has finished, failed or been cancelled.",
  default: true,
});

/** Application-mode behaviour. */
export const DEPLOYMENT_OPTIONS: OptionGroup = {
  title: 'Deployment',
  options: [SHUTDOWN_ON_APPLICATION_FINISH],
};
