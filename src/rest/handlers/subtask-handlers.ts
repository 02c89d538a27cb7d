import { EXECUTION_STATES, type JobVertexDetails, type SubtaskAttemptDetails } from '../../rpc/gateways/job-view-types.js';
import type { JobGateway } from '../../rpc/gateways/job-gateway.js';
import { integerParam, jobIdParam, vertexIdParam } from '../request-params.js';
import { notFound } from '../rest-error.js';
import type { RestHandler, RestRequest } from '../router.js';
import { hostOf, subtaskJson } from './job-json.js';

/** The vertex of the path and its subtask at `:subtaskindex`; 404 past its parallelism. */
function subtaskOf(jobs: JobGateway, request: RestRequest): { vertex: JobVertexDetails; subtask: SubtaskAttemptDetails } {
  const vertex = jobs.requestJobVertex(jobIdParam(request), vertexIdParam(request));
  const index = integerParam(request, 'subtaskindex', 'subtask index');
  const subtask = vertex.subtasks.find((s) => s.subtask === index);
  if (subtask === undefined) {
    throw notFound(
      `Invalid subtask index ${index}: job vertex ${vertex.id} has ${vertex.subtasks.length} subtask(s) (indexes 0 to ${vertex.subtasks.length - 1}).`,
    );
  }
  return { vertex, subtask };
}

/**
 * The attempt of the path. Only the current attempt of a subtask is kept; earlier attempts (before
 * a restart or rescale) are not served.
 */
function attemptOf(jobs: JobGateway, request: RestRequest): { vertex: JobVertexDetails; subtask: SubtaskAttemptDetails } {
  const found = subtaskOf(jobs, request);
  const attempt = integerParam(request, 'attempt', 'attempt number');
  if (attempt !== found.subtask.attempt) {
    throw notFound(
      `Attempt ${attempt} of subtask ${found.subtask.subtask} of job vertex ${found.vertex.id} is not known; the current attempt is ${found.subtask.attempt}.`,
    );
  }
  return found;
}

/** How Flink's per-subtask lists name a subtask: its index and where it runs (with the deprecated host). */
function subtaskPlace(subtask: SubtaskAttemptDetails): { subtask: number; host: string; endpoint: string } {
  return { subtask: subtask.subtask, host: hostOf(subtask.endpoint), endpoint: subtask.endpoint };
}

/** GET /jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex (Flink's SubtaskExecutionAttemptDetailsInfo). */
export function subtaskDetailsHandler(jobs: JobGateway): RestHandler {
  return (request) => ({ status: 200, json: subtaskJson(subtaskOf(jobs, request).subtask) });
}

/** GET /jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/attempts/:attempt. */
export function subtaskAttemptHandler(jobs: JobGateway): RestHandler {
  return (request) => ({ status: 200, json: subtaskJson(attemptOf(jobs, request).subtask) });
}

/** GET /jobs/:jobid/vertices/:vertexid/subtasktimes (Flink's SubtasksTimesInfo): when each subtask entered each state, 0 for states not reached. */
export function subtaskTimesHandler(jobs: JobGateway): RestHandler {
  return (request) => {
    const vertex = jobs.requestJobVertex(jobIdParam(request), vertexIdParam(request));
    return {
      status: 200,
      json: {
        id: vertex.id,
        name: vertex.name,
        now: vertex.now,
        subtasks: vertex.subtasks.map((subtask) => ({
          ...subtaskPlace(subtask),
          duration: subtask.duration,
          timestamps: Object.fromEntries(EXECUTION_STATES.map((state) => [state, subtask.stateTimestamps[state] ?? 0])),
        })),
      },
    };
  };
}

/*
 * Accumulators: tsflink's job API has no user accumulators (Flink's RuntimeContext#addAccumulator),
 * so every list is empty; the endpoints answer in Flink's shape so clients and the dashboard work.
 */

/** GET /jobs/:jobid/accumulators (Flink's JobAccumulatorsInfo). */
export function jobAccumulatorsHandler(jobs: JobGateway): RestHandler {
  return (request) => {
    jobs.requestJobStatus(jobIdParam(request));
    return { status: 200, json: { 'job-accumulators': [], 'user-task-accumulators': [], 'serialized-user-task-accumulators': {} } };
  };
}

/** GET /jobs/:jobid/vertices/:vertexid/accumulators (Flink's JobVertexAccumulatorsInfo). */
export function vertexAccumulatorsHandler(jobs: JobGateway): RestHandler {
  return (request) => {
    const vertex = jobs.requestJobVertex(jobIdParam(request), vertexIdParam(request));
    return { status: 200, json: { id: vertex.id, 'user-accumulators': [] } };
  };
}

/** GET /jobs/:jobid/vertices/:vertexid/subtasks/accumulators (Flink's SubtasksAllAccumulatorsInfo). */
export function subtasksAccumulatorsHandler(jobs: JobGateway): RestHandler {
  return (request) => {
    const vertex = jobs.requestJobVertex(jobIdParam(request), vertexIdParam(request));
    return {
      status: 200,
      json: {
        id: vertex.id,
        parallelism: vertex.parallelism,
        subtasks: vertex.subtasks.map((subtask) => ({
          ...subtaskPlace(subtask),
          attempt: subtask.attempt,
          'taskmanager-id': subtask.taskManagerId,
          'user-accumulators': [],
        })),
      },
    };
  };
}

/** GET /jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/attempts/:attempt/accumulators. */
export function attemptAccumulatorsHandler(jobs: JobGateway): RestHandler {
  return (request) => {
    const { vertex, subtask } = attemptOf(jobs, request);
    return { status: 200, json: { subtask: subtask.subtask, attempt: subtask.attempt, id: vertex.id, 'user-accumulators': [] } };
  };
}
