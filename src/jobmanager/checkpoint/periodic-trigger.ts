import type { CheckpointClock, ScheduledAction } from './checkpoint-clock.js';

/**
 * Calls `tick` at a fixed rate: each planned time is the previous one plus the interval, so a
 * slow tick does not shift the schedule. Periods missed entirely (the process was stalled) are
 * skipped rather than fired in a burst.
 */
export class PeriodicTrigger {
  private timer: ScheduledAction | undefined;
  private plannedAt = 0;
  private active = false;

  constructor(
    private readonly clock: CheckpointClock,
    readonly intervalMs: number,
    private readonly tick: () => void,
  ) {}

  get running(): boolean {
    return this.active;
  }

  /** Starts (or restarts) with the first tick after `delayMs`. */
  start(delayMs: number): void {
    this.timer?.cancel();
    this.active = true;
    this.plannedAt = this.clock.now() + Math.max(0, delayMs);
    this.arm();
  }

  /** Moves the next tick to `delayMs` from now, continuing at the fixed rate from there. */
  reschedule(delayMs: number): void {
    if (this.active) this.start(delayMs);
  }

  stop(): void {
    this.active = false;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private arm(): void {
    this.timer = this.clock.schedule(this.plannedAt - this.clock.now(), () => {
      if (!this.active) return;
      const now = this.clock.now();
      this.plannedAt += this.intervalMs;
      while (this.plannedAt <= now) this.plannedAt += this.intervalMs;
      this.arm();
      this.tick();
    });
  }
}

/** Flink's first delay: uniform in [minPause, interval], both inclusive, so jobs started together spread out. */
export function firstTriggerDelay(minPauseMs: number, intervalMs: number, random: () => number): number {
  const interval = Math.max(intervalMs, minPauseMs);
  return minPauseMs + Math.floor(random() * (interval - minPauseMs + 1));
}
