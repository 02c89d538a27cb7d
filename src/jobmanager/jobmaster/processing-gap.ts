import type { ExecutionAttemptId } from '../../core/ids.js';
import type { DowntimeBasis } from '../../rest/types/responses.js';

/** How a downtime figure was measured; declared with the REST types, since parallelism-history reports it. */
export type { DowntimeBasis } from '../../rest/types/responses.js';

/**
 * A job whose last output came this long before the stop, while a source waited for input, was
 * idle rather than down: its outage starts at the stop. (A rate-limited source waits between bursts
 * of a busy job too; its last output is then only milliseconds before the stop.)
 */
export const IDLE_BEFORE_STOP_MS = 1000;

/** What a task of a stopped run said about its records when it ended. */
export interface TaskEnd {
  readonly lastRecordAt: number | undefined;
  readonly idleAtEnd: boolean;
}

/** An outage measured: when it began, whether a record marked it, its length and basis. */
export interface GapMeasure {
  readonly start: number;
  readonly startIsRecord: boolean;
  readonly downtimeMs: number;
  readonly basis: DowntimeBasis;
}

/**
 * One outage of a job: the run that stopped, and what its tasks said about their last records as
 * they ended. Records are those of output tasks (the job's sinks): the outage is the gap in the
 * job's output, as a consumer of its results sees it. Sources of a new run may read long before
 * their records can reach a sink (the other subtasks still load code and restore state), so their
 * reading does not end an outage. Its start is the job's last output record: the latest
 * `lastRecordAt` over the stopped run's tasks. When a source ended idle and the last output is older
 * than IDLE_BEFORE_STOP_MS, the job was waiting for input, not down, so the outage starts at the
 * scheduler's stop; with no record at all it starts at the stop too.
 *
 * All times are Date.now() of different processes. That is sound while the JobManager and every
 * TaskManager share one host (as today); across hosts the TaskManager times need a clock-offset
 * correction first (the heartbeats' round trips can estimate each TaskManager's offset).
 */
export class ProcessingGap {
  private readonly ends = new Map<string, TaskEnd>();

  /** `stoppedAt`: when the scheduler stopped the run; `attempts`: the stopped run's attempts. */
  constructor(
    readonly stoppedAt: number,
    private readonly attempts: ReadonlySet<string>,
    earlierEnds: ReadonlyMap<string, TaskEnd> = new Map(),
  ) {
    for (const [attemptId, end] of earlierEnds) this.ends.set(attemptId, end);
  }

  /** A task of the stopped run ended; reports of other runs' attempts are ignored (false). */
  reportTaskEnd(attemptId: ExecutionAttemptId, lastRecordAt: number | undefined, idleAtEnd: boolean): boolean {
    if (!this.attempts.has(attemptId)) return false;
    this.ends.set(attemptId, { lastRecordAt, idleAtEnd });
    return true;
  }

  /** When the job stopped processing, and whether that time is a record's. */
  start(): { readonly at: number; readonly fromRecords: boolean } {
    let lastRecord: number | undefined;
    let idle = false;
    for (const end of this.ends.values()) {
      if (end.lastRecordAt !== undefined) lastRecord = Math.max(lastRecord ?? end.lastRecordAt, end.lastRecordAt);
      idle ||= end.idleAtEnd;
    }
    if (lastRecord === undefined || (idle && lastRecord < this.stoppedAt - IDLE_BEFORE_STOP_MS))
      return { at: this.stoppedAt, fromRecords: false };
    return { at: lastRecord, fromRecords: true };
  }

  /** The outage ended at `end` (a first record, or an idle source's readiness); never negative. */
  measure(end: number, endIsRecord: boolean): GapMeasure {
    const start = this.start();
    return {
      start: start.at,
      startIsRecord: start.fromRecords,
      downtimeMs: Math.max(0, Math.round(end - start.at)),
      basis: start.fromRecords && endIsRecord ? 'records' : 'scheduler',
    };
  }
}
