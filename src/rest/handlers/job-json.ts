import type {
  ExecutionState,
  ExecutionStateCounts,
  IoMetricsInfo,
  JobDetailsInfo,
  JobPlan,
  JobSummary,
  JobTaskCounts,
  JobVertexSummary,
  SubtaskInfo,
} from '../types/responses.js';
import type {
  IoMetrics,
  JobDetails,
  JobOverview,
  JobPlanNode,
  JobVertexOverview,
  SubtaskAttemptDetails,
} from '../../rpc/gateways/job-view-types.js';
import { EXECUTION_STATES } from '../../rpc/gateways/job-view-types.js';

/** Flink's IOMetricsInfo. */
export function ioMetricsJson(metrics: IoMetrics): IoMetricsInfo {
  return {
    'read-bytes': metrics.readBytes,
    'read-bytes-complete': metrics.readBytesComplete,
    'write-bytes': metrics.writeBytes,
    'write-bytes-complete': metrics.writeBytesComplete,
    'read-records': metrics.readRecords,
    'read-records-complete': metrics.readRecordsComplete,
    'write-records': metrics.writeRecords,
    'write-records-complete': metrics.writeRecordsComplete,
    'accumulated-backpressured-time': metrics.accumulatedBackpressuredTime,
    'accumulated-idle-time': metrics.accumulatedIdleTime,
    'accumulated-busy-time': metrics.accumulatedBusyTime,
  };
}

/** `tasks` of /jobs/overview: lower-case state names plus `total` (Flink's JobDetails). */
export function lowerCaseTaskCounts(counts: ExecutionStateCounts, total: number): JobTaskCounts {
  const lowerCase = Object.fromEntries(EXECUTION_STATES.map((state) => [state.toLowerCase(), counts[state]]));
  return { total, ...(lowerCase as Record<Lowercase<ExecutionState>, number>) };
}

/** Upper-case state names, as /jobs/:jobid's vertex `tasks` and `status-counts`. */
export function upperCaseTaskCounts(counts: ExecutionStateCounts): ExecutionStateCounts {
  return Object.fromEntries(EXECUTION_STATES.map((state) => [state, counts[state]])) as Record<ExecutionState, number>;
}

/** One entry of /jobs/overview. */
export function jobOverviewJson(job: JobOverview): JobSummary {
  return {
    jid: job.jobId,
    name: job.name,
    jobType: job.jobType,
    schedulerType: job.schedulerType,
    'start-time': job.startTime,
    'end-time': job.endTime,
    duration: job.duration,
    state: job.status,
    'last-modification': job.lastModification,
    tasks: lowerCaseTaskCounts(job.taskCounts, job.totalTasks),
    'pending-operators': 0,
  };
}

/** One vertex of /jobs/:jobid. */
export function vertexOverviewJson(vertex: JobVertexOverview): JobVertexSummary {
  return {
    id: vertex.id,
    slotSharingGroupId: vertex.slotSharingGroupId,
    name: vertex.name,
    maxParallelism: vertex.maxParallelism,
    parallelism: vertex.parallelism,
    status: vertex.status,
    'start-time': vertex.startTime,
    'end-time': vertex.endTime,
    duration: vertex.duration,
    tasks: upperCaseTaskCounts(vertex.taskCounts),
    metrics: ioMetricsJson(vertex.metrics),
  };
}

/** Flink's JobPlanInfo.Plan; sources have no `inputs`, as in Flink's plan. */
export function planJson(jobId: string, name: string, jobType: string, nodes: readonly JobPlanNode[]): JobPlan {
  return {
    jid: jobId,
    name,
    type: jobType,
    nodes: nodes.map((node) => ({
      id: node.id,
      parallelism: node.parallelism,
      operator: '',
      operator_strategy: '',
      description: node.description,
      ...(node.inputs.length === 0
        ? {}
        : {
            inputs: node.inputs.map((input) => ({
              num: input.num,
              id: input.id,
              ship_strategy: input.shipStrategy,
              exchange: 'pipelined_bounded',
            })),
          }),
      optimizer_properties: {},
    })),
  };
}

/** The body of /jobs/:jobid (Flink's JobDetailsInfo). */
export function jobDetailsJson(job: JobDetails): JobDetailsInfo {
  const statusCounts = Object.fromEntries(EXECUTION_STATES.map((state) => [state, 0])) as Record<ExecutionState, number>;
  for (const vertex of job.vertices) for (const state of EXECUTION_STATES) statusCounts[state] += vertex.taskCounts[state];
  return {
    jid: job.jobId,
    name: job.name,
    isStoppable: job.isStoppable,
    state: job.status,
    'job-type': job.jobType,
    schedulerType: job.schedulerType,
    'start-time': job.startTime,
    'end-time': job.endTime,
    duration: job.duration,
    maxParallelism: job.maxParallelism,
    now: job.now,
    timestamps: { ...job.statusTimestamps },
    vertices: job.vertices.map(vertexOverviewJson),
    'status-counts': statusCounts,
    plan: planJson(job.jobId, job.name, job.jobType, job.plan),
    'pending-operators': 0,
  };
}

/** One subtask of /jobs/:jobid/vertices/:vertexid (Flink's SubtaskExecutionAttemptDetailsInfo). */
export function subtaskJson(subtask: SubtaskAttemptDetails): SubtaskInfo {
  return {
    subtask: subtask.subtask,
    status: subtask.status,
    attempt: subtask.attempt,
    endpoint: subtask.endpoint,
    'start-time': subtask.startTime,
    'end-time': subtask.endTime,
    duration: subtask.duration,
    metrics: ioMetricsJson(subtask.metrics),
    'taskmanager-id': subtask.taskManagerId,
    'status-duration': { ...subtask.statusDurations },
    // No speculative execution: a subtask never has another attempt running beside it.
    'other-concurrent-attempts': [],
    // Flink 1.x still writes the deprecated host (the endpoint without its port) and the old spelling of the start time.
    host: hostOf(subtask.endpoint),
    start_time: subtask.startTime,
  };
}

/** The host part of `host:port` (or of `[v6]:port`). */
export function hostOf(endpoint: string): string {
  const match = /^\[?([^\]]*?)\]?:\d+$/.exec(endpoint);
  return match?.[1] ?? endpoint;
}
