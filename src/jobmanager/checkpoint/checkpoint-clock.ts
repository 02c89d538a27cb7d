/** A scheduled action that can be withdrawn. */
export interface ScheduledAction {
  cancel(): void;
}

/** Time and timers of the checkpoint subsystem; tests substitute a manual clock. */
export interface CheckpointClock {
  /** Epoch milliseconds. */
  now(): number;
  /** Runs `action` once after `delayMs`. */
  schedule(delayMs: number, action: () => void): ScheduledAction;
}

/** The process's wall clock and Node timers; timers are unref'd so they never keep a process alive. */
export const SYSTEM_CLOCK: CheckpointClock = {
  now: () => Date.now(),
  schedule(delayMs, action) {
    const timer = setTimeout(action, Math.max(0, delayMs));
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};
