import type { ExecutionAttemptId, JobId } from '../../core/ids.js';
import type { SerializedError } from '../../core/errors.js';
import type { GatewaySpec } from '../gateway.js';
import type { CheckpointAcknowledgement, CheckpointDecline } from './checkpoint-messages.js';
import type { TaskMetricsReport } from './task-metrics-report.js';

import type { ExecutionState } from '../../rest/types/responses.js';

export type { ExecutionState } from '../../rest/types/responses.js';

const TERMINAL_STATES: ReadonlySet<ExecutionState> = new Set(['FINISHED', 'CANCELED', 'FAILED']);

/** True for the states an attempt never leaves: FINISHED, CANCELED and FAILED. */
export function isTerminalExecutionState(state: ExecutionState): boolean {
  return TERMINAL_STATES.has(state);
}

/** A task reporting a change of its state. */
export interface TaskExecutionStateUpdate {
  readonly jobId: JobId;
  readonly attemptId: ExecutionAttemptId;
  readonly state: ExecutionState;
  readonly error?: SerializedError;
  /** For a source ending: records it emitted after the last completed checkpoint (a restore replays them). */
  readonly recordsSinceCheckpoint?: number;
  /** With a terminal state of an output task (a sink): wall-clock ms (Date.now()) of its last record; absent if it had none. */
  readonly lastRecordAt?: number;
  /** With a terminal state: the task is a source that had nothing to emit when it ended (the job was idle, not down). */
  readonly idleAtEnd?: boolean;
}

/**
 * A newly deployed task's one-time notice that the job is processing: an output task's (a sink's)
 * first record, or (`idle`) a source that found nothing to emit for a while before any record. `at` is wall-clock ms on the
 * TaskManager's host; comparable with the JobManager's Date.now() only while all run on one host.
 */
export interface TaskFirstActivity {
  readonly jobId: JobId;
  readonly attemptId: ExecutionAttemptId;
  readonly at: number;
  readonly kind: 'record' | 'idle';
}

/** Cluster defaults a program's environment starts from; the TaskManager rebuilds the graph with the same. */
export interface ProgramDefaults {
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly autoWatermarkIntervalMs: number;
  readonly checkpointIntervalMs: number | undefined;
  readonly bufferTimeoutMs: number;
}

/** The job's code, as a TaskManager fetches it (Flink's blob transfer). */
export interface JobArchive {
  readonly fileName: string;
  readonly mainClass: string;
  readonly sha256: string;
  readonly bytes: Uint8Array;
  readonly programArgs: readonly string[];
  readonly defaults: ProgramDefaults;
}

/** The JobMaster side of the JobManager's RPC surface, called by TaskManagers. */
export interface JobMasterGateway {
  updateTaskExecutionState(update: TaskExecutionStateUpdate): Promise<boolean>;
  requestJobArchive(jobId: JobId): Promise<JobArchive>;
  /** A subtask has written its state for a checkpoint. */
  acknowledgeCheckpoint(ack: CheckpointAcknowledgement): void;
  /** A subtask could not take its part of a checkpoint. */
  declineCheckpoint(decline: CheckpointDecline): void;
  /** A TaskManager's periodic metrics of its subtasks of one job; false when the job is unknown here. */
  reportTaskMetrics(report: TaskMetricsReport): Promise<boolean>;
  /** A task of a new run processed its first record (or its source is idle): the job's outage is over. */
  reportFirstActivity(notice: TaskFirstActivity): void;
}

export const JOB_MASTER_GATEWAY: GatewaySpec<JobMasterGateway> = {
  name: 'jobMaster',
  methods: {
    updateTaskExecutionState: 'request',
    requestJobArchive: 'request',
    acknowledgeCheckpoint: 'notification',
    declineCheckpoint: 'notification',
    reportTaskMetrics: 'request',
    reportFirstActivity: 'notification',
  },
  timeouts: { requestJobArchive: 60_000, reportTaskMetrics: 5_000 },
};
