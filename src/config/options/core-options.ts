import { tmpdir } from 'node:os';
import type { OptionGroup } from '../config-option.js';
import { atLeast } from '../option-checks.js';
import { intOption, listOption } from '../option-builders.js';

export const PARALLELISM_DEFAULT = intOption('parallelism.default', {
  description: 'Parallelism of operators and jobs that do not set one themselves. Reactive Mode ignores it.',
  default: 1,
  check: atLeast(1),
  sentToTaskManagers: true,
});

export const TMP_DIRS = listOption('io.tmp.dirs', {
  description:
    'Directories for temporary files (for example process working directories), separated by commas, colons or semicolons, or given as a YAML list.',
  default: [tmpdir()],
  defaultText: 'the OS temp dir',
  separators: /[,:;]/,
});

/** Options that apply to every process and job. */
export const CORE_OPTIONS: OptionGroup = {
  title: 'Core',
  options: [PARALLELISM_DEFAULT, TMP_DIRS],
};
