import type { AutoscalerDecisionRecord, ParallelismHistory } from '../types/responses.js';
import type { JobGateway } from '../../rpc/gateways/job-gateway.js';
import { RestError } from '../rest-error.js';
import { integerQuery, jobIdParam, objectBody, triggerIdParam } from '../request-params.js';
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

/** GET /jobs/:jobid/autoscaler (tsflink's): the autoscaler's recent decisions with their inputs and reasons. */
export function autoscalerDecisionsHandler(jobs: JobGateway): RestHandler {
  return (request) => ({ status: 200, json: jobs.requestAutoscalerDecisions(jobIdParam(request)) });
}

/** POST /jobs/:jobid/autoscaler (tsflink's): an autoscaler reports a decision; 400 unless it has the record's shape. */
export function recordAutoscalerDecisionHandler(jobs: JobGateway): RestHandler {
  return (request) => {
    const jobId = jobIdParam(request);
    jobs.recordAutoscalerDecision(jobId, parseDecisionRecord(objectBody(request, 'an autoscaler decision')));
    return { status: 200, json: {} };
  };
}

/** Checks the fields the JobManager relies on; the vertex details are kept as sent. */
function parseDecisionRecord(body: Record<string, unknown>): AutoscalerDecisionRecord {
  const text = (value: unknown): boolean => typeof value === 'string' && value.length <= 4_096;
  const ok =
    typeof body['timestamp'] === 'number' &&
    text(body['outcome']) &&
    text(body['reason']) &&
    (body['summary'] === null || text(body['summary'])) &&
    (body['action'] === null || text(body['action'])) &&
    typeof body['dryRun'] === 'boolean' &&
    typeof body['applied'] === 'boolean' &&
    typeof body['processingBacklog'] === 'boolean' &&
    Array.isArray(body['vertices']) &&
    body['vertices'].length <= 1_000;
  if (!ok)
    throw new RestError(
      400,
      'An autoscaler decision must have timestamp (number), outcome, reason (strings), summary and action (string or null), dryRun, applied, processingBacklog (booleans) and vertices (a list).',
    );
  return body as unknown as AutoscalerDecisionRecord;
}
