import type { JobGateway } from '../../rpc/gateways/job-gateway.js';
import type { JobStatus } from '../types/job-status.js';
import { jobIdParam } from '../request-params.js';
import type { RestHandler } from '../router.js';

/** The globally terminal states: the job will not run again. */
const ENDED: readonly JobStatus[] = ['FINISHED', 'FAILED', 'CANCELED'];

/** Flink's ApplicationStatus of a job that ended in `status`. */
function applicationStatus(status: JobStatus): 'SUCCEEDED' | 'FAILED' | 'CANCELED' | 'UNKNOWN' {
  if (status === 'FINISHED') return 'SUCCEEDED';
  if (status === 'FAILED') return 'FAILED';
  if (status === 'CANCELED') return 'CANCELED';
  return 'UNKNOWN';
}

/**
 * GET /jobs/:jobid/execution-result (Flink's JobExecutionResultResponseBody): IN_PROGRESS while
 * the job runs, then its outcome. What a client polls to learn how an attached job ended. The
 * failure cause carries the class and stack trace; there is no Java-serialized throwable to give.
 */
export function executionResultHandler(jobs: JobGateway): RestHandler {
  return (request) => {
    const jobId = jobIdParam(request);
    // Clients poll this while the job runs: answer from the status alone until it has ended.
    if (!ENDED.includes(jobs.requestJobStatus(jobId))) return { status: 200, json: { status: { id: 'IN_PROGRESS' } } };
    const details = jobs.requestJobDetails(jobId);
    const failure = details.status === 'FAILED' ? jobs.requestJobExceptions(jobId, 1).entries[0] : undefined;
    return {
      status: 200,
      json: {
        status: { id: 'COMPLETED' },
        'job-execution-result': {
          id: jobId,
          'application-status': applicationStatus(details.status),
          'accumulator-results': {},
          'net-runtime': details.duration,
          ...(failure === undefined ? {} : { 'failure-cause': { class: failure.exceptionName, 'stack-trace': failure.stacktrace } }),
        },
      },
    };
  };
}
