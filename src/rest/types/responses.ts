// The one home of the REST response bodies the dashboard reads, with Flink's field names: the REST
// handlers (and the checkpoint statistics they pass through) build them, the dashboard (src/web/)
// reads them, and both import them from here. Checkpoint statistics, TaskManager bodies, a job's
// failures and runs, and the autoscaler's decisions have their own files, re-exported below. Types only, and nothing imported
// but job-status.ts, so the browser build compiles it and erases every import of it.
import type { JobStatus } from './job-status.js';

export type { JobStatus } from './job-status.js';

/** States of one execution attempt, as Flink's ExecutionState. */
export type ExecutionState =
  'CREATED' | 'SCHEDULED' | 'DEPLOYING' | 'INITIALIZING' | 'RUNNING' | 'FINISHED' | 'CANCELING' | 'CANCELED' | 'FAILED' | 'RECONCILING';

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

/** One value of Flink's metric endpoints (Flink's Metric); `value` is absent when only ids were asked for. */
export interface Metric {
  readonly id: string;
  readonly value?: string;
}

export type * from './checkpoint-statistics.js';
export type * from './cluster-responses.js';
export type * from './autoscaler-responses.js';
export type * from './job-history-responses.js';
