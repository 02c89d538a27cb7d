import type { OptionGroup } from '../config-option.js';
import { atLeast } from '../option-checks.js';
import { booleanOption, enumOption, intOption, stringOption } from '../option-builders.js';

/** Directory of the daemons' pid files (`flink-<user>-<daemon>.pid`). */
export const ENV_PID_DIR = stringOption('env.pid.dir', {
  description:
    'Directory where the bin scripts keep the pid files of the processes they start. The FLINK_PID_DIR environment variable takes precedence.',
  default: '/tmp',
});

export const ENV_LOG_DIR = stringOption('env.log.dir', {
  description:
    'Directory for the .log and .out files of daemons; must be absolute. When unset, <FLINK_HOME>/log is used. The FLINK_LOG_DIR environment variable takes precedence.',
});

export const ENV_LOG_LEVEL = enumOption('env.log.level', ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'OFF'], {
  description: 'Root log level of every process started by the bin scripts. The ROOT_LOG_LEVEL environment variable takes precedence.',
  default: 'INFO',
  aliases: { WARNING: 'WARN', ALL: 'TRACE', FATAL: 'ERROR' },
  note: 'log4j levels ALL and FATAL are read as TRACE and ERROR.',
});

export const ENV_LOG_MAX = intOption('env.log.max', {
  description: 'How many rolled-over log files of each daemon to keep. The MAX_LOG_FILE_NUMBER environment variable takes precedence.',
  default: 10,
  check: atLeast(0),
});

export const ENV_STDOUT_ERR_REDIRECT_TO_FILE = booleanOption('env.stdout-err.redirect-to-file', {
  description:
    'When true, a foreground process (start-foreground) writes its stdout and stderr to the .out file instead of the console. The STD_REDIRECT_TO_FILE environment variable takes precedence.',
  default: false,
});

export const ENV_SSH_OPTS = stringOption('env.ssh.opts', {
  description:
    'Extra ssh options used by start-cluster.sh and stop-cluster.sh for remote hosts. The FLINK_SSH_OPTS environment variable takes precedence.',
});

/** Settings read by the bin scripts before any process starts. */
export const ENV_OPTIONS: OptionGroup = {
  title: 'Environment (bin scripts)',
  options: [ENV_PID_DIR, ENV_LOG_DIR, ENV_LOG_LEVEL, ENV_LOG_MAX, ENV_STDOUT_ERR_REDIRECT_TO_FILE, ENV_SSH_OPTS],
};
