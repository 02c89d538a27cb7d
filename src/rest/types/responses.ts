// The one home of the REST response bodies the dashboard reads, with Flink's field names: the REST
// handlers (and the checkpoint statistics they pass through) build them, the dashboard (src/web/)
// reads them, and both import them from here. Types only, and nothing imported but job-status.ts,
// so the browser build compiles it and erases every import of it.
import type { JobStatus } from './job-status.js';

export type { JobStatus } from './job-status.js';

/** States of one execution attempt, as Flink's ExecutionState. */
export type ExecutionState =
  'CREATED' | 'SCHEDULED' | 'DEPLOYING' | 'INITIALIZING' | 'RUNNING' | 'FINISHED' | 'CANCELING' | 'CANCELED' | 'FAILED' | 'RECONCILING';

/** Status of a checkpoint in statistics (Flink's CheckpointStatsStatus). */
export type CheckpointStatsStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

/**
 * How a downtime figure was measured:
 * - `records`: from the last record any output task (sink) of the stopped run processed to the first
 *   record any output task of the new run processed (the gap in the job's output);
 * - `scheduler`: at least one end fell back to a scheduler or task state time, because the job was
 *   idle (no records before the stop, or a source with nothing to emit) or no task reported;
 * - `pending`: the new run has not processed a record yet; the figure is the gap so far at its deployment;
 * - `none`: the job's first run, with no outage before it.
 */
export type DowntimeBasis = 'records' | 'scheduler' | 'pending' | 'none';

/** GET /config: the dashboard's settings (Flink's DashboardConfiguration). */
export interface DashboardConfig {
  readonly 'refresh-interval': number;
  readonly 'timezone-name': string;
  readonly 'timezone-offset': number;
  readonly 'flink-version': string;
  readonly 'flink-revision': string;
  /** What the dashboard may offer: `web.submit.enable`, `web.cancel.enable`, ... */
  readonly features: {
    readonly 'web-submit': boolean;
    readonly 'web-cancel': boolean;
    readonly 'web-rescale': boolean;
    readonly 'web-history': boolean;
  };
}

/** An uploaded jar with the entry classes its manifest names. */
export interface UploadedJar {
  /** The stored file name, which is also the jar's id in /jars/:jarid. */
  readonly id: string;
  readonly name: string;
  /** Upload time, epoch ms. */
  readonly uploaded: number;
  readonly entry: ReadonlyArray<{ readonly name: string; readonly description: string | null }>;
}

/** GET /jars: the jars uploaded to a session cluster (Flink's JarListInfo). */
export interface JarList {
  readonly address: string;
  readonly files: readonly UploadedJar[];
}

/** GET /overview: cluster counts (Flink's ClusterOverviewWithVersion). */
export interface ClusterOverviewWithVersion {
  readonly taskmanagers: number;
  readonly 'slots-total': number;
  readonly 'slots-available': number;
  readonly 'taskmanagers-blocked': number;
  readonly 'slots-free-and-blocked': number;
  readonly 'jobs-running': number;
  readonly 'jobs-finished': number;
  readonly 'jobs-cancelled': number;
  readonly 'jobs-failed': number;
  readonly 'flink-version': string;
  readonly 'flink-commit': string;
}

/** Subtasks per execution state as job lists show them: lower-case state names, plus `total`. */
export type JobTaskCounts = Readonly<Record<Lowercase<ExecutionState> | 'total', number>>;

/** Subtasks per execution state as job details show them: upper-case state names. */
export type ExecutionStateCounts = Readonly<Record<ExecutionState, number>>;

/** I/O counters of a subtask, or summed over a vertex (Flink's IOMetricsInfo). */
export interface IoMetricsInfo {
  readonly 'read-bytes': number;
  readonly 'read-bytes-complete': boolean;
  readonly 'write-bytes': number;
  readonly 'write-bytes-complete': boolean;
  readonly 'read-records': number;
  readonly 'read-records-complete': boolean;
  readonly 'write-records': number;
  readonly 'write-records-complete': boolean;
  readonly 'accumulated-backpressured-time': number;
  readonly 'accumulated-idle-time': number;
  readonly 'accumulated-busy-time': number;
}

