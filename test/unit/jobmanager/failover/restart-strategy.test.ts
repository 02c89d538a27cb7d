import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Configuration } from '../../../../src/config/configuration.js';
import { createRestartStrategy, type RestartStrategy } from '../../../../src/jobmanager/failover/restart-strategy.js';

function strategy(
  overrides: Record<string, string | number>,
  options: { checkpointing?: boolean; random?: () => number } = {},
): RestartStrategy {
  return createRestartStrategy(
    Configuration.empty().withOverrides(overrides),
    options.checkpointing ?? false,
    options.random ?? (() => 0.5),
  );
}

/** Notifies a failure at `now` and returns what the strategy then says, as Flink's failure handler asks it. */
function fail(restart: RestartStrategy, now: number): { canRestart: boolean; backoffMs: number } {
  restart.notifyFailure(now);
  return { canRestart: restart.canRestart(), backoffMs: restart.backoffTimeMs() };
}

describe('restart strategy: none', () => {
  it('never restarts', () => {
    const none = strategy({ 'restart-strategy.type': 'none' }, { checkpointing: true });
    assert.equal(none.name, 'none');
    assert.equal(fail(none, 0).canRestart, false);
    assert.equal(none.describe(), 'Restart deactivated.');
  });
});

describe('restart strategy: fixed-delay', () => {
  it('restarts `attempts` times with the same delay, then gives up', () => {
    const fixed = strategy({
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': 3,
      'restart-strategy.fixed-delay.delay': '5 s',
    });
    assert.equal(fixed.name, 'fixed-delay');
    assert.deepEqual([fail(fixed, 0), fail(fixed, 10), fail(fixed, 20)], Array(3).fill({ canRestart: true, backoffMs: 5_000 }));
    assert.equal(fail(fixed, 30).canRestart, false);
  });

  it('gives up at the first failure with 0 attempts', () => {
    assert.equal(
      fail(strategy({ 'restart-strategy.type': 'fixed-delay', 'restart-strategy.fixed-delay.attempts': 0 }), 0).canRestart,
      false,
    );
  });

  it('defaults to 1 attempt after 1 s', () => {
    const fixed = strategy({ 'restart-strategy.type': 'fixed-delay' });
    assert.deepEqual(fail(fixed, 0), { canRestart: true, backoffMs: 1_000 });
    assert.equal(fail(fixed, 100_000).canRestart, false, 'attempts count over the whole job, not per interval');
  });
});

describe('restart strategy: failure-rate', () => {
  const failureRate = (): RestartStrategy =>
    strategy({
      'restart-strategy.type': 'failure-rate',
      'restart-strategy.failure-rate.max-failures-per-interval': 2,
      'restart-strategy.failure-rate.failure-rate-interval': '10 s',
      'restart-strategy.failure-rate.delay': '3 s',
    });

  it('tolerates max-failures-per-interval failures within the interval, with its fixed delay', () => {
    const rate = failureRate();
    assert.deepEqual(fail(rate, 0), { canRestart: true, backoffMs: 3_000 });
    assert.deepEqual(fail(rate, 1_000), { canRestart: true, backoffMs: 3_000 });
    assert.equal(fail(rate, 2_000).canRestart, false);
  });

  it('slides the window: failures older than the interval no longer count', () => {
    const rate = failureRate();
    fail(rate, 0);
    fail(rate, 5_000);
    assert.equal(fail(rate, 10_001).canRestart, true, 'the failure at 0 is more than 10 s old');
    assert.equal(fail(rate, 12_000).canRestart, false, 'three failures within 5 s .. 12 s');
  });

  it('still counts a failure exactly one interval old, as Flink does', () => {
    const rate = failureRate();
    fail(rate, 0);
    fail(rate, 5_000);
    assert.equal(fail(rate, 10_000).canRestart, false);
  });

  it('restarts after one failure with the default of one failure per minute', () => {
    const rate = strategy({ 'restart-strategy.type': 'failure-rate' });
    assert.deepEqual(fail(rate, 0), { canRestart: true, backoffMs: 1_000 });
    assert.equal(fail(rate, 59_000).canRestart, false);
    assert.equal(fail(rate, 120_000).canRestart, true);
  });
});

