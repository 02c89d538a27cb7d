import type { JobId, ResourceId, TriggerId, VertexId } from '../../core/ids.js';
import type { SerializedError } from '../../core/errors.js';
import type { JobStatus } from '../../rest/types/job-status.js';
import type { ExecutionStateCounts } from '../../rest/types/responses.js';
import type { ExecutionState } from './job-master-gateway.js';

/** Every execution state, in Flink's declaration order. */
export const EXECUTION_STATES: readonly ExecutionState[] = [
  'CREATED',
  'SCHEDULED',
  'DEPLOYING',
  'RUNNING',
  'FINISHED',
  'CANCELING',
  'CANCELED',
  'FAILED',
  'RECONCILING',
  'INITIALIZING',
];

/** Subtasks per execution state (every state present, zeros included). */
export type { ExecutionStateCounts } from '../../rest/types/responses.js';

/** I/O counters of a subtask, or summed over a vertex (Flink's IOMetricsInfo). */
export interface IoMetrics {
  readonly readBytes: number;
  readonly readBytesComplete: boolean;
  readonly writeBytes: number;
  readonly writeBytesComplete: boolean;
  readonly readRecords: number;
  readonly readRecordsComplete: boolean;
  readonly writeRecords: number;
  readonly writeRecordsComplete: boolean;
  readonly accumulatedBackpressuredTime: number;
  readonly accumulatedIdleTime: number;
  readonly accumulatedBusyTime: number;
}

/** One job as lists show it (REST /jobs/overview, `flink list`). */
export interface JobOverview {
  readonly jobId: JobId;
  readonly name: string;
  readonly jobType: 'STREAMING' | 'BATCH';
  readonly schedulerType: 'Default' | 'Adaptive';
  readonly status: JobStatus;
  readonly startTime: number;
  /** -1 while the job has not ended. */
  readonly endTime: number;
  readonly duration: number;
  readonly lastModification: number;
  readonly taskCounts: ExecutionStateCounts;
  readonly totalTasks: number;
}

/** What a group of subtasks (a vertex, or its subtasks on one TaskManager) sums up to. */
export interface SubtaskGroupSummary {
  readonly status: ExecutionState;
  readonly startTime: number;
  readonly endTime: number;
  readonly duration: number;
  readonly taskCounts: ExecutionStateCounts;
  readonly metrics: IoMetrics;
}

/** One vertex of a job with its subtasks summed up. */
export interface JobVertexOverview extends SubtaskGroupSummary {
  readonly id: VertexId;
  readonly name: string;
  readonly slotSharingGroupId: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
}

/** A vertex of the job plan with its inputs. */
export interface JobPlanNode {
  readonly id: VertexId;
  readonly description: string;
  readonly parallelism: number;
  readonly inputs: ReadonlyArray<{ readonly id: VertexId; readonly num: number; readonly shipStrategy: string }>;
}

/** Everything REST /jobs/:jobid shows. */
export interface JobDetails extends JobOverview {
  readonly now: number;
  readonly isStoppable: boolean;
  /** The job's max parallelism setting; -1 when it left it to each vertex. */
  readonly maxParallelism: number;
  /** When the job first entered each status; 0 for statuses it never reached. */
  readonly statusTimestamps: Readonly<Record<JobStatus, number>>;
  readonly vertices: readonly JobVertexOverview[];
  readonly plan: readonly JobPlanNode[];
}

/** The current attempt of one subtask. */
export interface SubtaskAttemptDetails {
  readonly subtask: number;
  readonly status: ExecutionState;
  readonly attempt: number;
  /** The TaskManager's data endpoint, `(unassigned)` before a slot is assigned. */
  readonly endpoint: string;
  /** `(unassigned)` before a slot is assigned. */
  readonly taskManagerId: ResourceId | '(unassigned)';
  readonly startTime: number;
  readonly endTime: number;
  readonly duration: number;
  /** Milliseconds spent in CREATED, SCHEDULED, DEPLOYING, INITIALIZING and RUNNING. */
  readonly statusDurations: Readonly<Partial<Record<ExecutionState, number>>>;
  /** When the attempt entered each state it has reached (REST subtasktimes). */
  readonly stateTimestamps: Readonly<Partial<Record<ExecutionState, number>>>;
  readonly metrics: IoMetrics;
}

