import type { ExecutionAttemptId, ResourceId } from '../../core/ids.js';
import type { SerializedError } from '../../core/errors.js';
import type { CheckpointAcknowledgement, CheckpointDecline } from '../../rpc/gateways/checkpoint-messages.js';
import type { TaskExecutionStateUpdate } from '../../rpc/gateways/job-master-gateway.js';
import type { ExecutionGraph } from './execution-graph/execution-graph.js';
import type { JobStatus } from '../../rest/types/job-status.js';

/** How a job ended. */
export interface JobResult {
  readonly status: 'FINISHED' | 'FAILED' | 'CANCELED' | 'SUSPENDED';
  readonly error?: SerializedError;
}

/** The scheduler of one job, whichever kind (Flink's SchedulerNG); the JobMaster talks only to this. */
export interface SchedulerNG {
  readonly schedulerType: 'Default' | 'Adaptive';
  startScheduling(): void;
  cancel(): void;
  /** The JobManager is going away; the job is neither finished nor failed. */
  suspend(reason: string): void;
  updateTaskExecutionState(update: TaskExecutionStateUpdate): boolean;
  acknowledgeCheckpoint(ack: CheckpointAcknowledgement): void;
  declineCheckpoint(decline: CheckpointDecline): void;
  /** Attempts this job runs on a TaskManager, for heartbeat reconciliation. */
  attemptsOn(resourceId: ResourceId): ExecutionAttemptId[];
  status(): JobStatus;
  /** The graph of the current run, if the job has one. */
  currentGraph(): ExecutionGraph | undefined;
  whenTerminated(): Promise<JobResult>;
  /** Takes a savepoint of the running job; resolves with its path. */
  triggerSavepoint(targetDirectory: string | undefined): Promise<string>;
  /** Takes a savepoint and stops the job with it; resolves with its path. */
  stopWithSavepoint(targetDirectory: string | undefined, drain?: boolean): Promise<string>;
}
