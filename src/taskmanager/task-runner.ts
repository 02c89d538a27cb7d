import type { ExecutionAttemptId, JobId } from '../core/ids.js';
import { UNKNOWN_JOB, type CheckpointTrigger } from '../rpc/gateways/checkpoint-messages.js';
import type { JobMasterGateway } from '../rpc/gateways/job-master-gateway.js';
import type { TaskDeploymentDescriptor } from '../rpc/gateways/task-deployment-descriptor.js';
import type { TaskMetricsReport } from '../rpc/gateways/task-metrics-report.js';
import type { FrameLink } from './network/frame-link.js';
import type { DataConnectionService } from './network/partition-request-server.js';
import type { SlotTable } from './slot-table.js';

/**
 * Runs the subtasks deployed to a TaskManager, as the TaskExecutor sees it: on the TaskManager's
 * own event loop (TaskHost), or each slot on its own thread (SlotThreadHost).
 */
export interface TaskRunner {
  readonly slots: SlotTable;
  /** The JobMaster of the current JobManager connection (undefined while disconnected). */
  setJobMaster(jobMaster: JobMasterGateway | undefined): void;
  /** Accepts a deployment and starts it in the background; its progress arrives as state reports. */
  submit(tdd: TaskDeploymentDescriptor): void;
  /** Settles once the attempt has stopped and its slot is free again. */
  cancel(attemptId: ExecutionAttemptId): Promise<void>;
  /** Ends every task of `jobId`, frees its slots and drops its code. */
  releaseJob(jobId: JobId): Promise<void>;
  /** Cancels tasks the JobManager no longer expects here (it restarted, or moved on). */
  cancelOrphans(expected: readonly ExecutionAttemptId[]): void;
  /** The JobManager is gone: every task belongs to a deployment it will redo. */
  cancelAll(reason: string): Promise<void>;
  triggerCheckpoint(trigger: CheckpointTrigger): void;
  notifyCheckpointComplete(attemptId: ExecutionAttemptId, checkpointId: number): void;
  notifyCheckpointAborted(attemptId: ExecutionAttemptId, checkpointId: number): void;
  /** Sends a job's task metrics to the current JobMaster; dropped while disconnected. */
  reportMetrics(report: TaskMetricsReport): void;
  /** Every attempt deployed here, started or still loading its code. */
  readonly runningAttempts: ExecutionAttemptId[];
  /** Answers the partition requests of a data connection another TaskManager opened. */
  serveConnection(link: FrameLink): DataConnectionService;
  /** The cluster secret changed (a new JobManager): later data connections use it. */
  setSecret(secret: Buffer): void;
  /** The TaskManager stops: ends every task, thread and data connection. */
  close(reason: string): Promise<void>;
}

/** Answers a checkpoint trigger for an attempt not running here: not ready, so the checkpoint is retried, not failed. */
export function declineForUnknownAttempt(jobMaster: JobMasterGateway | undefined, trigger: CheckpointTrigger): void {
  jobMaster?.declineCheckpoint({
    jobId: UNKNOWN_JOB,
    attemptId: trigger.attemptId,
    checkpointId: trigger.checkpointId,
    reason: 'no such task on this TaskManager',
    notReady: true,
  });
}
