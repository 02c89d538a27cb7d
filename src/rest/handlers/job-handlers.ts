import type { JobConfig, JobExceptionsInfo, JobIdsWithStatusOverview, JobsOverview } from '../types/responses.js';
import type { JobGateway } from '../../rpc/gateways/job-gateway.js';
import { badRequest } from '../rest-error.js';
import { integerQuery, jobIdParam } from '../request-params.js';
import type { RestHandler } from '../router.js';
import { jobDetailsJson, jobOverviewJson, planJson } from './job-json.js';

/** GET /jobs: ids and statuses (Flink's JobIdsWithStatusOverview). */
export function jobsHandler(jobs: JobGateway): RestHandler {
  return () => ({
    status: 200,
    json: { jobs: jobs.requestJobsOverview().map((job) => ({ id: job.jobId, status: job.status })) } satisfies JobIdsWithStatusOverview,
  });
}

/** GET /jobs/overview (Flink's MultipleJobsDetails). */
export function jobsOverviewHandler(jobs: JobGateway): RestHandler {
  return () => ({ status: 200, json: { jobs: jobs.requestJobsOverview().map(jobOverviewJson) } satisfies JobsOverview });
}

/** GET /jobs/:jobid (Flink's JobDetailsInfo). */
export function jobDetailsHandler(jobs: JobGateway): RestHandler {
  return (request) => ({ status: 200, json: jobDetailsJson(jobs.requestJobDetails(jobIdParam(request))) });
}

/** GET /jobs/:jobid/status. */
export function jobStatusHandler(jobs: JobGateway): RestHandler {
  return (request) => ({ status: 200, json: { status: jobs.requestJobStatus(jobIdParam(request)) } });
}

/** GET /jobs/:jobid/plan. */
export function jobPlanHandler(jobs: JobGateway): RestHandler {
  return (request) => {
    const job = jobs.requestJobDetails(jobIdParam(request));
    return { status: 200, json: { plan: planJson(job.jobId, job.name, job.jobType, job.plan) } };
  };
}

/** GET /jobs/:jobid/config (Flink's JobConfigInfo). */
export function jobConfigHandler(jobs: JobGateway): RestHandler {
  return (request) => {
    const config = jobs.requestJobConfig(jobIdParam(request));
    return {
      status: 200,
      json: {
        jid: config.jobId,
        name: config.name,
        'execution-config': {
          'restart-strategy': config.restartStrategy,
          'job-parallelism': config.parallelism,
          'object-reuse-mode': config.objectReuse,
          'user-config': { ...config.userConfig },
        },
      } satisfies JobConfig,
    };
  };
}

/** How many failures /exceptions lists when the client does not say (Flink's default). */
const DEFAULT_MAX_EXCEPTIONS = 20;

/** GET /jobs/:jobid/exceptions?maxExceptions=&failureLabelFilter= (Flink's JobExceptionsInfoWithHistory). */
export function jobExceptionsHandler(jobs: JobGateway): RestHandler {
  return (request) => {
    const jobId = jobIdParam(request);
    const max = integerQuery(request, 'maxExceptions', DEFAULT_MAX_EXCEPTIONS, 0);
    const filters = labelFilters(request.query.getAll('failureLabelFilter'));
    const history = jobs.requestJobExceptions(jobId, max);
    // tsflink attaches no failure labels, so any label filter matches no entry.
    const entries = filters.length > 0 ? [] : history.entries;
    const root = history.root;
    return {
      status: 200,
      json: {
        // The fields Flink 1.x still serves beside the history (deprecated there, gone in 2.0).
        'root-exception': root?.stacktrace ?? null,
        timestamp: root?.timestamp ?? null,
        'all-exceptions': [],
        truncated: history.truncated,
        exceptionHistory: {
          entries: entries.map((entry) => ({
            exceptionName: entry.exceptionName,
            stacktrace: entry.stacktrace,
            timestamp: entry.timestamp,
            failureLabels: {},
            ...(entry.taskName === undefined ? {} : { taskName: entry.taskName }),
            ...(entry.endpoint === undefined ? {} : { endpoint: entry.endpoint }),
            ...(entry.taskManagerId === undefined ? {} : { taskManagerId: entry.taskManagerId }),
            concurrentExceptions: [],
          })),
          truncated: history.truncated,
        },
      } satisfies JobExceptionsInfo,
    };
  };
}

/** `failureLabelFilter` values: comma-separated `key:value` pairs. */
function labelFilters(values: readonly string[]): Array<[string, string]> {
  return values
    .flatMap((value) => value.split(','))
    .filter((pair) => pair.trim() !== '')
    .map((pair) => {
      const [key, label, ...rest] = pair.split(':');
      if (key === undefined || label === undefined || rest.length > 0 || key.trim() === '') {
        throw badRequest(`Invalid failureLabelFilter '${pair}': expected key:value pairs separated by commas.`);
      }
      return [key.trim(), label.trim()];
    });
}

/** PATCH /jobs/:jobid?mode=cancel: 202 with an empty body once the cancellation is under way. */
export function jobCancelHandler(jobs: JobGateway): RestHandler {
  return (request) => {
    const jobId = jobIdParam(request);
    const mode = request.query.get('mode') ?? 'cancel';
    if (mode.toLowerCase() === 'stop') {
      throw badRequest(
        'The termination mode "stop" no longer exists: use mode=cancel to cancel, or POST /jobs/:jobid/stop to stop with a savepoint.',
      );
    }
    if (mode.toLowerCase() !== 'cancel') throw badRequest(`Invalid query parameter mode='${mode}': the only termination mode is cancel.`);
    jobs.cancelJob(jobId);
    return { status: 202, json: {} };
  };
}
