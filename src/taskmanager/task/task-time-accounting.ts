/** What a running task is doing: processing, waiting for input, or waiting for room in its output. */
type Activity = 'busy' | 'idle' | 'backPressured';

/**
 * Cumulative time a task spent idle (waiting for input), backpressured (waiting for room in a
 * result subpartition) and busy (everything else, as Flink derives busyTimeMsPerSecond). Time is
 * taken only when the activity changes (at most once or twice per mailbox step, never per record),
 * so a task that stays busy reads no clock at all.
 */
export class TaskTimeAccounting {
  private startedAt: number | undefined;
  private activity: Activity = 'busy';
  private since = 0;
  private idleTotal = 0;
  private backPressuredTotal = 0;

  /** `now`: monotonic milliseconds; performance.now() unless a test drives the clock. */
  constructor(private readonly now: () => number = () => performance.now()) {}

  /** The task began running: time counts from now, as busy until told otherwise. */
  start(): void {
    this.startedAt = this.now();
    this.since = this.startedAt;
    this.activity = 'busy';
  }

  /** The mailbox runs the task: a wait for input has ended. */
  markBusy(): void {
    if (this.activity === 'idle') this.switchTo('busy');
  }

  /** The task has nothing to process until input arrives. */
  markIdle(): void {
    if (this.activity === 'busy') this.switchTo('idle');
  }

  startBackPressure(): void {
    if (this.activity !== 'backPressured') this.switchTo('backPressured');
  }

  endBackPressure(): void {
    if (this.activity === 'backPressured') this.switchTo('busy');
  }

  get isBackPressured(): boolean {
    return this.activity === 'backPressured';
  }

  get idleMs(): number {
    return this.idleTotal + this.current('idle');
  }

  get backPressuredMs(): number {
    return this.backPressuredTotal + this.current('backPressured');
  }

  /** Running time that was neither idle nor backpressured. */
  get busyMs(): number {
    if (this.startedAt === undefined) return 0;
    return Math.max(0, this.now() - this.startedAt - this.idleMs - this.backPressuredMs);
  }

  private current(activity: Activity): number {
    return this.startedAt !== undefined && this.activity === activity ? this.now() - this.since : 0;
  }

  private switchTo(next: Activity): void {
    if (this.startedAt !== undefined) {
      const now = this.now();
      if (this.activity === 'idle') this.idleTotal += now - this.since;
      else if (this.activity === 'backPressured') this.backPressuredTotal += now - this.since;
      this.since = now;
    }
    this.activity = next;
  }
}
