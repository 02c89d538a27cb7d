import { getLogger } from '../../core/logging.js';
import type { RescaleCause } from '../scheduler/adaptive/transitions.js';

const log = getLogger('jobmaster');

/** One run of a job starting: its parallelism, why it started, and how long the job was not running before. */
export interface ParallelismChange {
  readonly timestamp: number;
  readonly cause: RescaleCause;
  readonly parallelism: Readonly<Record<string, number>>;
  /** Milliseconds between the previous run stopping and this one starting (0 for the first). */
  readonly downtimeMs: number;
  /** The checkpoint this run restored, if any. */
  readonly restoredCheckpointId: number | undefined;
  /** Records the sources emitted after that checkpoint before the previous run stopped: replayed now (undefined: unknown). */
  readonly recordsReplayed: number | undefined;
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
  /** Reported by the stopped run's sources, for the next run's entry. */
  private pendingReplay: number | undefined;
  /** Total milliseconds spent restarting. */
  restartingTimeMs = 0;

  /** A run was stopped: count it as a restart, and as a rescale when no failure caused it. */
  runStopped(isRescale: boolean): void {
    this.numRestarts++;
    this.pendingReplay = undefined;
    if (isRescale) this.numRescales++;
    this.stoppedAt ??= Date.now();
  }

  /** The stopped run's sources reported what they emitted after the last completed checkpoint. */
  reportReplay(records: number | undefined): void {
    if (records !== undefined) this.pendingReplay = records;
  }

  /** A new run is deployed. */
  runStarted(cause: RescaleCause, parallelism: Record<string, number>, restoredCheckpointId: number | undefined): void {
    const now = Date.now();
    const downtimeMs = this.stoppedAt === undefined ? 0 : now - this.stoppedAt;
    this.restartingTimeMs += downtimeMs;
    this.stoppedAt = undefined;
    const recordsReplayed = restoredCheckpointId === undefined ? undefined : this.pendingReplay;
    this.pendingReplay = undefined;
    this.changes.push({ timestamp: now, cause, parallelism, downtimeMs, restoredCheckpointId, recordsReplayed });
    log.info(`New run after ${cause}: parallelism ${Object.values(parallelism).join('/')}, down for ${downtimeMs} ms, restored checkpoint ${restoredCheckpointId ?? 'none'}, records replayed ${recordsReplayed ?? 'unknown'}.`);
    if (this.changes.length > 500) this.changes.splice(0, this.changes.length - 500);
  }

  /** Milliseconds the current outage has lasted so far (0 while running). */
  currentDowntimeMs(): number {
    return this.stoppedAt === undefined ? 0 : Date.now() - this.stoppedAt;
  }
}