/** One vertex with every subtask (REST /jobs/:jobid/vertices/:vertexid). */
export interface JobVertexDetails {
  readonly id: VertexId;
  readonly name: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly now: number;
  readonly subtasks: readonly SubtaskAttemptDetails[];
}

/** The subtasks of one vertex that run on one TaskManager. */
export interface VertexTaskManagerGroup extends SubtaskGroupSummary {
  /** `(unassigned)` before a slot is assigned. */
  readonly taskManagerId: ResourceId | '(unassigned)';
  readonly endpoint: string;
  readonly subtasks: readonly SubtaskAttemptDetails[];
}

/** A vertex's subtasks grouped by TaskManager (REST /jobs/:jobid/vertices/:vertexid/taskmanagers). */
export interface JobVertexTaskManagers {
  readonly id: VertexId;
  readonly name: string;
  readonly now: number;
  readonly taskManagers: readonly VertexTaskManagerGroup[];
}

/** The execution settings of a job (REST /jobs/:jobid/config). */
export interface JobConfigDetails {
  readonly jobId: JobId;
  readonly name: string;
  readonly restartStrategy: string;
  readonly parallelism: number;
  readonly objectReuse: boolean;
  readonly userConfig: Readonly<Record<string, string>>;
}

/** One failure of the job, newest first. */
export interface JobExceptionEntry {
  readonly exceptionName: string;
  readonly stacktrace: string;
  readonly timestamp: number;
  readonly taskName: string | undefined;
  readonly endpoint: string | undefined;
  readonly taskManagerId: string | undefined;
}

/** The failures REST /jobs/:jobid/exceptions shows. */
export interface JobExceptions {
  readonly entries: readonly JobExceptionEntry[];
  /**
   * What Flink's deprecated `root-exception` shows: its current execution graph's failure. The
   * adaptive scheduler builds a graph per run, so there it is only the failure that ended the job.
   */
  readonly root: JobExceptionEntry | undefined;
  /** More failures happened than are listed. */
  readonly truncated: boolean;
}

/** A vertex's parallelism bounds (Flink's JobVertexResourceRequirements); -1 means the default. */
export interface ParallelismBounds {
  readonly lowerBound: number;
  readonly upperBound: number;
}

/** Bounds per job-vertex id, the wire format of REST /jobs/:jobid/resource-requirements. */
export type JobResourceRequirements = Readonly<Record<string, ParallelismBounds>>;

/** A request to take a savepoint, optionally ending the job with it. */
export interface SavepointRequest {
  /** Where to write it; undefined: the job's default savepoint directory. */
  readonly targetDirectory: string | undefined;
  /** A client-chosen id, so a retried request does not trigger twice. */
  readonly triggerId: TriggerId | undefined;
}

/** How an asynchronous savepoint operation stands. */
export type SavepointOperationStatus =
  | { readonly state: 'IN_PROGRESS' }
  | { readonly state: 'COMPLETED'; readonly location: string }
  | { readonly state: 'FAILED'; readonly failure: SerializedError };

/** The web UI's settings (REST /config). */
export interface DashboardSettings {
  readonly refreshIntervalMs: number;
  readonly webSubmit: boolean;
  readonly webCancel: boolean;
  readonly webRescale: boolean;
}

/** The JobManager process's runtime (REST /jobmanager/environment). */
export interface JobManagerEnvironment {
  readonly runtimeVersion: string;
  readonly arch: string;
  readonly options: readonly string[];
  readonly classpath: readonly string[];
}
