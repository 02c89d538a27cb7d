import type { SavepointOperationStatus } from '../../rpc/gateways/job-view-types.js';
import type { JobGateway } from '../../rpc/gateways/job-gateway.js';
import {
  checkFormatType,
  jobIdParam,
  objectBody,
  optionalBoolean,
  optionalString,
  optionalTriggerId,
  triggerIdParam,
} from '../request-params.js';
import type { RestHandler } from '../router.js';

/**
 * How long a status poll of a running savepoint waits for it to finish before answering
 * IN_PROGRESS. Pollers then learn of completion at once, even when a stop-with-savepoint ends the
 * JobManager right after.
 */
const STATUS_WAIT_MS = 1_000;

/** POST /jobs/:jobid/savepoints: body `target-directory`, `cancel-job`, `formatType`, `triggerId`; 202 with the request id. */
export function triggerSavepointHandler(jobs: JobGateway): RestHandler {
  return (request) => {
    const jobId = jobIdParam(request);
    const body = objectBody(request, 'a savepoint request');
    checkFormatType(body);
    const requestId = jobs.triggerSavepoint(jobId, {
      targetDirectory: optionalString(body, 'target-directory'),
      cancelJob: optionalBoolean(body, 'cancel-job', false),
      triggerId: optionalTriggerId(body),
    });
    return { status: 202, json: { 'request-id': requestId } };
  };
}

/** POST /jobs/:jobid/stop: body `targetDirectory`, `drain`, `formatType`, `triggerId` (note Flink's other spelling); 202. */
export function stopWithSavepointHandler(jobs: JobGateway): RestHandler {
  return (request) => {
    const jobId = jobIdParam(request);
    const body = objectBody(request, 'a stop request');
    checkFormatType(body);
    const requestId = jobs.stopWithSavepoint(jobId, {
      targetDirectory: optionalString(body, 'targetDirectory'),
      drain: optionalBoolean(body, 'drain', false),
      triggerId: optionalTriggerId(body),
    });
    return { status: 202, json: { 'request-id': requestId } };
  };
}

/** GET /jobs/:jobid/savepoints/:triggerid: Flink's AsynchronousOperationResult with `location` or `failure-cause`. */
export function savepointStatusHandler(jobs: JobGateway): RestHandler {
  return async (request) => {
    const jobId = jobIdParam(request);
    const triggerId = triggerIdParam(request);
    const status = await jobs.requestSavepointStatus(jobId, triggerId, STATUS_WAIT_MS);
    return { status: 200, json: operationJson(status) };
  };
}

function operationJson(status: SavepointOperationStatus): Record<string, unknown> {
  switch (status.state) {
    case 'IN_PROGRESS':
      return { status: { id: 'IN_PROGRESS' }, operation: null };
    case 'COMPLETED':
      return { status: { id: 'COMPLETED' }, operation: { location: status.location } };
    case 'FAILED':
      return {
        status: { id: 'COMPLETED' },
        operation: {
          'failure-cause': { class: status.failure.name, 'stack-trace': status.failure.stack, message: status.failure.message },
        },
      };
  }
}
