import type { ExecutionAttemptId } from '../../core/ids.js';
import { getLogger } from '../../core/logging.js';
import type { RescaleCause } from '../scheduler/adaptive/transitions.js';
import type { ExecutionGraph } from '../scheduler/execution-graph/execution-graph.js';
import { ProcessingGap, type DowntimeBasis, type TaskEnd } from './processing-gap.js';
import { realSchedule, RunResumption, type Schedule, type Settled } from './run-resumption.js';

const log = getLogger('jobmaster');

/** One run of a job starting: its parallelism, why it started, and how long the job was not processing before. */
export interface ParallelismChange {
  readonly timestamp: number;
  readonly cause: RescaleCause;
  readonly parallelism: Readonly<Record<string, number>>;
  /**
   * Milliseconds the job's output stood still: from the last record a sink of the previous run
   * processed to the first record a sink of this run processed (0 for the first run). See
   * `downtimeBasis` for how it was measured.
   */
  readonly downtimeMs: number;
  /** Wall-clock ms when the outage began (the previous run's last record, or its stop). */
  readonly downtimeStart: number;
  readonly downtimeBasis: DowntimeBasis;
  /** The checkpoint this run restored, if any. */
  readonly restoredCheckpointId: number | undefined;
  /** Records the sources emitted after that checkpoint before the previous run stopped: replayed now (undefined: unknown). */
  readonly recordsReplayed: number | undefined;
  /** The restart back-off the scheduler waited before this run: 0 for a rescale, the restart strategy's delay after a failure. */
  readonly restartBackoffMs: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The attempts of a run, and those of its output vertices (the sinks, with no downstream). */
export interface RunAttempts {
  readonly all: readonly string[];
  readonly outputs: readonly string[];
}

/** The attempts of `graph`'s run, for the timeline. */
export function runAttemptsOf(graph: ExecutionGraph): RunAttempts {
  const outputs = graph.vertices.filter((vertex) => graph.outEdges(vertex.jobVertex).length === 0);
  return {
    all: graph.executions().map((execution) => execution.attemptId),
    outputs: outputs.flatMap((vertex) => vertex.executions.map((execution) => execution.attemptId)),
  };
}

/** A run deployed after an outage, with the entry its resumption settles. */
interface AwaitedRun {
  readonly entry: Mutable<ParallelismChange>;
  readonly resumption: RunResumption;
}

/**
 * The history of a job's runs, which REST and the web UI show as a parallelism timeline, plus the
 * restart and rescale counts; kept by the JobMaster so it outlives every execution graph.
 *
 * A run's downtime is the gap in the job's output (see ProcessingGap), not the time the scheduler spent
 * between its states: most of an outage is deploying, loading code and restoring state after the new
 * run is created. Flink's `downtime` metric counts the time in RESTARTING, CREATED and the like; this
 * figure is what a consumer of the job's output sees. It is known once every sink of the new run
 * has processed a record (see RunResumption), which is when the "down for" line is logged and the
 * entry stops being `pending`. docs/rescale-downtime.md describes it for users.
 */
export class RescaleTimeline {
  private readonly entries: Array<Mutable<ParallelismChange>> = [];
  numRestarts = 0;
  numRescales = 0;
  /** Total milliseconds between a run's stop and the next run's start, as the scheduler saw them. */
  restartingTimeMs = 0;
  /** The current run's attempts, and the end reports of those that ended. */
  private runAttempts: ReadonlySet<string> = new Set();
  private runEnds = new Map<string, TaskEnd>();
  /** The outage under way, from the run's stop until the next run starts. */
  private gap: ProcessingGap | undefined;
  private awaited: AwaitedRun | undefined;
  /** Reported by the stopped run's sources, for the next run's entry. */
  private pendingReplay: number | undefined;
  private pendingBackoffMs = 0;

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly schedule: Schedule = realSchedule,
  ) {}

  get changes(): readonly ParallelismChange[] {
    return this.entries;
  }

  /**
   * A run was stopped: count it as a restart, and as a rescale when no failure caused it. As in
   * Flink, numRestarts counts every run stopped, a planned rescale's too; numRestarts − numRescales
   * are the failures the restart strategy handled.
   */
  runStopped(isRescale: boolean, backoffMs = 0): void {
    this.numRestarts++;
    this.pendingReplay = undefined;
    this.pendingBackoffMs = backoffMs;
    if (isRescale) this.numRescales++;
    if (this.gap !== undefined) return;
    const now = this.clock();
    // A run stopped before all its sinks resumed: its entry ends there, and the next outage starts from its records or its stop.
    this.awaited?.resumption.stopped(now);
    this.awaited = undefined;
    this.gap = new ProcessingGap(now, this.runAttempts, this.runEnds);
  }

