import type { ExecutionAttemptId } from '../../core/ids.js';
import type { GapMeasure, ProcessingGap } from './processing-gap.js';

/**
 * How long after the first sink of a new run processes a record the others may take before the
 * outage is settled without them: a sink subtask whose keys get no records never reports.
 */
export const SINK_WAIT_MS = 5000;

/** Runs `action` after `ms`; returns what cancels it. */
export type Schedule = (action: () => void, ms: number) => () => void;

/** Node's timers, not holding the process open. */
export const realSchedule: Schedule = (action, ms) => {
  const timer = setTimeout(action, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/** How an outage was settled: the measure, and in words what ended it (for the log line). */
export interface Settled {
  readonly measure: GapMeasure;
  readonly until: string;
}

/**
 * A run deployed after an outage, waiting for its sinks' first records to tell when the outage
 * ended: when every sink subtask has processed a record. The first sink to resume can only drain
 * what little its inputs hold while the other subtasks still load and restore, and the sources
 * block on the channels not yet connected; the job's output flows again only once all do. Ends
 * early when a source reports itself idle before any sink record (no record will come), when the
 * remaining sinks stay silent for SINK_WAIT_MS (they have no records), or when the run stops.
 */
export class RunResumption {
  private readonly firstRecords = new Map<string, number>();
  private cancelWait: (() => void) | undefined;
  private done = false;

  constructor(
    readonly gap: ProcessingGap,
    private readonly attempts: ReadonlySet<string>,
    private readonly outputs: ReadonlySet<string>,
    private readonly schedule: Schedule,
    private readonly onSettled: (settled: Settled) => void,
  ) {}

  /** The latest first record so far (the outage lasts at least until then); undefined before any. */
  get latestFirstRecord(): number | undefined {
    return this.firstRecords.size === 0 ? undefined : Math.max(...this.firstRecords.values());
  }

  /** A task of this run reported its first record, or (a source) that it is idle. */
  reportFirstActivity(attemptId: ExecutionAttemptId, at: number, kind: 'record' | 'idle'): void {
    if (this.done || !this.attempts.has(attemptId)) return;
    if (kind === 'idle') {
      if (this.firstRecords.size === 0) this.settle(at, false, 'a source idle');
      return;
    }
    if (!this.outputs.has(attemptId) || this.firstRecords.has(attemptId)) return;
    this.firstRecords.set(attemptId, at);
    if (this.firstRecords.size === this.outputs.size) {
      this.settle(
        this.latestFirstRecord!,
        true,
        this.outputs.size === 1 ? 'first record' : `first record of all ${this.outputs.size} sinks`,
      );
    } else if (this.cancelWait === undefined) {
      this.cancelWait = this.schedule(() => {
        this.settle(
          this.latestFirstRecord!,
          true,
          `first record of ${this.firstRecords.size} of ${this.outputs.size} sinks (the others had none within ${SINK_WAIT_MS} ms)`,
        );
      }, SINK_WAIT_MS);
    }
  }

  /** The run stopped at `now` before every sink resumed: the outage ends at the last sink record so far, or at the stop. */
  stopped(now: number): void {
    const latest = this.latestFirstRecord;
    if (latest === undefined) this.settle(now, false, 'stopped before any record');
    else this.settle(latest, true, `first record of ${this.firstRecords.size} of ${this.outputs.size} sinks before the run stopped`);
  }

  private settle(end: number, endIsRecord: boolean, until: string): void {
    if (this.done) return;
    this.done = true;
    this.cancelWait?.();
    this.onSettled({ measure: this.gap.measure(end, endIsRecord), until });
  }
}
