import type { JobId, ResourceId } from '../../../core/ids.js';
import type {
  JobVertexDetails,
  JobVertexTaskManagers,
  SubtaskAttemptDetails,
  VertexTaskManagerGroup,
} from '../../../rpc/gateways/job-view-types.js';
import type { Execution } from '../../scheduler/execution-graph/execution.js';
import {
  aggregateState,
  attemptEndTime,
  attemptStartTime,
  countStates,
  durationOf,
  groupTiming,
  statusDurations,
} from './execution-timing.js';
import { attemptIoMetrics, sumIoMetrics, type SubtaskMetricsProvider } from './io-metrics.js';
import type { VertexShape } from './tracked-job.js';

/** What Flink shows for an attempt that has no slot yet. */
const UNASSIGNED = '(unassigned)' as const;

/** The current attempt of one subtask with where it runs and how long it spent in each state. */
export function subtaskAttempt(jobId: JobId, execution: Execution, metrics: SubtaskMetricsProvider, now: number): SubtaskAttemptDetails {
  const taskManager = execution.allocation?.taskManager;
  const startTime = attemptStartTime(execution);
  const endTime = attemptEndTime(execution);
  return {
    subtask: execution.subtaskIndex,
    status: execution.state,
    attempt: execution.attemptNumber,
    endpoint: taskManager?.registration.dataAddress ?? UNASSIGNED,
    taskManagerId: taskManager?.resourceId ?? UNASSIGNED,
    startTime,
    endTime,
    duration: durationOf(startTime, endTime, now),
    statusDurations: statusDurations(execution, now),
    stateTimestamps: { ...execution.stateTimestamps },
    metrics: attemptIoMetrics(metrics, jobId, execution),
  };
}

/** One vertex with every subtask of the run shown (none before the first run). */
export function vertexDetails(jobId: JobId, shape: VertexShape, metrics: SubtaskMetricsProvider, now: number): JobVertexDetails {
  return {
    id: shape.jobVertex.id,
    name: shape.jobVertex.name,
    parallelism: shape.parallelism,
    maxParallelism: shape.maxParallelism,
    now,
    subtasks: shape.executions.map((execution) => subtaskAttempt(jobId, execution, metrics, now)),
  };
}

/** A vertex's subtasks grouped by the TaskManager they run on, in order of first appearance. */
export function vertexTaskManagers(jobId: JobId, shape: VertexShape, metrics: SubtaskMetricsProvider, now: number): JobVertexTaskManagers {
  const groups = new Map<ResourceId | typeof UNASSIGNED, Execution[]>();
  for (const execution of shape.executions) {
    const key = execution.allocation?.taskManager.resourceId ?? UNASSIGNED;
    groups.set(key, [...(groups.get(key) ?? []), execution]);
  }
  const taskManagers: VertexTaskManagerGroup[] = [...groups.entries()].map(([taskManagerId, executions]) => {
    const taskCounts = countStates(executions);
    const subtasks = executions.map((execution) => subtaskAttempt(jobId, execution, metrics, now));
    return {
      taskManagerId,
      endpoint: executions[0]?.allocation?.taskManager.registration.dataAddress ?? UNASSIGNED,
      status: aggregateState(taskCounts, executions.length),
      ...groupTiming(executions, now),
      taskCounts,
      metrics: sumIoMetrics(subtasks.map((subtask) => subtask.metrics)),
      subtasks,
    };
  });
  return { id: shape.jobVertex.id, name: shape.jobVertex.name, now, taskManagers };
}
