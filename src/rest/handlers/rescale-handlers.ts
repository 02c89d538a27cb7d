import type { ParallelismHistory } from '../types/responses.js';
import type { JobGateway } from '../../rpc/gateways/job-gateway.js';
import { RestError } from '../rest-error.js';
import { integerQuery, jobIdParam, triggerIdParam } from '../request-params.js';
import type { RestHandler } from '../router.js';

/** Flink's answer on its legacy rescaling endpoints, kept word for word since clients look for it. */
const RESCALING_DISABLED = 'Rescaling is temporarily disabled. See FLINK-12312.';

/** PATCH /jobs/:jobid/rescaling?parallelism=N: always 503, as in Flink; resource requirements replace it. */
export function rescalingHandler(): RestHandler {
  return (request) => {
    jobIdParam(request);
    if (request.query.get('parallelism') === null)
      throw new RestError(400, 'Missing query parameter parallelism: expected a positive integer.');
    integerQuery(request, 'parallelism', 1, 1);
    throw new RestError(503, RESCALING_DISABLED);
  };
}

/** GET /jobs/:jobid/rescaling/:triggerid: 503 like the trigger. */
export function rescalingStatusHandler(): RestHandler {
  return (request) => {
    jobIdParam(request);
    triggerIdParam(request);
    throw new RestError(503, RESCALING_DISABLED);
  };
}

/**
 * GET /jobs/:jobid/parallelism-history (tsflink's own, for the web UI's timeline): every run of the
 * job with its parallelism per vertex, why it started, how long the job was down before it, and the
 * checkpoint it restored. `downtimeMs` is the gap in the job's output: from the last record a sink
 * of the previous run processed to the first record a sink of this run processed (`downtimeBasis`
 * `records`); an idle job falls back to the scheduler's stop or a source's idle time (`scheduler`),
 * and a run with no record yet shows the gap up to its deployment (`pending`).
 */
export function parallelismHistoryHandler(jobs: JobGateway): RestHandler {
  return (request) => {
    const history: ParallelismHistory = jobs.requestParallelismHistory(jobIdParam(request));
    return { status: 200, json: history };
  };
}
