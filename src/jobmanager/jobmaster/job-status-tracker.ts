import type { JobId } from '../../core/ids.js';
import { getLogger } from '../../core/logging.js';
import type { JobStatus } from '../../rest/types/job-status.js';

const log = getLogger('jobmaster');

/** Told of every job status change. */
export type JobStatusListener = (status: JobStatus, previous: JobStatus, timestamp: number) => void;

/**
 * A job's status over time: the current one, when it last entered each status in the current run
 * (REST `timestamps`), and the transitions for metrics (uptime, downtime, restarting time) and the
 * parallelism timeline.
 */
export class JobStatusTracker {
  private current: JobStatus = 'INITIALIZING';
  private stamps: Partial<Record<JobStatus, number>> = { INITIALIZING: Date.now() };
  /** Every transition in order: [status, timestamp]. */
  readonly history: Array<{ readonly status: JobStatus; readonly timestamp: number }> = [{ status: 'INITIALIZING', timestamp: Date.now() }];
  private readonly listeners: JobStatusListener[] = [];

  constructor(
    readonly jobId: JobId,
    readonly jobName: string,
  ) {}

  get status(): JobStatus {
    return this.current;
  }

  /**
   * REST's `timestamps`, as Flink's execution graph keeps them: the last time each status was
   * entered, counted from the graph now running. Entering CREATED starts a new graph (the adaptive
   * scheduler builds one per run), so it forgets every status but INITIALIZING, the job's own start.
   */
  get timestamps(): Readonly<Partial<Record<JobStatus, number>>> {
    return this.stamps;
  }

  addListener(listener: JobStatusListener): void {
    this.listeners.push(listener);
  }

  /** Records a change; repeated reports of the same status are ignored, as Flink's listeners see only changes. */
  transition(status: JobStatus): void {
    if (status === this.current) return;
    const previous = this.current;
    const now = Date.now();
    this.current = status;
    if (status === 'CREATED') this.stamps = { INITIALIZING: this.stamps.INITIALIZING ?? now };
    this.stamps[status] = now;
    this.history.push({ status, timestamp: now });
    if (this.history.length > 1000) this.history.splice(0, this.history.length - 1000);
    log.info(`Job ${this.jobName} (${this.jobId}) switched from state ${previous} to ${status}.`);
    for (const listener of this.listeners) listener(status, previous, now);
  }
}
