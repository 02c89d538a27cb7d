import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { MemoryLogSink, configureLogging } from '../../../../src/core/logging.js';
import { CancellationWatchdog, type CancellationSettings } from '../../../../src/taskmanager/slots/cancellation-watchdog.js';

/** A watchdog over mock timers, counting its reminders and timeouts. */
function watch(settings: CancellationSettings, stack?: () => string | undefined) {
  const counts = { asks: 0, timeouts: 0 };
  const watchdog = new CancellationWatchdog(
    'Map (1/2)',
    settings,
    () => counts.asks++,
    () => counts.timeouts++,
    stack,
  );
  return { watchdog, counts };
}

describe('CancellationWatchdog', () => {
  let logs: MemoryLogSink;
  beforeEach(() => {
    mock.timers.enable({ apis: ['setInterval', 'setTimeout'] });
    logs = new MemoryLogSink();
    configureLogging(logs, 'INFO');
  });
  afterEach(() => {
    mock.timers.reset();
  });

  it('asks the task again once every interval, and not before', () => {
    const { watchdog, counts } = watch({ intervalMs: 1_000, timeoutMs: 60_000 });
    assert.equal(counts.asks, 0, 'the first ask is the caller’s; the watchdog only repeats');
    mock.timers.tick(999);
    assert.equal(counts.asks, 0);
    mock.timers.tick(1);
    assert.equal(counts.asks, 1);
    mock.timers.tick(1_000);
    assert.equal(counts.asks, 2);
    mock.timers.tick(7_000);
    assert.equal(counts.asks, 9);
    assert.equal(counts.timeouts, 0);
    watchdog.stop();
  });

  it('gives up once, at the timeout, and asks no more after it', () => {
    const { counts } = watch({ intervalMs: 1_000, timeoutMs: 5_500 });
    mock.timers.tick(5_499);
    assert.equal(counts.timeouts, 0, 'gave up before the timeout');
    assert.equal(counts.asks, 5);
    mock.timers.tick(1);
    assert.equal(counts.timeouts, 1);
    mock.timers.tick(60_000);
    assert.equal(counts.timeouts, 1, 'gave up more than once');
    assert.equal(counts.asks, 5, 'asked again after giving up');
  });

  it('a timeout that falls on an interval still fires once, and ends the reminders', () => {
    const { counts } = watch({ intervalMs: 1_000, timeoutMs: 3_000 });
    mock.timers.tick(3_000);
    assert.equal(counts.timeouts, 1);
    const asked = counts.asks;
    assert.ok(asked <= 3, `asked ${asked} times in 3 intervals`);
    mock.timers.tick(10_000);
    assert.equal(counts.asks, asked);
    assert.equal(counts.timeouts, 1);
  });

  it('does nothing after stop(): no reminders, no timeout', () => {
    const { watchdog, counts } = watch({ intervalMs: 1_000, timeoutMs: 5_000 });
    mock.timers.tick(2_500);
    assert.equal(counts.asks, 2);
    watchdog.stop();
    mock.timers.tick(60_000);
    assert.equal(counts.asks, 2);
    assert.equal(counts.timeouts, 0);
    watchdog.stop(); // stopping twice is harmless
  });

  it('a timeout of 0 never gives up; it keeps asking', () => {
    const { watchdog, counts } = watch({ intervalMs: 30_000, timeoutMs: 0 });
    mock.timers.tick(24 * 60 * 60 * 1_000);
    assert.equal(counts.timeouts, 0);
    assert.equal(counts.asks, (24 * 60 * 60) / 30);
    watchdog.stop();
  });

  it("logs each reminder with the time waited and the thread's stack on one line, and the timeout as an error", () => {
    const { counts } = watch({ intervalMs: 30_000, timeoutMs: 60_000 }, () => 'Error\n    at spin (job.js:3:5)\n    at run (job.js:9:1)\n');
    mock.timers.tick(30_000);
    const reminders = logs.lines.filter((line) => line.includes('did not react to cancelling signal for'));
    assert.equal(reminders.length, 1);
    assert.match(reminders[0]!, /WARN/);
    assert.match(reminders[0]!, /Task 'Map \(1\/2\)' did not react to cancelling signal for 30 seconds/);
    assert.match(reminders[0]!, /Its thread is running: Error \| at spin \(job\.js:3:5\) \| at run \(job\.js:9:1\)$/);
    mock.timers.tick(30_000);
    assert.equal(counts.timeouts, 1);
    const errors = logs.lines.filter((line) => line.includes('task.cancellation.timeout'));
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /ERROR/);
    assert.match(errors[0]!, /in the last 60 seconds/);
  });
});
