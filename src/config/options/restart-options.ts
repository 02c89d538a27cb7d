import type { OptionGroup } from '../config-option.js';
import { atLeast, decimalAtLeast, decimalRange, positiveDuration } from '../option-checks.js';
import { doubleOption, durationOption, enumOption, intOption } from '../option-builders.js';

export const RESTART_STRATEGY_TYPE = enumOption('restart-strategy.type', ['none', 'fixed-delay', 'failure-rate', 'exponential-delay'], {
  description:
    'How a failed job is restarted: never (none), a fixed number of times with a fixed delay, as long as failures stay below a rate, or with a growing delay. When unset: no restarts without checkpointing, exponential-delay with checkpointing.',
  aliases: { off: 'none', disable: 'none', fixeddelay: 'fixed-delay', failurerate: 'failure-rate', exponentialdelay: 'exponential-delay' },
  deprecatedKeys: ['restart-strategy'],
});

export const RESTART_FIXED_DELAY_ATTEMPTS = intOption('restart-strategy.fixed-delay.attempts', {
  description: 'fixed-delay: how many restarts are tried before the job is failed.',
  default: 1,
  check: atLeast(0),
});

export const RESTART_FIXED_DELAY_DELAY = durationOption('restart-strategy.fixed-delay.delay', {
  description: 'fixed-delay: pause before each restart.',
  default: 1_000,
});

export const RESTART_FAILURE_RATE_MAX_FAILURES = intOption('restart-strategy.failure-rate.max-failures-per-interval', {
  description: 'failure-rate: how many failures within one interval are tolerated before the job is failed.',
  default: 1,
  check: atLeast(1),
});

export const RESTART_FAILURE_RATE_INTERVAL = durationOption('restart-strategy.failure-rate.failure-rate-interval', {
  description: 'failure-rate: the window over which failures are counted.',
  default: 60_000,
  check: positiveDuration,
});

export const RESTART_FAILURE_RATE_DELAY = durationOption('restart-strategy.failure-rate.delay', {
  description: 'failure-rate: pause before each restart.',
  default: 1_000,
});

export const RESTART_EXPONENTIAL_INITIAL_BACKOFF = durationOption('restart-strategy.exponential-delay.initial-backoff', {
  description: 'exponential-delay: pause before the first restart.',
  default: 1_000,
});

export const RESTART_EXPONENTIAL_MAX_BACKOFF = durationOption('restart-strategy.exponential-delay.max-backoff', {
  description: 'exponential-delay: the pause never grows beyond this.',
  default: 60_000,
});

export const RESTART_EXPONENTIAL_BACKOFF_MULTIPLIER = doubleOption('restart-strategy.exponential-delay.backoff-multiplier', {
  description: 'exponential-delay: factor the pause is multiplied by after each restart.',
  default: 1.5,
  check: decimalAtLeast(1),
});

export const RESTART_EXPONENTIAL_RESET_BACKOFF_THRESHOLD = durationOption('restart-strategy.exponential-delay.reset-backoff-threshold', {
  description: 'exponential-delay: after running this long without a failure, the pause goes back to initial-backoff.',
  default: 3_600_000,
  check: positiveDuration,
});

export const RESTART_EXPONENTIAL_JITTER_FACTOR = doubleOption('restart-strategy.exponential-delay.jitter-factor', {
  description: 'exponential-delay: each pause is varied randomly by up to this fraction, so that many jobs do not restart in step.',
  default: 0.1,
  check: decimalRange(0, 1),
});

export const RESTART_EXPONENTIAL_ATTEMPTS_BEFORE_RESET = intOption('restart-strategy.exponential-delay.attempts-before-reset-backoff', {
  description: 'exponential-delay: how many restarts are tried before the job is failed, counted since the pause was last reset.',
  default: 2_147_483_647,
  defaultText: 'infinite',
  check: atLeast(1),
});

/** How failed jobs are restarted. */
export const RESTART_OPTIONS: OptionGroup = {
  title: 'Restart strategies',
  options: [
    RESTART_STRATEGY_TYPE,
    RESTART_FIXED_DELAY_ATTEMPTS,
    RESTART_FIXED_DELAY_DELAY,
    RESTART_FAILURE_RATE_MAX_FAILURES,
    RESTART_FAILURE_RATE_INTERVAL,
    RESTART_FAILURE_RATE_DELAY,
    RESTART_EXPONENTIAL_INITIAL_BACKOFF,
    RESTART_EXPONENTIAL_MAX_BACKOFF,
    RESTART_EXPONENTIAL_BACKOFF_MULTIPLIER,
    RESTART_EXPONENTIAL_RESET_BACKOFF_THRESHOLD,
    RESTART_EXPONENTIAL_JITTER_FACTOR,
    RESTART_EXPONENTIAL_ATTEMPTS_BEFORE_RESET,
  ],
};
