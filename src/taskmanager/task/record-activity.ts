/** How long a source may find nothing to emit before its task reports itself idle rather than waiting for a first record. */
export const IDLE_NOTICE_MS = 1000;

/** The task's first activity, sent once to the JobMaster: its first record, or a source idle since `at`. */
export interface FirstActivity {
  readonly at: number;
  readonly kind: 'record' | 'idle';
}

/** What an ended task tells the JobMaster about its records, for the downtime of the restart that ended it. */
export interface ActivityAtEnd {
  readonly lastRecordAt?: number;
  readonly idleAtEnd?: boolean;
}

/**
 * When an output task (one with no downstream: the job's sinks) first and last processed a record,
 * and whether a source task is waiting for input, in wall-clock ms (Date.now(), which the JobMaster
 * compares with other processes' clocks: sound on one host only, see docs/rescale-downtime.md). Sampled once per
 * mailbox step rather than per record: a step handles at most a few thousand records in a few ms,
 * so the first record is dated at its step's start and the last at its step's end.
 */
export class RecordActivity {
  private seen = 0;
  private firstAt: number | undefined;
  private lastAt: number | undefined;
  private stepStart = 0;
  /** Since when a source has had nothing to emit (undefined while it emits). */
  private idleSince: number | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private reported = false;
  private emitted = false;

  constructor(
    private readonly onFirst: (activity: FirstActivity) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Before a mailbox step; only dated until the first record, after which step ends suffice. */
  beforeStep(): void {
    if (this.firstAt === undefined) this.stepStart = this.clock();
  }

  /** After a mailbox step of an output task, with its running count of records processed. */
  afterStep(records: number): void {
    if (records === this.seen) return;
    this.seen = records;
    const now = this.clock();
    this.lastAt = now;
    this.sourceEmitted();
    if (this.firstAt !== undefined) return;
    this.firstAt = this.stepStart;
    this.report({ at: this.firstAt, kind: 'record' });
  }

  /** The source emitted records: it is not idle, and from now on only an output record ends the outage. */
  sourceEmitted(): void {
    this.idleSince = undefined;
    this.emitted = true;
    clearTimeout(this.idleTimer);
  }

  /**
   * The source found nothing to emit. A source that has emitted nothing yet and stays idle for
   * IDLE_NOTICE_MS reports the run as up: the job is idle, so no record will date the outage's end.
   */
  sourceIdle(): void {
    if (this.idleSince !== undefined) return;
    const since = this.clock();
    this.idleSince = since;
    if (this.reported || this.emitted || this.idleTimer !== undefined) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (!this.emitted && this.idleSince !== undefined) this.report({ at: this.idleSince, kind: 'idle' });
    }, IDLE_NOTICE_MS);
    this.idleTimer.unref();
  }

  /**
   * The task ended: what it reports with its final state. A source `halted` for a planned rescale
   * stopped on purpose, with input still to read: it is not idle, whatever its last call found, so
   * the outage dates from the last record rather than from the scheduler's stop.
   */
  end(halted = false): ActivityAtEnd {
    clearTimeout(this.idleTimer);
    return {
      ...(this.lastAt === undefined ? {} : { lastRecordAt: this.lastAt }),
      ...(this.idleSince === undefined || halted ? {} : { idleAtEnd: true }),
    };
  }

  private report(activity: FirstActivity): void {
    if (this.reported) return;
    this.reported = true;
    this.onFirst(activity);
  }
}
