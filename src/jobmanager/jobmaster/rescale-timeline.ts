import type { RescaleCause } from '../scheduler/adaptive/transitions.js';

/** One run of a job starting: its parallelism, why it started, and how long the job was not running before. */
export interface ParallelismChange {
  readonly timestamp: number;
  readonly cause: RescaleCause;
  readonly parallelism: Readonly<Record<string, number>>;
  /** Milliseconds between the previous run stopping and this one starting (0 for the first). */
  readonly downtimeMs: number;
  /** The checkpoint this run restored, if any. */
  readonly restoredCheckpointId: number | undefined;
}

/**
 * The history of a job's runs, which REST and the web UI show as a parallelism timeline, plus the
 * restart and rescale counts; kept by the JobMaster so it outlives every execution graph.
 */
export class RescaleTimeline {
  readonly changes: ParallelismChange[] = [];
  numRestarts = 0;
  numRescales = 0;
  /** When the running job last stopped running; undefined while it runs. */
  private stoppedAt: number | undefined;
  /** Total milliseconds spent restarting. */
  restartingTimeMs = 0;

  /** A run was stopped: count it as a restart, and as a rescale when no failure caused it. */
  runStopped(isRescale: boolean): void {
    this.numRestarts++;
    if (isRescale) this.numRescales++;
    this.stoppedAt ??= Date.now();
  }

  /** A new run is deployed. */
  runStarted(cause: RescaleCause, parallelism: Record<string, number>, restoredCheckpointId: number | undefined): void {
    const now = Date.now();
    const downtimeMs = this.stoppedAt === undefined ? 0 : now - this.stoppedAt;
    this.restartingTimeMs += downtimeMs;
    this.stoppedAt = undefined;
    this.changes.push({ timestamp: now, cause, parallelism, downtimeMs, restoredCheckpointId });
    if (this.changes.length > 500) this.changes.splice(0, this.changes.length - 500);
  }

  /** Milliseconds the current outage has lasted so far (0 while running). */
  currentDowntimeMs(): number {
    return this.stoppedAt === undefined ? 0 : Date.now() - this.stoppedAt;
  }
}
