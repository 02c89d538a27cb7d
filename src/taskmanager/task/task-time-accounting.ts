/** Cumulative time a task spent busy, waiting for output room (backpressured) and waiting for input (idle). */
export class TaskTimeAccounting {
  busyMs = 0;
  backPressuredMs = 0;
  private readonly startedAt = performance.now();
  private backPressureSince: number | undefined;

  /** Wraps a processing step, adding its duration to busy time. */
  timeBusy<T>(work: () => T): T {
    const start = performance.now();
    try {
      return work();
    } finally {
      this.busyMs += performance.now() - start;
    }
  }

  startBackPressure(): void {
    this.backPressureSince ??= performance.now();
  }

  endBackPressure(): void {
    if (this.backPressureSince === undefined) return;
    this.backPressuredMs += performance.now() - this.backPressureSince;
    this.backPressureSince = undefined;
  }

  /** Everything that was neither busy nor backpressured since the task started. */
  get idleMs(): number {
    const pending = this.backPressureSince === undefined ? 0 : performance.now() - this.backPressureSince;
    return Math.max(0, performance.now() - this.startedAt - this.busyMs - this.backPressuredMs - pending);
  }
}
