// The JSON shapes the dashboard reads, with Flink's REST field names. Every field the JobManager
// might leave out is optional, so a view degrades to "–" instead of throwing.

/** GET /config: the dashboard's settings. */
export interface DashboardConfig {
  readonly 'refresh-interval'?: number;
  readonly 'flink-version'?: string;
  readonly 'timezone-name'?: string;
  /** What the dashboard may offer: `web.submit.enable`, `web.cancel.enable`, ... */
  readonly features?: { readonly 'web-submit'?: boolean; readonly 'web-cancel'?: boolean };
}

/** GET /jars: the jars uploaded to a session cluster (Flink's JarListInfo). */
export interface JarList {
  readonly address: string;
  readonly files: ReadonlyArray<{
    readonly id: string;
    readonly name: string;
    readonly uploaded: number;
    readonly entry: ReadonlyArray<{ readonly name: string; readonly description: string | null }>;
  }>;
}

/** GET /overview: cluster counts. */
export interface ClusterOverview {
  readonly taskmanagers: number;
  readonly 'slots-total': number;
  readonly 'slots-available': number;
  readonly 'jobs-running': number;
  readonly 'jobs-finished': number;
  readonly 'jobs-cancelled': number;
  readonly 'jobs-failed': number;
  readonly 'flink-version'?: string;
}

/** Per-state subtask counts; Flink uses lower-case keys in job lists, upper-case in job details. */
export type TaskCounts = Readonly<Record<string, number>>;

/** One row of GET /jobs/overview. */
export interface JobSummary {
  readonly jid: string;
  readonly name: string;
  readonly state: string;
  readonly 'start-time': number;
  readonly 'end-time': number;
  readonly duration: number;
  readonly tasks?: TaskCounts;
  readonly schedulerType?: string;
}

/** GET /jobs/overview. */
export interface JobsOverview {
  readonly jobs: readonly JobSummary[];
}

/** A job vertex as GET /jobs/:jobid lists it. */
export interface JobVertexSummary {
  readonly id: string;
  readonly name: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly status: string;
  readonly 'start-time'?: number;
  readonly duration?: number;
  readonly tasks?: TaskCounts;
}

/** GET /jobs/:jobid. */
export interface JobDetails {
  readonly jid: string;
  readonly name: string;
  readonly state: string;
  readonly 'start-time': number;
  readonly 'end-time': number;
  readonly duration: number;
  readonly now?: number;
  readonly schedulerType?: string;
  readonly 'job-type'?: string;
  readonly maxParallelism?: number;
  readonly vertices: readonly JobVertexSummary[];
  readonly plan?: JobPlan;
}

/** One input of a plan node: the upstream vertex and how records are shipped. */
export interface PlanInput {
  readonly id: string;
  readonly num?: number;
  readonly ship_strategy?: string;
  readonly exchange?: string;
}

/** A vertex of the plan. */
export interface PlanNode {
  readonly id: string;
  readonly description?: string;
  readonly operator?: string;
  readonly parallelism: number;
  readonly inputs?: readonly PlanInput[];
}

/** The job graph as GET /jobs/:jobid/plan returns it (inside `plan`). */
export interface JobPlan {
  readonly jid?: string;
  readonly name?: string;
  readonly nodes: readonly PlanNode[];
}

/** One subtask of GET /jobs/:jobid/vertices/:vertexid. */
export interface SubtaskInfo {
  readonly subtask: number;
  readonly status: string;
  readonly attempt: number;
  readonly endpoint?: string;
  readonly 'taskmanager-id'?: string;
  readonly 'start-time'?: number;
  readonly duration?: number;
}

/** GET /jobs/:jobid/vertices/:vertexid. */
export interface VertexDetails {
  readonly id: string;
  readonly name: string;
  readonly parallelism: number;
  readonly maxParallelism?: number;
  readonly subtasks: readonly SubtaskInfo[];
}

/** A completed checkpoint as the checkpoint statistics report it. */
export interface CompletedCheckpointStats {
  readonly id: number;
  readonly status?: string;
  readonly is_savepoint?: boolean;
  readonly trigger_timestamp?: number;
  readonly latest_ack_timestamp?: number;
  readonly end_to_end_duration?: number;
  readonly checkpointed_size?: number;
  readonly state_size?: number;
  readonly external_path?: string;
  readonly num_subtasks?: number;
  readonly num_acknowledged_subtasks?: number;
}

/** The checkpoint a run restored. */
export interface RestoredCheckpointStats {
  readonly id: number;
  readonly restore_timestamp?: number;
  readonly is_savepoint?: boolean;
  readonly external_path?: string;
}

/** GET /jobs/:jobid/checkpoints. */
export interface CheckpointingStats {
  readonly counts: {
    readonly restored: number;
    readonly total: number;
    readonly in_progress: number;
    readonly completed: number;
    readonly failed: number;
  };
  readonly latest?: {
    readonly completed?: CompletedCheckpointStats | null;
    readonly savepoint?: CompletedCheckpointStats | null;
    readonly failed?: (CompletedCheckpointStats & { readonly failure_message?: string }) | null;
    readonly restored?: RestoredCheckpointStats | null;
  };
  /** The most recent checkpoints, newest first (Flink keeps web.checkpoints.history of them). */
  readonly history?: readonly CompletedCheckpointStats[];
}

