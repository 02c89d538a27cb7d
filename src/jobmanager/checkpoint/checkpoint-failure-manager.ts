import { TsFlinkError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import type { CheckpointError } from './checkpoint-failure.js';

const log = getLogger('checkpoint.failures');

/** The job failure raised when too many checkpoints failed in a row (Flink's message). */
export class CheckpointToleranceExceededError extends TsFlinkError {
  constructor(cause: CheckpointError) {
    super('CHECKPOINT_TOLERANCE_EXCEEDED', 'Exceeded checkpoint tolerable failure threshold.', {
      cause,
      suggestion:
        'see the checkpoint history or the JobManager log for why the checkpoints failed, or raise execution.checkpointing.tolerable-failed-checkpoints',
    });
  }
}

/**
 * Counts consecutive failed checkpoints and fails the job once the count exceeds
 * execution.checkpointing.tolerable-failed-checkpoints. As in Flink, savepoints and failures that
 * are not the checkpoint's fault (suspension, task failure, pre-flight refusals) do not count, a
 * checkpoint is counted once, failures of checkpoints older than the last success are ignored, and
 * a completed checkpoint resets the count.
 */
export class CheckpointFailureManager {
  private consecutiveFailures = 0;
  private lastSucceededId = 0;
  private readonly countedIds = new Set<number>();
  private jobFailed = false;

  constructor(
    readonly tolerableFailures: number,
    private readonly failJob: (error: Error) => void,
  ) {}

  /** The current number of consecutive counted failures. */
  get failureCount(): number {
    return this.consecutiveFailures;
  }

  /** A checkpoint (id known) or a trigger (id undefined) failed. */
  handleFailure(error: CheckpointError, checkpointId: number | undefined, isSavepoint: boolean): void {
    if (isSavepoint || !error.countsAsFailure) return;
    if (checkpointId !== undefined) {
      if (checkpointId <= this.lastSucceededId || this.countedIds.has(checkpointId)) return;
      this.countedIds.add(checkpointId);
    }
    this.consecutiveFailures++;
    if (this.consecutiveFailures > this.tolerableFailures && !this.jobFailed) {
      this.jobFailed = true;
      log.warn(
        `${this.consecutiveFailures} consecutive checkpoint failures exceed the tolerated ${this.tolerableFailures}; failing the job.`,
      );
      this.failJob(new CheckpointToleranceExceededError(error));
    }
  }

  /** Checkpoint `checkpointId` completed. */
  handleSuccess(checkpointId: number): void {
    if (checkpointId <= this.lastSucceededId) return;
    this.lastSucceededId = checkpointId;
    this.consecutiveFailures = 0;
    this.countedIds.clear();
    this.jobFailed = false;
  }
}
