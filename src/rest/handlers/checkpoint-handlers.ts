import type { JobGateway } from '../../rpc/gateways/job-gateway.js';
import { integerParam, jobIdParam, vertexIdParam } from '../request-params.js';
import type { RestHandler } from '../router.js';

/** GET /jobs/:jobid/checkpoints (Flink's CheckpointingStatistics). */
export function checkpointStatisticsHandler(jobs: JobGateway): RestHandler {
  return (request) => ({ status: 200, json: jobs.requestCheckpointStatistics(jobIdParam(request)) });
}

/** GET /jobs/:jobid/checkpoints/config (Flink's CheckpointConfigInfo). */
export function checkpointConfigHandler(jobs: JobGateway): RestHandler {
  return (request) => ({ status: 200, json: jobs.requestCheckpointConfig(jobIdParam(request)) });
}

/** GET /jobs/:jobid/checkpoints/details/:checkpointid: one checkpoint with per-vertex statistics. */
export function checkpointDetailsHandler(jobs: JobGateway): RestHandler {
  return (request) => {
    const jobId = jobIdParam(request);
    const checkpointId = integerParam(request, 'checkpointid', 'checkpoint id');
    return { status: 200, json: jobs.requestCheckpointDetails(jobId, checkpointId) };
  };
}

/** GET /jobs/:jobid/checkpoints/details/:checkpointid/subtasks/:vertexid: each subtask's acknowledgement, with a summary. */
export function checkpointSubtaskDetailsHandler(jobs: JobGateway): RestHandler {
  return (request) => {
    const jobId = jobIdParam(request);
    const checkpointId = integerParam(request, 'checkpointid', 'checkpoint id');
    return { status: 200, json: jobs.requestCheckpointSubtaskDetails(jobId, checkpointId, vertexIdParam(request)) };
  };
}
