import type { Configuration } from '../../config/configuration.js';
import {
  RESTART_EXPONENTIAL_ATTEMPTS_BEFORE_RESET,
  RESTART_EXPONENTIAL_BACKOFF_MULTIPLIER,
  RESTART_EXPONENTIAL_INITIAL_BACKOFF,
  RESTART_EXPONENTIAL_JITTER_FACTOR,
  RESTART_EXPONENTIAL_MAX_BACKOFF,
  RESTART_EXPONENTIAL_RESET_BACKOFF_THRESHOLD,
  RESTART_FAILURE_RATE_DELAY,
  RESTART_FAILURE_RATE_INTERVAL,
  RESTART_FAILURE_RATE_MAX_FAILURES,
  RESTART_FIXED_DELAY_ATTEMPTS,
  RESTART_FIXED_DELAY_DELAY,
  RESTART_STRATEGY_TYPE,
} from '../../config/options/restart-options.js';

/** Flink's RestartBackoffTimeStrategy: told of each failure, says whether and after how long to restart. */
export interface RestartStrategy {
  readonly name: string;
  notifyFailure(now: number): void;
  canRestart(): boolean;
  backoffTimeMs(): number;
  /** Flink's wording for exception messages and the job config. */
  describe(): string;
}

class NoRestart implements RestartStrategy {
  readonly name = 'none';
  notifyFailure(): void {}
  canRestart(): boolean {
    return false;
  }
  backoffTimeMs(): number {
    return 0;
  }
  describe(): string {
    return 'Restart deactivated.';
  }
}

class FixedDelayRestart implements RestartStrategy {
  readonly name = 'fixed-delay';
  private failures = 0;
  constructor(
    private readonly attempts: number,
    private readonly delayMs: number,
  ) {}
  notifyFailure(): void {
    this.failures++;
  }
  canRestart(): boolean {
    return this.failures <= this.attempts;
  }
  backoffTimeMs(): number {
    return this.delayMs;
  }
  describe(): string {
    return `Restart with fixed delay (${this.delayMs} ms). #${this.attempts} restart attempts.`;
  }
}

class FailureRateRestart implements RestartStrategy {
  readonly name = 'failure-rate';
  private readonly failures: number[] = [];
  constructor(
    private readonly maxFailures: number,
    private readonly intervalMs: number,
    private readonly delayMs: number,
  ) {}
  notifyFailure(now: number): void {
    this.failures.push(now);
    // Flink restarts only when the oldest counted failure is more than the interval old.
    while (this.failures.length > 0 && this.failures[0]! < now - this.intervalMs) this.failures.shift();
  }
  canRestart(): boolean {
    return this.failures.length <= this.maxFailures;
  }
  backoffTimeMs(): number {
    return this.delayMs;
  }
  describe(): string {
    return `Failure rate restart with maximum of ${this.maxFailures} failures within interval ${this.intervalMs} ms and fixed delay ${this.delayMs} ms.`;
  }
}

/** Settings of the exponential-delay strategy (Flink 1.19+ defaults in the option table). */
export interface ExponentialDelaySettings {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly multiplier: number;
  readonly resetThresholdMs: number;
  readonly jitter: number;
  readonly attemptsBeforeReset: number;
}

class ExponentialDelayRestart implements RestartStrategy {
  readonly name = 'exponential-delay';
  private current: number;
  private attempts = 0;
  private lastFailure: number | undefined;
  private nextBackoff = 0;

  constructor(
    private readonly settings: ExponentialDelaySettings,
    private readonly random: () => number,
  ) {
    this.current = settings.initialMs;
  }

  notifyFailure(now: number): void {
    // A job that ran well for longer than the threshold starts over with the initial backoff.
    if (this.lastFailure !== undefined && now - this.lastFailure > this.settings.resetThresholdMs + this.current) {
      this.current = this.settings.initialMs;
      this.attempts = 0;
    } else if (this.lastFailure !== undefined) {
      this.current = Math.min(this.settings.maxMs, this.current * this.settings.multiplier);
    }
    this.lastFailure = now;
    this.attempts++;
    const jitter = this.current * this.settings.jitter * (this.random() * 2 - 1);
    // Jitter never takes the pause outside [initial, max], as in Flink.
    this.nextBackoff = Math.max(this.settings.initialMs, Math.min(this.settings.maxMs, Math.round(this.current + jitter)));
  }

  canRestart(): boolean {
    return this.attempts <= this.settings.attemptsBeforeReset;
  }
  backoffTimeMs(): number {
    return this.nextBackoff;
  }
  describe(): string {
    const s = this.settings;
    return `Restart with exponential delay: initial backoff ${s.initialMs} ms, max backoff ${s.maxMs} ms, multiplier ${s.multiplier}, reset threshold ${s.resetThresholdMs} ms, jitter ${s.jitter}.`;
  }
}

/**
 * The restart strategy of a job as Flink resolves it: the configured type, or when none is set,
 * exponential-delay with checkpointing and no restarts without (Flink 1.19+ defaults).
 */
export function createRestartStrategy(
  configuration: Configuration,
  checkpointingEnabled: boolean,
  random: () => number = Math.random,
): RestartStrategy {
  const type = configuration.getOptional(RESTART_STRATEGY_TYPE) ?? (checkpointingEnabled ? 'exponential-delay' : 'none');
  switch (type) {
    case 'none':
      return new NoRestart();
    case 'fixed-delay':
      return new FixedDelayRestart(configuration.get(RESTART_FIXED_DELAY_ATTEMPTS), configuration.get(RESTART_FIXED_DELAY_DELAY));
    case 'failure-rate':
      return new FailureRateRestart(
        configuration.get(RESTART_FAILURE_RATE_MAX_FAILURES),
        configuration.get(RESTART_FAILURE_RATE_INTERVAL),
        configuration.get(RESTART_FAILURE_RATE_DELAY),
      );
    default:
      return new ExponentialDelayRestart(
        {
          initialMs: configuration.get(RESTART_EXPONENTIAL_INITIAL_BACKOFF),
          maxMs: configuration.get(RESTART_EXPONENTIAL_MAX_BACKOFF),
          multiplier: configuration.get(RESTART_EXPONENTIAL_BACKOFF_MULTIPLIER),
          resetThresholdMs: configuration.get(RESTART_EXPONENTIAL_RESET_BACKOFF_THRESHOLD),
          jitter: configuration.get(RESTART_EXPONENTIAL_JITTER_FACTOR),
          attemptsBeforeReset: configuration.get(RESTART_EXPONENTIAL_ATTEMPTS_BEFORE_RESET),
        },
        random,
      );
  }
}