/** One row of GET /jobs/overview (Flink's JobDetails). */
export interface JobSummary {
  readonly jid: string;
  readonly name: string;
  readonly jobType: 'STREAMING' | 'BATCH';
  readonly schedulerType: 'Default' | 'Adaptive';
  readonly 'start-time': number;
  /** -1 while the job has not ended. */
  readonly 'end-time': number;
  readonly duration: number;
  readonly state: JobStatus;
  readonly 'last-modification': number;
  readonly tasks: JobTaskCounts;
  readonly 'pending-operators': number;
}

/** GET /jobs: ids and statuses (Flink's JobIdsWithStatusOverview). */
export interface JobIdsWithStatusOverview {
  readonly jobs: ReadonlyArray<{ readonly id: string; readonly status: JobStatus }>;
}

/** GET /jobs/overview (Flink's MultipleJobsDetails). */
export interface JobsOverview {
  readonly jobs: readonly JobSummary[];
}

/** A job vertex as GET /jobs/:jobid lists it. */
export interface JobVertexSummary {
  readonly id: string;
  readonly slotSharingGroupId: string;
  readonly name: string;
  readonly maxParallelism: number;
  readonly parallelism: number;
  readonly status: ExecutionState;
  readonly 'start-time': number;
  readonly 'end-time': number;
  readonly duration: number;
  readonly tasks: ExecutionStateCounts;
  readonly metrics: IoMetricsInfo;
}

/** One input of a plan node: the upstream vertex and how records are shipped. */
export interface PlanInput {
  readonly num: number;
  readonly id: string;
  readonly ship_strategy: string;
  readonly exchange: string;
}

/** A vertex of the plan; sources have no `inputs`, as in Flink's plan. */
export interface PlanNode {
  readonly id: string;
  readonly parallelism: number;
  readonly operator: string;
  readonly operator_strategy: string;
  readonly description: string;
  readonly inputs?: readonly PlanInput[];
  readonly optimizer_properties: Readonly<Record<string, never>>;
}

/** The job graph (Flink's JobPlanInfo.Plan): `plan` of GET /jobs/:jobid, /jobs/:jobid/plan and /jars/:jarid/plan. */
export interface JobPlan {
  readonly jid: string;
  readonly name: string;
  readonly type: string;
  readonly nodes: readonly PlanNode[];
}

/** GET /jobs/:jobid (Flink's JobDetailsInfo). */
export interface JobDetailsInfo {
  readonly jid: string;
  readonly name: string;
  readonly isStoppable: boolean;
  readonly state: JobStatus;
  readonly 'job-type': 'STREAMING' | 'BATCH';
  readonly schedulerType: 'Default' | 'Adaptive';
  readonly 'start-time': number;
  readonly 'end-time': number;
  readonly duration: number;
  /** The job's max parallelism setting; -1 when it left it to each vertex. */
  readonly maxParallelism: number;
  readonly now: number;
  /** When the job first entered each status; 0 for statuses it never reached. */
  readonly timestamps: Readonly<Record<JobStatus, number>>;
  readonly vertices: readonly JobVertexSummary[];
  readonly 'status-counts': ExecutionStateCounts;
  readonly plan: JobPlan;
  readonly 'pending-operators': number;
}

/** One subtask of GET /jobs/:jobid/vertices/:vertexid (Flink's SubtaskExecutionAttemptDetailsInfo). */
export interface SubtaskInfo {
  readonly subtask: number;
  readonly status: ExecutionState;
  readonly attempt: number;
  /** The TaskManager's data endpoint, `(unassigned)` before a slot is assigned. */
  readonly endpoint: string;
  readonly 'start-time': number;
  readonly 'end-time': number;
  readonly duration: number;
  readonly metrics: IoMetricsInfo;
  readonly 'taskmanager-id': string;
  readonly 'status-duration': Readonly<Partial<Record<ExecutionState, number>>>;
  /** Always empty: no speculative execution. */
  readonly 'other-concurrent-attempts': readonly never[];
  /** Flink 1.x's deprecated host (the endpoint without its port). */
  readonly host: string;
  /** Flink 1.x's deprecated spelling of `start-time`. */
  readonly start_time: number;
}

/** Min, max, mean, sum and percentiles of one number over subtasks (Flink's StatsSummaryDto of a subtask group). */
export interface SubtaskStats {
  readonly min: number;
  readonly max: number;
  readonly avg: number;
  readonly sum: number;
  readonly median: number;
  readonly p25: number;
  readonly p75: number;
  readonly p95: number;
}