/** GET /jobs/:jobid/config: the job's execution configuration (Flink's JobConfigInfo). */
export interface JobConfig {
  readonly jid: string;
  readonly name: string;
  readonly 'execution-config'?: {
    readonly 'restart-strategy'?: string;
    readonly 'job-parallelism'?: number;
    readonly 'object-reuse-mode'?: boolean;
    readonly 'user-config'?: Readonly<Record<string, string>>;
  };
}

/** One root cause in GET /jobs/:jobid/exceptions. */
export interface ExceptionEntry {
  readonly exceptionName: string;
  readonly stacktrace?: string;
  readonly timestamp: number;
  readonly taskName?: string | null;
  readonly endpoint?: string | null;
  readonly taskManagerId?: string | null;
}

/** GET /jobs/:jobid/exceptions. */
export interface JobExceptions {
  readonly exceptionHistory?: { readonly entries: readonly ExceptionEntry[]; readonly truncated?: boolean };
}

/** One run of a job in GET /jobs/:jobid/parallelism-history. */
export interface ParallelismChange {
  readonly timestamp: number;
  readonly cause: string;
  readonly parallelism: Readonly<Record<string, number>>;
  /** The gap in the job's output before this run: the last sink record before to the first after. */
  readonly downtimeMs: number;
  /** Wall-clock ms when the gap began; absent from older servers. */
  readonly downtimeStart?: number;
  /** How the gap was measured: `records`, `scheduler` (idle job), `pending` (no record yet) or `none`. */
  readonly downtimeBasis?: 'records' | 'scheduler' | 'pending' | 'none';
  readonly restoredCheckpointId?: number | null;
}

/** GET /jobs/:jobid/parallelism-history (a tsflink endpoint, not Flink's). */
export interface ParallelismHistory {
  readonly changes: readonly ParallelismChange[];
  readonly numRestarts?: number;
  readonly numRescales?: number;
}

/** One value of Flink's metric endpoints; values arrive as strings. */
export interface MetricValue {
  readonly id: string;
  readonly value: string | number;
}

/** A TaskManager row of GET /taskmanagers. */
export interface TaskManagerInfo {
  readonly id: string;
  readonly path?: string;
  readonly dataPort?: number;
  readonly timeSinceLastHeartbeat: number;
  readonly slotsNumber: number;
  readonly freeSlots: number;
  readonly assignedTasks?: number;
  readonly hardware?: {
    readonly cpuCores?: number;
    readonly physicalMemory?: number;
    readonly freeMemory?: number;
    readonly managedMemory?: number;
  };
  readonly memoryConfiguration?: Readonly<Record<string, number>>;
}

/** GET /taskmanagers. */
export interface TaskManagersList {
  readonly taskmanagers: readonly TaskManagerInfo[];
}

/** GET /taskmanagers/:id. */
export interface TaskManagerDetailsInfo extends TaskManagerInfo {
  readonly allocatedSlots?: ReadonlyArray<{ readonly jobId: string; readonly assignedTasks?: number }>;
  readonly metrics?: Readonly<Record<string, unknown>> & {
    readonly heapUsed?: number;
    readonly heapCommitted?: number;
    readonly heapMax?: number;
  };
}

/** GET /jobmanager/config: every explicitly set option, secrets masked. */
export type ConfigEntries = ReadonlyArray<{ readonly key: string; readonly value: string }>;

/** GET /jobmanager/logs and /taskmanagers/:id/logs: the process's log files (Flink's LogListInfo). */
export interface LogList {
  readonly logs: ReadonlyArray<{ readonly name: string; readonly size: number; readonly mtime?: number }>;
}

/** One vertex's part of a checkpoint (GET /jobs/:jobid/checkpoints/details/:checkpointid, `tasks` by vertex id). */
export interface CheckpointTaskStats {
  /** The checkpoint's id (Flink repeats it in each vertex's entry). */
  readonly id: number;
  readonly status?: string;
  readonly latest_ack_timestamp?: number;
  readonly end_to_end_duration?: number;
  readonly state_size?: number;
  readonly checkpointed_size?: number;
  readonly num_subtasks?: number;
  readonly num_acknowledged_subtasks?: number;
}

/** GET /jobs/:jobid/checkpoints/details/:checkpointid: one checkpoint with each vertex's statistics. */
export interface CheckpointDetails extends CompletedCheckpointStats {
  readonly tasks?: Readonly<Record<string, CheckpointTaskStats>>;
}

/** GET /jobs/:jobid/checkpoints/details/:checkpointid/subtasks/:vertexid: each subtask's acknowledgement. */
export interface CheckpointSubtaskDetails {
  readonly subtasks?: ReadonlyArray<{
    readonly index: number;
    readonly status: string;
    readonly ack_timestamp?: number;
    readonly end_to_end_duration?: number;
    readonly state_size?: number;
    readonly checkpointed_size?: number;
    readonly checkpoint?: { readonly sync?: number; readonly async?: number };
    readonly alignment?: { readonly duration?: number };
  }>;
}
