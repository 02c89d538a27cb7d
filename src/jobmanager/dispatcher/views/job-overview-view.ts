import type { JobId } from '../../../core/ids.js';
import type { JobVertex } from '../../../jobgraph/job-graph.js';
import type {
  ExecutionStateCounts,
  JobDetails,
  JobOverview,
  JobPlanNode,
  JobVertexOverview,
} from '../../../rpc/gateways/job-view-types.js';
import { EXECUTION_STATES } from '../../../rpc/gateways/job-view-types.js';
import { JOB_STATUSES, type JobStatus } from '../../../rest/types/job-status.js';
import type { ExecutionState } from '../../../rpc/gateways/job-master-gateway.js';
import { isGloballyTerminal } from '../../scheduler/execution-graph/job-status.js';
import { aggregateState, countStates, durationOf, groupTiming } from './execution-timing.js';
import { attemptIoMetrics, sumIoMetrics, type SubtaskMetricsProvider } from './io-metrics.js';
import { slotSharingGroupId } from './slot-sharing-group-id.js';
import type { TrackedJob, VertexShape } from './tracked-job.js';

/**
 * Counts of a vertex's subtasks. Before its first run they all count as CREATED, as in Flink's
 * default scheduler; an Adaptive Scheduler job waiting for resources has none yet (Flink's sparse graph).
 */
export function vertexStateCounts(shape: VertexShape): ExecutionStateCounts {
  if (shape.executions.length > 0) return countStates(shape.executions);
  const counts = Object.fromEntries(EXECUTION_STATES.map((state) => [state, 0])) as Record<ExecutionState, number>;
  if (shape.sparse !== true) counts.CREATED = shape.parallelism;
  return counts;
}

/** A vertex summed up for REST /jobs/:jobid. */
export function vertexOverview(jobId: JobId, shape: VertexShape, metrics: SubtaskMetricsProvider, now: number): JobVertexOverview {
  const taskCounts = vertexStateCounts(shape);
  return {
    id: shape.jobVertex.id,
    name: shape.jobVertex.name,
    slotSharingGroupId: slotSharingGroupId(jobId, shape.jobVertex.slotSharingGroup),
    parallelism: shape.parallelism,
    maxParallelism: shape.maxParallelism,
    status: aggregateState(taskCounts, shape.parallelism),
    ...groupTiming(shape.executions, now),
    taskCounts,
    metrics: sumIoMetrics(shape.executions.map((execution) => attemptIoMetrics(metrics, jobId, execution))),
  };
}

/** The job as lists show it. */
export function jobOverview(job: TrackedJob, now: number): JobOverview {
  return overviewOf(job, job.vertices(), now);
}

/** Everything REST /jobs/:jobid shows. */
export function jobDetails(job: TrackedJob, metrics: SubtaskMetricsProvider, now: number): JobDetails {
  const vertices = job.vertices();
  const timestamps = job.master.status.timestamps;
  const maxParallelism = job.master.submission.graph.settings.maxParallelism;
  return {
    ...overviewOf(job, vertices, now),
    now,
    isStoppable: false,
    maxParallelism: maxParallelism > 0 ? maxParallelism : -1,
    statusTimestamps: Object.fromEntries(JOB_STATUSES.map((status) => [status, timestamps[status] ?? 0])) as Record<JobStatus, number>,
    vertices: vertices.map((shape) => vertexOverview(job.jobId, shape, metrics, now)),
    plan: planNodes(vertices),
  };
}

/** A vertex in the plan as Flink describes it: its chained operators, the head first. */
export function planDescription(jobVertex: JobVertex): string {
  return (
    jobVertex.operators.map((operator, index) => (index === 0 ? operator.name : `+- ${operator.name}`)).join('<br/>') || jobVertex.name
  );
}

/** The plan: every vertex with the parallelism of the run shown and its inputs' ship strategies. */
export function planNodes(vertices: readonly VertexShape[]): JobPlanNode[] {
  return vertices.map(({ jobVertex, parallelism }) => ({
    id: jobVertex.id,
    description: planDescription(jobVertex),
    parallelism,
    inputs: jobVertex.inputs.map((edge, num) => ({ id: edge.source, num, shipStrategy: edge.shipStrategy })),
  }));
}

function overviewOf(job: TrackedJob, vertices: readonly VertexShape[], now: number): JobOverview {
  const graph = job.master.submission.graph;
  const status = job.status;
  const timestamps = job.master.status.timestamps;
  const startTime = timestamps.INITIALIZING ?? job.master.startTime;
  const endTime = isGloballyTerminal(status) ? (timestamps[status] ?? now) : -1;
  const taskCounts = Object.fromEntries(EXECUTION_STATES.map((state) => [state, 0])) as Record<ExecutionState, number>;
  let totalTasks = 0;
  for (const shape of vertices) {
    const counts = vertexStateCounts(shape);
    for (const state of EXECUTION_STATES) taskCounts[state] += counts[state];
    for (const state of EXECUTION_STATES) totalTasks += counts[state];
  }
  return {
    jobId: job.jobId,
    name: graph.jobName,
    jobType: graph.jobType,
    schedulerType: job.master.scheduler.schedulerType,
    status,
    startTime,
    endTime,
    duration: durationOf(startTime, endTime, now),
    lastModification: lastModification(job, vertices),
    taskCounts,
    totalTasks,
  };
}

/** The latest change of the job's status or of any attempt's state. */
function lastModification(job: TrackedJob, vertices: readonly VertexShape[]): number {
  const history = job.master.status.history;
  let latest = history[history.length - 1]?.timestamp ?? job.master.startTime;
  for (const shape of vertices) {
    for (const execution of shape.executions) {
      for (const at of Object.values(execution.stateTimestamps)) if (at !== undefined && at > latest) latest = at;
    }
  }
  return latest;
}
