import { configureLogging, MemoryLogSink } from '../../../../src/core/logging.js';
import { waitUntil } from '../../../helpers/wait-until.js';
import type { CheckpointClock, ScheduledAction } from '../../../../src/jobmanager/checkpoint/checkpoint-clock.js';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly action: () => void;
  cancelled: boolean;
}

/** A clock that only moves when told to; due timers fire in time order during `advance`. */
export class ManualClock implements CheckpointClock {
  private time: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start = 1_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  schedule(delayMs: number, action: () => void): ScheduledAction {
    const timer: Timer = { at: this.time + Math.max(0, delayMs), seq: this.seq++, action, cancelled: false };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way (also ones scheduled while firing). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.timers = this.timers.filter((timer) => !timer.cancelled);
      const due = this.timers.filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.timers.splice(this.timers.indexOf(due), 1);
      this.time = Math.max(this.time, due.at);
      due.action();
    }
    this.time = end;
  }

  /** Times at which live timers are due, sorted. */
  pendingTimes(): number[] {
    return this.timers
      .filter((timer) => !timer.cancelled)
      .map((timer) => timer.at)
      .sort((a, b) => a - b);
  }
}

/** Lets promise continuations and I/O callbacks run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Waits until `condition` holds, checking it after each callback (the coordinator's file work ends in
 * one), never on a polling timer; fails after `timeoutMs` (generous: the box is shared).
 */
export function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  return waitUntil(condition, what, timeoutMs);
}

/** Sends this process's log lines to memory (returned) so test output stays readable and logs can be asserted. */
export function captureLogs(): MemoryLogSink {
  const sink = new MemoryLogSink();
  configureLogging(sink, 'DEBUG');
  return sink;
}