/** Flink's AggregatedTaskDetailsInfo: statistics of the I/O metrics and of the time spent per state. */
export interface AggregatedTaskDetails {
  readonly metrics: Readonly<Record<string, SubtaskStats>>;
  readonly 'status-duration': Readonly<Partial<Record<ExecutionState, SubtaskStats>>>;
}

/** GET /jobs/:jobid/vertices/:vertexid (Flink's JobVertexDetailsInfo). */
export interface VertexDetails {
  readonly id: string;
  readonly name: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly now: number;
  readonly subtasks: readonly SubtaskInfo[];
  readonly aggregated: AggregatedTaskDetails;
}

/** Flink's StatsSummaryDto: min, max, average and percentiles of one checkpoint statistic. */
export interface StatsSummaryJson {
  readonly min: number;
  readonly max: number;
  readonly avg: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999: number;
}

/** One vertex's part of a checkpoint (Flink's TaskCheckpointStatistics), `tasks` of a checkpoint's details by vertex id. */
export interface TaskCheckpointStatistics {
  /** The checkpoint's id (Flink repeats it in each vertex's entry). */
  readonly id: number;
  readonly status: CheckpointStatsStatus;
  /** -1 until the first subtask acknowledges. */
  readonly latest_ack_timestamp: number;
  readonly checkpointed_size: number;
  readonly state_size: number;
  readonly end_to_end_duration: number;
  readonly alignment_buffered: number;
  readonly processed_data: number;
  readonly persisted_data: number;
  readonly num_subtasks: number;
  readonly num_acknowledged_subtasks: number;
}

/** One checkpoint (Flink's CheckpointStatistics); also the body of GET /jobs/:jobid/checkpoints/details/:checkpointid. */
export interface CheckpointStatistics {
  readonly className: 'in_progress' | 'completed' | 'failed';
  readonly id: number;
  readonly status: CheckpointStatsStatus;
  readonly is_savepoint: boolean;
  readonly savepointFormat: string | null;
  readonly trigger_timestamp: number;
  readonly latest_ack_timestamp: number;
  readonly checkpointed_size: number;
  readonly state_size: number;
  readonly end_to_end_duration: number;
  readonly alignment_buffered: number;
  readonly processed_data: number;
  readonly persisted_data: number;
  readonly num_subtasks: number;
  readonly num_acknowledged_subtasks: number;
  readonly checkpoint_type: string;
  /** Each vertex's part, by vertex id; empty in the overview, as in Flink. */
  readonly tasks: Readonly<Record<string, TaskCheckpointStatistics>>;
  /** Completed checkpoints only. */
  readonly external_path?: string | null;
  readonly discarded?: boolean;
  /** Failed checkpoints only. */
  readonly failure_timestamp?: number;
  readonly failure_message?: string | null;
}

/** The checkpoint a run restored (Flink's RestoredCheckpointStatistics). */
export interface RestoredCheckpointStatistics {
  readonly id: number;
  readonly restore_timestamp: number;
  readonly is_savepoint: boolean;
  readonly external_path: string;
}

/** GET /jobs/:jobid/checkpoints (Flink's CheckpointingStatistics). */
export interface CheckpointingStatistics {
  readonly counts: {
    readonly restored: number;
    readonly total: number;
    readonly in_progress: number;
    readonly completed: number;
    readonly failed: number;
  };
  readonly summary: Readonly<
    Record<
      'checkpointed_size' | 'state_size' | 'end_to_end_duration' | 'alignment_buffered' | 'processed_data' | 'persisted_data',
      StatsSummaryJson
    >
  >;
  readonly latest: {
    readonly completed: CheckpointStatistics | null;
    readonly savepoint: CheckpointStatistics | null;
    readonly failed: CheckpointStatistics | null;
    readonly restored: RestoredCheckpointStatistics | null;
  };
  /** The most recent checkpoints, newest first (Flink keeps web.checkpoints.history of them). */
  readonly history: readonly CheckpointStatistics[];
}

/** A subtask that has not acknowledged the checkpoint (or failed it). */
export interface PendingSubtaskCheckpointStatistics {
  readonly className: 'pending';
  readonly index: number;
  readonly status: 'pending_or_failed';
}

