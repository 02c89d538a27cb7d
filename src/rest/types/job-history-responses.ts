// A job's history as the REST API reports it: its failures (GET /jobs/:jobid/exceptions, with
// Flink's field names) and its runs with their downtimes (GET /jobs/:jobid/parallelism-history, a
// tsflink endpoint). Types only, like responses.ts, which re-exports them.

/**
 * How a downtime figure was measured:
 * - `records`: from the last record any output task (sink) of the stopped run processed to the first
 *   record any output task of the new run processed (the gap in the job's output);
 * - `scheduler`: at least one end fell back to a scheduler or task state time, because the job was
 *   idle (no records before the stop, or a source with nothing to emit) or no task reported;
 * - `pending`: the new run has not processed a record yet; the figure is the gap so far at its deployment;
 * - `none`: the job's first run, with no outage before it.
 */
export type DowntimeBasis = 'records' | 'scheduler' | 'pending' | 'none';

/** One failure in GET /jobs/:jobid/exceptions' history, newest first. */
export interface ExceptionEntry {
  readonly exceptionName: string;
  readonly stacktrace: string;
  readonly timestamp: number;
  /** Always empty: tsflink attaches no failure labels. */
  readonly failureLabels: Readonly<Record<string, string>>;
  readonly taskName?: string;
  readonly endpoint?: string;
  readonly taskManagerId?: string;
  readonly concurrentExceptions: readonly never[];
}

/** GET /jobs/:jobid/exceptions (Flink's JobExceptionsInfoWithHistory). */
export interface JobExceptionsInfo {
  /** Flink 1.x's deprecated fields beside the history (gone in 2.0). */
  readonly 'root-exception': string | null;
  readonly timestamp: number | null;
  readonly 'all-exceptions': readonly never[];
  readonly truncated: boolean;
  readonly exceptionHistory: { readonly entries: readonly ExceptionEntry[]; readonly truncated: boolean };
}

/** One run of a job in GET /jobs/:jobid/parallelism-history. */
export interface ParallelismChange {
  readonly timestamp: number;
  readonly cause: string;
  readonly parallelism: Readonly<Record<string, number>>;
  /** The gap in the job's output before this run: the previous run's last sink record to this run's first. */
  readonly downtimeMs: number;
  /** Wall-clock ms when that gap began. */
  readonly downtimeStart: number;
  readonly downtimeBasis: DowntimeBasis;
  /** The checkpoint this run restored; null when it started empty. */
  readonly restoredCheckpointId: number | null;
  /** Why the run was asked for, when its requester said (an autoscaler decision); null otherwise. */
  readonly note: string | null;
  /** Records the sources had emitted after that checkpoint when the previous run stopped, replayed now; null: unknown. */
  readonly recordsReplayed: number | null;
  /** The restart back-off waited before this run: 0 for a rescale, the restart strategy's delay after a failure. */
  readonly restartBackoffMs: number;
}

/** GET /jobs/:jobid/parallelism-history (a tsflink endpoint, not Flink's): the runs of a job, for the timeline. */
export interface ParallelismHistory {
  readonly changes: readonly ParallelismChange[];
  readonly numRestarts: number;
  readonly numRescales: number;
}