describe('restart strategy: exponential-delay', () => {
  const exponential = (overrides: Record<string, string | number> = {}, random: () => number = () => 0.5): RestartStrategy =>
    strategy(
      {
        'restart-strategy.type': 'exponential-delay',
        'restart-strategy.exponential-delay.initial-backoff': '1 s',
        'restart-strategy.exponential-delay.max-backoff': '10 s',
        'restart-strategy.exponential-delay.backoff-multiplier': 2,
        'restart-strategy.exponential-delay.reset-backoff-threshold': '1 h',
        'restart-strategy.exponential-delay.jitter-factor': 0,
        ...overrides,
      },
      { random },
    );

  it('multiplies the backoff after each failure up to the max backoff', () => {
    const restart = exponential();
    const backoffs = [0, 2_000, 5_000, 10_000, 20_000, 40_000, 70_000].map((now) => fail(restart, now).backoffMs);
    assert.deepEqual(backoffs, [1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000]);
  });

  it('varies the backoff by at most the jitter factor, and never outside [initial, max]', () => {
    const high = exponential({ 'restart-strategy.exponential-delay.jitter-factor': 0.1 }, () => 1);
    assert.deepEqual(
      [0, 5_000, 15_000, 30_000, 50_000].map((now) => fail(high, now).backoffMs),
      [1_100, 2_200, 4_400, 8_800, 10_000],
    );
    const low = exponential({ 'restart-strategy.exponential-delay.jitter-factor': 0.1 }, () => 0);
    assert.deepEqual(
      [0, 5_000].map((now) => fail(low, now).backoffMs),
      [1_000, 1_800],
    );
  });

  it('starts over from the initial backoff after running longer than the reset threshold', () => {
    const restart = exponential();
    fail(restart, 0);
    fail(restart, 2_000);
    assert.equal(fail(restart, 30 * 60_000).backoffMs, 4_000, 'half an hour is below the threshold');
    assert.equal(fail(restart, 30 * 60_000 + 2 * 3_600_000).backoffMs, 1_000);
  });

  it('gives up after attempts-before-reset-backoff failures, and counts again after a reset', () => {
    const restart = exponential({ 'restart-strategy.exponential-delay.attempts-before-reset-backoff': 2 });
    assert.equal(fail(restart, 0).canRestart, true);
    assert.equal(fail(restart, 2_000).canRestart, true);
    assert.equal(fail(restart, 5_000).canRestart, false);
    const later = exponential({ 'restart-strategy.exponential-delay.attempts-before-reset-backoff': 2 });
    fail(later, 0);
    fail(later, 2_000);
    assert.equal(fail(later, 2_000 + 2 * 3_600_000).canRestart, true, 'a reset clears the attempts');
  });
});

describe('restart strategy: defaults and configuration', () => {
  it('is exponential-delay (1 s, x1.5, max 1 min, unlimited attempts) when unset and checkpointing is on', () => {
    const restart = strategy({}, { checkpointing: true });
    assert.equal(restart.name, 'exponential-delay');
    assert.deepEqual(fail(restart, 0), { canRestart: true, backoffMs: 1_000 });
    assert.equal(fail(restart, 2_000).backoffMs, 1_500);
    let now = 2_000;
    for (let i = 0; i < 20; i++) fail(restart, (now += 70_000));
    assert.deepEqual(fail(restart, now + 70_000), { canRestart: true, backoffMs: 60_000 });
  });

  it('is none when unset and checkpointing is off', () => {
    const restart = strategy({}, { checkpointing: false });
    assert.equal(restart.name, 'none');
    assert.equal(fail(restart, 0).canRestart, false);
  });

  it('follows an explicit type whether checkpointing is on or off', () => {
    assert.equal(strategy({ 'restart-strategy.type': 'none' }, { checkpointing: true }).name, 'none');
    assert.equal(strategy({ 'restart-strategy.type': 'exponential-delay' }, { checkpointing: false }).name, 'exponential-delay');
  });

  it("accepts Flink's other spellings of the type and its deprecated key", () => {
    const names = Object.fromEntries(
      ['off', 'disable', 'fixeddelay', 'FixedDelay', 'failurerate', 'exponentialdelay', 'Fixed-Delay'].map((type) => [
        type,
        strategy({ 'restart-strategy.type': type }, { checkpointing: true }).name,
      ]),
    );
    assert.deepEqual(names, {
      off: 'none',
      disable: 'none',
      fixeddelay: 'fixed-delay',
      FixedDelay: 'fixed-delay',
      failurerate: 'failure-rate',
      exponentialdelay: 'exponential-delay',
      'Fixed-Delay': 'fixed-delay',
    });
    assert.equal(strategy({ 'restart-strategy': 'fixed-delay' }).name, 'fixed-delay');
  });

  it('refuses an unknown type, naming the key', () => {
    assert.throws(() => Configuration.empty().withOverrides({ 'restart-strategy.type': 'sometimes' }), /restart-strategy\.type/);
  });
});