/** A subtask's acknowledgement of a checkpoint. */
export interface CompletedSubtaskCheckpointStatistics {
  readonly className: 'completed';
  readonly index: number;
  readonly status: 'completed';
  readonly ack_timestamp: number;
  readonly end_to_end_duration: number;
  readonly state_size: number;
  readonly checkpointed_size: number;
  readonly checkpoint: { readonly sync: number; readonly async: number };
  readonly alignment: { readonly buffered: number; readonly processed: number; readonly persisted: number; readonly duration: number };
  readonly start_delay: number;
  readonly unaligned_checkpoint: boolean;
  readonly aborted: boolean;
}

/** One subtask of a checkpoint's vertex (Flink's SubtaskCheckpointStatistics). */
export type SubtaskCheckpointStatistics = PendingSubtaskCheckpointStatistics | CompletedSubtaskCheckpointStatistics;

/**
 * GET /jobs/:jobid/checkpoints/details/:checkpointid/subtasks/:vertexid: each subtask's
 * acknowledgement, with a summary over them (Flink's TaskCheckpointStatisticsWithSubtaskDetails).
 */
export interface CheckpointSubtaskDetails extends TaskCheckpointStatistics {
  readonly summary: {
    readonly checkpointed_size: StatsSummaryJson;
    readonly state_size: StatsSummaryJson;
    readonly end_to_end_duration: StatsSummaryJson;
    readonly checkpoint_duration: { readonly sync: StatsSummaryJson; readonly async: StatsSummaryJson };
    readonly alignment: {
      readonly buffered: StatsSummaryJson;
      readonly processed: StatsSummaryJson;
      readonly persisted: StatsSummaryJson;
      readonly duration: StatsSummaryJson;
    };
    readonly start_delay: StatsSummaryJson;
  };
  readonly subtasks: readonly SubtaskCheckpointStatistics[];
}

/** GET /jobs/:jobid/config: the job's execution configuration (Flink's JobConfigInfo). */
export interface JobConfig {
  readonly jid: string;
  readonly name: string;
  readonly 'execution-config': {
    readonly 'restart-strategy': string;
    readonly 'job-parallelism': number;
    readonly 'object-reuse-mode': boolean;
    readonly 'user-config': Readonly<Record<string, string>>;
  };
}

/** One failure in GET /jobs/:jobid/exceptions' history, newest first. */
export interface ExceptionEntry {
  readonly exceptionName: string;
  readonly stacktrace: string;
  readonly timestamp: number;
  /** Always empty: tsflink attaches no failure labels. */
  readonly failureLabels: Readonly<Record<string, string>>;
  readonly taskName?: string;
  readonly endpoint?: string;
  readonly taskManagerId?: string;
  readonly concurrentExceptions: readonly never[];
}

/** GET /jobs/:jobid/exceptions (Flink's JobExceptionsInfoWithHistory). */
export interface JobExceptionsInfo {
  /** Flink 1.x's deprecated fields beside the history (gone in 2.0). */
  readonly 'root-exception': string | null;
  readonly timestamp: number | null;
  readonly 'all-exceptions': readonly never[];
  readonly truncated: boolean;
  readonly exceptionHistory: { readonly entries: readonly ExceptionEntry[]; readonly truncated: boolean };
}

/** One run of a job in GET /jobs/:jobid/parallelism-history. */
export interface ParallelismChange {
  readonly timestamp: number;
  readonly cause: string;
  readonly parallelism: Readonly<Record<string, number>>;
  /** The gap in the job's output before this run: the previous run's last sink record to this run's first. */
  readonly downtimeMs: number;
  /** Wall-clock ms when that gap began. */
  readonly downtimeStart: number;
  readonly downtimeBasis: DowntimeBasis;
  /** The checkpoint this run restored; null when it started empty. */
  readonly restoredCheckpointId: number | null;
  /** Records the sources had emitted after that checkpoint when the previous run stopped, replayed now; null: unknown. */
  readonly recordsReplayed: number | null;
  /** The restart back-off waited before this run: 0 for a rescale, the restart strategy's delay after a failure. */
  readonly restartBackoffMs: number;
}

/** GET /jobs/:jobid/parallelism-history (a tsflink endpoint, not Flink's): the runs of a job, for the timeline. */
export interface ParallelismHistory {
  readonly changes: readonly ParallelismChange[];
  readonly numRestarts: number;
  readonly numRescales: number;
}

