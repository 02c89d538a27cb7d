import type { VertexDetails } from '../types/responses.js';
import type { JobGateway } from '../../rpc/gateways/job-gateway.js';
import { jobIdParam, vertexIdParam } from '../request-params.js';
import type { RestHandler } from '../router.js';
import { aggregatedJson } from './aggregated-stats.js';
import { hostOf, ioMetricsJson, subtaskJson, upperCaseTaskCounts } from './job-json.js';

/** GET /jobs/:jobid/vertices/:vertexid (Flink's JobVertexDetailsInfo): every subtask with its TaskManager. */
export function vertexDetailsHandler(jobs: JobGateway): RestHandler {
  return (request) => {
    const vertex = jobs.requestJobVertex(jobIdParam(request), vertexIdParam(request));
    return {
      status: 200,
      json: {
        id: vertex.id,
        name: vertex.name,
        parallelism: vertex.parallelism,
        maxParallelism: vertex.maxParallelism,
        now: vertex.now,
        subtasks: vertex.subtasks.map(subtaskJson),
        aggregated: aggregatedJson(vertex.subtasks),
      } satisfies VertexDetails,
    };
  };
}

/** GET /jobs/:jobid/vertices/:vertexid/taskmanagers (Flink's JobVertexTaskManagersInfo). */
export function vertexTaskManagersHandler(jobs: JobGateway): RestHandler {
  return (request) => {
    const vertex = jobs.requestJobVertexTaskManagers(jobIdParam(request), vertexIdParam(request));
    return {
      status: 200,
      json: {
        id: vertex.id,
        name: vertex.name,
        now: vertex.now,
        taskmanagers: vertex.taskManagers.map((group) => ({
          endpoint: group.endpoint,
          // Flink 1.x still writes the deprecated host beside the endpoint.
          host: hostOf(group.endpoint),
          status: group.status,
          'start-time': group.startTime,
          'end-time': group.endTime,
          duration: group.duration,
          metrics: ioMetricsJson(group.metrics),
          'status-counts': upperCaseTaskCounts(group.taskCounts),
          'taskmanager-id': group.taskManagerId,
          aggregated: aggregatedJson(group.subtasks),
        })),
      },
    };
  };
}
