import type { State } from './state.js';

/** The longest delay setTimeout honours. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * The delayed actions each scheduler state arms, each run only if its state is still current, and
 * all of a state's cleared when it is left, so a finished job holds no timers.
 */
export class StateTimers {
  private readonly byState = new Map<State, Set<NodeJS.Timeout>>();

  constructor(private readonly current: () => State) {}

  /** Runs `action` after `delayMs` if `state` is still the scheduler's state then. */
  runIfState(state: State, action: () => void, delayMs: number): void {
    // Node fires delays beyond 2^31-1 ms at once; a longer wait is chained in steps.
    const step = Math.min(Math.max(0, delayMs), MAX_TIMER_DELAY_MS);
    const timers = this.byState.get(state) ?? new Set<NodeJS.Timeout>();
    this.byState.set(state, timers);
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (this.current() !== state) {
        if (timers.size === 0) this.byState.delete(state);
        return;
      }
      if (delayMs > MAX_TIMER_DELAY_MS) this.runIfState(state, action, delayMs - MAX_TIMER_DELAY_MS);
      else action();
    }, step);
    timers.add(timer);
  }

  /** Delayed actions not yet run (of any state): zero once everything a state scheduled has happened. */
  get pending(): number {
    let pending = 0;
    for (const timers of this.byState.values()) pending += timers.size;
    return pending;
  }

  /** Drops every action `state` armed; called as the scheduler leaves it. */
  clear(state: State): void {
    for (const timer of this.byState.get(state) ?? []) clearTimeout(timer);
    this.byState.delete(state);
  }
}