  /** A task ended: when it last processed a record, and whether it was a source with nothing to emit. */
  reportTaskEnd(attemptId: ExecutionAttemptId, lastRecordAt: number | undefined, idleAtEnd: boolean): void {
    // An outage keeps taking its run's reports until the next run's first record measures it.
    if (this.gap?.reportTaskEnd(attemptId, lastRecordAt, idleAtEnd) === true) return;
    if (this.awaited?.resumption.gap.reportTaskEnd(attemptId, lastRecordAt, idleAtEnd) === true) return;
    if (this.runAttempts.has(attemptId)) this.runEnds.set(attemptId, { lastRecordAt, idleAtEnd });
  }

  /** The stopped run's sources reported what they emitted after the last completed checkpoint. */
  reportReplay(records: number | undefined): void {
    if (records !== undefined) this.pendingReplay = records;
  }

  /** A new run with `attempts` is deployed. */
  runStarted(
    cause: RescaleCause,
    parallelism: Record<string, number>,
    restoredCheckpointId: number | undefined,
    attempts: RunAttempts = { all: [], outputs: [] },
  ): void {
    const now = this.clock();
    const gap = this.gap;
    this.gap = undefined;
    this.awaited = undefined;
    this.runAttempts = new Set(attempts.all);
    this.runEnds = new Map();
    const recordsReplayed = restoredCheckpointId === undefined ? undefined : this.pendingReplay;
    this.pendingReplay = undefined;
    const start = gap?.start().at ?? now;
    const entry: Mutable<ParallelismChange> = {
      timestamp: now,
      cause,
      parallelism,
      downtimeMs: Math.max(0, now - start),
      downtimeStart: Math.min(start, now),
      downtimeBasis: gap === undefined ? 'none' : 'pending',
      restoredCheckpointId,
      recordsReplayed,
      restartBackoffMs: gap === undefined ? 0 : this.pendingBackoffMs,
    };
    if (gap !== undefined) {
      this.restartingTimeMs += now - gap.stoppedAt;
      const resumption = new RunResumption(gap, this.runAttempts, new Set(attempts.outputs), this.schedule, (settled) =>
        this.settle(entry, resumption, settled),
      );
      this.awaited = { entry, resumption };
    }
    this.entries.push(entry);
    log.info(
      `New run after ${cause}: parallelism ${Object.values(parallelism).join('/')}, restored checkpoint ${restoredCheckpointId ?? 'none'}, records replayed ${recordsReplayed ?? 'unknown'}, restart back-off ${entry.restartBackoffMs} ms${gap === undefined ? '' : '; its downtime is known once its sinks process records'}.`,
    );
    if (this.entries.length > 500) this.entries.splice(0, this.entries.length - 500);
  }

  /** A sink of the new run processed its first record (`record`), or its source had nothing to emit (`idle`). */
  reportFirstActivity(attemptId: ExecutionAttemptId, at: number, kind: 'record' | 'idle'): void {
    const awaited = this.awaited;
    if (awaited === undefined) return;
    awaited.resumption.reportFirstActivity(attemptId, at, kind);
    // Until settled, the entry shows the outage so far: at least up to the latest sink that resumed.
    const latest = awaited.resumption.latestFirstRecord;
    if (this.awaited === awaited && latest !== undefined)
      awaited.entry.downtimeMs = Math.max(awaited.entry.downtimeMs, Math.round(latest - awaited.entry.downtimeStart));
  }

  /** Milliseconds the current outage has lasted so far by the scheduler's states (0 while a run is deployed). */
  currentDowntimeMs(): number {
    return this.gap === undefined ? 0 : this.clock() - this.gap.stoppedAt;
  }

  private settle(entry: Mutable<ParallelismChange>, resumption: RunResumption, { measure: measured, until }: Settled): void {
    if (this.awaited?.resumption === resumption) this.awaited = undefined;
    entry.downtimeStart = measured.start;
    entry.downtimeMs = measured.downtimeMs;
    entry.downtimeBasis = measured.basis;
    const from = measured.startIsRecord ? 'last record' : 'stop';
    log.info(
      `Run after ${entry.cause} (parallelism ${Object.values(entry.parallelism).join('/')}): down for ${measured.downtimeMs} ms (${measured.basis}: ${from} at ${iso(measured.start)}, ${until} at ${iso(measured.start + measured.downtimeMs)}).`,
    );
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
