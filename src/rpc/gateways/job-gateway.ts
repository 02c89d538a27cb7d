import type { JobId, TriggerId, VertexId } from '../../core/ids.js';
import type { JobStatus } from '../../rest/types/job-status.js';
import { TsFlinkError } from '../../core/errors.js';
import type {
  DashboardSettings,
  JobConfigDetails,
  JobDetails,
  JobExceptions,
  JobManagerEnvironment,
  JobOverview,
  JobResourceRequirements,
  JobVertexDetails,
  JobVertexTaskManagers,
  SavepointOperationStatus,
  SavepointRequest,
} from './job-view-types.js';
import type {
  CheckpointingStatistics,
  CheckpointStatistics,
  CheckpointSubtaskDetails,
  ConfigEntries,
  AutoscalerDecisionRecord,
  AutoscalerDecisions,
  ParallelismHistory,
} from '../../rest/types/responses.js';

/** Why a job request was refused; REST maps each to Flink's status code. */
export type JobRequestFailure = 'NOT_FOUND' | 'BAD_REQUEST' | 'CONFLICT' | 'UNSUPPORTED';

/** A job request that cannot be served: an unknown job, vertex or operation, or a request the job refuses. */
export class JobRequestError extends TsFlinkError {
  constructor(
    readonly failure: JobRequestFailure,
    message: string,
  ) {
    super(`JOB_REQUEST_${failure}`, message);
  }
}

/**
 * Jobs as REST, the web UI and `bin/flink` see them. Every method taking a job id throws
 * JobRequestError NOT_FOUND for a job the dispatcher does not know.
 */
export interface JobGateway {
  requestJobsOverview(): readonly JobOverview[];
  requestJobStatus(jobId: JobId): JobStatus;
  requestJobDetails(jobId: JobId): JobDetails;
  /** Throws NOT_FOUND for an unknown vertex too. */
  requestJobVertex(jobId: JobId, vertexId: VertexId): JobVertexDetails;
  requestJobVertexTaskManagers(jobId: JobId, vertexId: VertexId): JobVertexTaskManagers;
  requestJobConfig(jobId: JobId): JobConfigDetails;
  requestJobExceptions(jobId: JobId, maxExceptions: number): JobExceptions;
  /** Checkpoint statistics, already in Flink's wire format (rendered by the checkpoint subsystem). */
  requestCheckpointStatistics(jobId: JobId): CheckpointingStatistics;
  requestCheckpointConfig(jobId: JobId): Readonly<Record<string, unknown>>;
  /** Throws NOT_FOUND when the checkpoint is not in the statistics history. */
  requestCheckpointDetails(jobId: JobId, checkpointId: number): CheckpointStatistics;
  /** One vertex's subtasks in a checkpoint; NOT_FOUND for a checkpoint or vertex not in the history. */
  requestCheckpointSubtaskDetails(jobId: JobId, checkpointId: number, vertexId: VertexId): CheckpointSubtaskDetails;
  requestParallelismHistory(jobId: JobId): ParallelismHistory;
  /** Keeps an autoscaler's decision for REST; an applied scale decision also labels the job's next run on the timeline. */
  recordAutoscalerDecision(jobId: JobId, record: AutoscalerDecisionRecord): void;
  requestAutoscalerDecisions(jobId: JobId): AutoscalerDecisions;
  requestResourceRequirements(jobId: JobId): JobResourceRequirements;
  /** Validates (BAD_REQUEST), refuses a second concurrent update (CONFLICT) or a scheduler that cannot (UNSUPPORTED). */
  updateResourceRequirements(jobId: JobId, requirements: JobResourceRequirements): Promise<void>;
  /** Cancels the job; CONFLICT when it already ended otherwise. */
  cancelJob(jobId: JobId): void;
  /** Starts a savepoint (and a cancel after it with `cancelJob`); returns the trigger id to poll. */
  triggerSavepoint(jobId: JobId, request: SavepointRequest & { readonly cancelJob: boolean }): string;
  /** Starts stop-with-savepoint; returns the trigger id to poll. */
  stopWithSavepoint(jobId: JobId, request: SavepointRequest & { readonly drain: boolean }): string;
  /** The operation's status; while it is in progress waits up to `waitMs` for it to complete. */
  requestSavepointStatus(jobId: JobId, triggerId: TriggerId, waitMs: number): Promise<SavepointOperationStatus>;
  /** Resolves when every savepoint operation finished and its outcome was read, or after `timeoutMs`. */
  whenOperationResultsAccessed(timeoutMs: number): Promise<void>;
  /** Explicitly set configuration keys, secrets masked. */
  requestClusterConfiguration(): ConfigEntries;
  requestDashboardSettings(): DashboardSettings;
  requestJobManagerEnvironment(): JobManagerEnvironment;
}