/** One value of Flink's metric endpoints (Flink's Metric); `value` is absent when only ids were asked for. */
export interface Metric {
  readonly id: string;
  readonly value?: string;
}

/** What a TaskManager's machine offers, as its registration reports it (Flink's HardwareDescription). */
export interface HardwareDescription {
  readonly cpuCores: number;
  readonly physicalMemory: number;
  readonly freeMemory: number;
  readonly managedMemory: number;
}

/** Memory sizes a TaskManager was configured with, in bytes (Flink's TaskExecutorMemoryConfiguration). */
export interface TaskExecutorMemoryConfiguration {
  readonly frameworkHeap: number;
  readonly taskHeap: number;
  readonly frameworkOffHeap: number;
  readonly taskOffHeap: number;
  readonly networkMemory: number;
  readonly managedMemory: number;
  readonly jvmMetaspace: number;
  readonly jvmOverhead: number;
  readonly totalFlinkMemory: number;
  readonly totalProcessMemory: number;
}

/** A share of a TaskManager's resources, memory in MiB (Flink's ResourceProfileInfo). */
export interface ResourceProfileInfo {
  readonly cpuCores: number;
  readonly taskHeapMemory: number;
  readonly taskOffHeapMemory: number;
  readonly managedMemory: number;
  readonly networkMemory: number;
  readonly extendedResources: Readonly<Record<string, number>>;
}

/** A TaskManager row of GET /taskmanagers (Flink's TaskManagerInfo). */
export interface TaskManagerInfo {
  readonly id: string;
  readonly path: string;
  /** -1 for a TaskManager on a Unix socket. */
  readonly dataPort: number;
  readonly jmxPort: number;
  readonly timeSinceLastHeartbeat: number;
  readonly slotsNumber: number;
  readonly freeSlots: number;
  readonly assignedTasks: number;
  readonly totalResource: ResourceProfileInfo;
  readonly freeResource: ResourceProfileInfo;
  readonly hardware: HardwareDescription;
  readonly memoryConfiguration: TaskExecutorMemoryConfiguration;
  readonly blocked: boolean;
}

/** GET /taskmanagers (Flink's TaskManagersInfo). */
export interface TaskManagersList {
  readonly taskmanagers: readonly TaskManagerInfo[];
}

/** The process figures of GET /taskmanagers/:id (Flink's TaskManagerMetricsInfo); the JVM-only ones are 0. */
export interface TaskManagerMetricsInfo {
  readonly heapUsed: number;
  readonly heapCommitted: number;
  readonly heapMax: number;
  readonly nonHeapUsed: number;
  readonly nonHeapCommitted: number;
  readonly nonHeapMax: number;
  readonly directCount: number;
  readonly directUsed: number;
  readonly directMax: number;
  readonly mappedCount: number;
  readonly mappedUsed: number;
  readonly mappedMax: number;
  readonly memorySegmentsAvailable: number;
  readonly memorySegmentsTotal: number;
  readonly nettyShuffleMemorySegmentsAvailable: number;
  readonly nettyShuffleMemorySegmentsUsed: number;
  readonly nettyShuffleMemorySegmentsTotal: number;
  readonly nettyShuffleMemoryAvailable: number;
  readonly nettyShuffleMemoryUsed: number;
  readonly nettyShuffleMemoryTotal: number;
  readonly garbageCollectors: readonly never[];
}

/** GET /taskmanagers/:id (Flink's TaskManagerDetailsInfo). */
export interface TaskManagerDetailsInfo extends TaskManagerInfo {
  readonly allocatedSlots: ReadonlyArray<{
    readonly jobId: string;
    readonly resource: ResourceProfileInfo;
    readonly assignedTasks: number;
  }>;
  readonly metrics: TaskManagerMetricsInfo;
}

/** GET /jobmanager/config: every explicitly set option, secrets masked. */
export type ConfigEntries = ReadonlyArray<{ readonly key: string; readonly value: string }>;

/** One file of a process's log directory. */
export interface LogFileInfo {
  readonly name: string;
  readonly size: number;
  /** Last modification, epoch ms. */
  readonly mtime: number;
}

/** GET /jobmanager/logs and /taskmanagers/:id/logs: the process's log files (Flink's LogListInfo). */
export interface LogList {
  readonly logs: readonly LogFileInfo[];
}
