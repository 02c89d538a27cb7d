import { TsFlinkError } from '../../core/errors.js';

/** Why a checkpoint or savepoint did not complete; the names are Flink's CheckpointFailureReason. */
export type CheckpointFailureReason =
  | 'NOT_ALL_REQUIRED_TASKS_RUNNING'
  | 'MINIMUM_TIME_BETWEEN_CHECKPOINTS'
  | 'TOO_MANY_CHECKPOINT_REQUESTS'
  | 'PERIODIC_SCHEDULER_SHUTDOWN'
  | 'CHECKPOINT_COORDINATOR_SUSPEND'
  | 'CHECKPOINT_COORDINATOR_SHUTDOWN'
  | 'CHECKPOINT_SUBSUMED'
  | 'TASK_FAILURE'
  | 'CHECKPOINT_DECLINED'
  | 'CHECKPOINT_DECLINED_TASK_NOT_READY'
  | 'CHECKPOINT_EXPIRED'
  | 'IO_EXCEPTION'
  | 'FINALIZE_CHECKPOINT_FAILURE'
  | 'TRIGGER_CHECKPOINT_FAILURE';

interface ReasonInfo {
  readonly message: string;
  /** Rejected before a checkpoint existed: not reported to statistics. */
  readonly preFlight: boolean;
  /** Counts towards execution.checkpointing.tolerable-failed-checkpoints. */
  readonly counted: boolean;
}

const REASONS: Readonly<Record<CheckpointFailureReason, ReasonInfo>> = {
  NOT_ALL_REQUIRED_TASKS_RUNNING: { message: 'Not all required tasks are currently running.', preFlight: true, counted: false },
  MINIMUM_TIME_BETWEEN_CHECKPOINTS: {
    message: 'The minimum pause between checkpoints has not passed yet; the checkpoint is triggered later.',
    preFlight: true,
    counted: false,
  },
  TOO_MANY_CHECKPOINT_REQUESTS: { message: 'Too many checkpoint requests are queued.', preFlight: true, counted: false },
  PERIODIC_SCHEDULER_SHUTDOWN: { message: 'The periodic checkpoint scheduler is stopped.', preFlight: true, counted: false },
  CHECKPOINT_COORDINATOR_SUSPEND: { message: 'The checkpoint coordinator is suspending.', preFlight: false, counted: false },
  CHECKPOINT_COORDINATOR_SHUTDOWN: { message: 'The checkpoint coordinator is shut down.', preFlight: false, counted: false },
  CHECKPOINT_SUBSUMED: { message: 'A newer checkpoint subsumed it.', preFlight: false, counted: false },
  TASK_FAILURE: { message: 'A task failed.', preFlight: false, counted: false },
  CHECKPOINT_DECLINED: { message: 'Checkpoint was declined.', preFlight: false, counted: true },
  CHECKPOINT_DECLINED_TASK_NOT_READY: { message: 'Checkpoint was declined (tasks not ready).', preFlight: false, counted: false },
  CHECKPOINT_EXPIRED: { message: 'Checkpoint expired before completing.', preFlight: false, counted: true },
  IO_EXCEPTION: { message: 'An I/O error occurred while triggering the checkpoint.', preFlight: false, counted: true },
  FINALIZE_CHECKPOINT_FAILURE: { message: 'Failure to finalize checkpoint.', preFlight: false, counted: true },
  TRIGGER_CHECKPOINT_FAILURE: { message: 'Trigger checkpoint failure.', preFlight: false, counted: true },
};

/** A checkpoint or savepoint that failed, with Flink's reason; the detail says what went wrong. */
export class CheckpointError extends TsFlinkError {
  readonly reason: CheckpointFailureReason;
  /** The checkpoint that failed, when one had been given an id. */
  readonly checkpointId: number | undefined;

  constructor(reason: CheckpointFailureReason, detail?: string, options: { cause?: unknown; checkpointId?: number } = {}) {
    const base = REASONS[reason].message;
    const message = detail === undefined ? base : `${base.slice(0, -1)}: ${detail}`;
    super('CHECKPOINT_FAILED', message, {
      ...(options.cause === undefined ? {} : { cause: options.cause }),
      context: { reason, ...(options.checkpointId === undefined ? {} : { checkpointId: options.checkpointId }) },
    });
    this.reason = reason;
    this.checkpointId = options.checkpointId;
  }

  /** True when the request was refused before any checkpoint was started. */
  get preFlight(): boolean {
    return REASONS[this.reason].preFlight;
  }

  /** True when the failure counts against the tolerable consecutive failures. */
  get countsAsFailure(): boolean {
    return REASONS[this.reason].counted;
  }
}

/** The error of a savepoint request without a target when no default directory is configured (Flink's words). */
export function noSavepointLocationError(): TsFlinkError {
  return new TsFlinkError('SAVEPOINT_NO_LOCATION', 'No savepoint location given and no default location configured.', {
    suggestion: 'pass a target directory or set execution.checkpointing.savepoint-dir',
  });
}
