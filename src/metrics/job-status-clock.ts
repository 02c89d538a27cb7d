/** Statuses after which a job never runs again in this JobManager (Flink's terminal states, SUSPENDED included). */
const TERMINAL = new Set(['FINISHED', 'FAILED', 'CANCELED', 'SUSPENDED']);

/** Entering one of these ends a healthy run: the job is failing or restarting. */
const OUTAGE = new Set(['FAILING', 'RESTARTING']);

/** Flink's value of a time gauge for a job that has ended. */
export const NO_LONGER_RUNNING = -1;

/**
 * The job's time metrics from its status changes over its whole life, not per execution graph, so
 * they stay right across Adaptive Scheduler rescales (which in Flink start a fresh graph and reset
 * them):
 * - uptime: ms since the job last switched to RUNNING; 0 while not running; -1 once ended;
 * - downtime: ms of the current outage, from leaving RUNNING (or FAILING/RESTARTING before the
 *   first run) until RUNNING again; 0 while running or before any outage; -1 once ended;
 * - restartingTime: Flink's definition over the latest RESTARTING and RUNNING timestamps: how
 *   long the last restart took, or how long the current one has been going on.
 */
export class JobStatusClock {
  private status: string;
  private readonly latest = new Map<string, number>();
  private outageSince: number | undefined;

  constructor(
    initialStatus: string,
    timestamp: number,
    private readonly now: () => number = Date.now,
  ) {
    this.status = initialStatus;
    this.latest.set(initialStatus, timestamp);
  }

  /** Records a status change at `timestamp`. */
  onTransition(status: string, timestamp: number): void {
    const previous = this.status;
    this.status = status;
    this.latest.set(status, timestamp);
    if (status === 'RUNNING') this.outageSince = undefined;
    else if (this.outageSince === undefined && (previous === 'RUNNING' || OUTAGE.has(status)) && !TERMINAL.has(status))
      this.outageSince = timestamp;
  }

  get currentStatus(): string {
    return this.status;
  }

  uptime(): number {
    if (TERMINAL.has(this.status)) return NO_LONGER_RUNNING;
    return this.status === 'RUNNING' ? Math.max(0, this.now() - (this.latest.get('RUNNING') ?? this.now())) : 0;
  }

  downtime(): number {
    if (TERMINAL.has(this.status)) return NO_LONGER_RUNNING;
    return this.outageSince === undefined ? 0 : Math.max(0, this.now() - this.outageSince);
  }

  restartingTime(): number {
    const restarting = this.latest.get('RESTARTING');
    if (restarting === undefined) return 0;
    const running = this.latest.get('RUNNING');
    if (running !== undefined && running >= restarting) return running - restarting;
    if (TERMINAL.has(this.status)) return Math.max(0, (this.latest.get(this.status) ?? restarting) - restarting);
    return Math.max(0, this.now() - restarting);
  }
}
