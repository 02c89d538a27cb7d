import type { DispatcherGateway } from '../../rpc/gateways/dispatcher-gateway.js';
import { jobIdParam, taskManagerIdParam } from '../request-params.js';
import { notFound } from '../rest-error.js';
import type { RestHandler } from '../router.js';

/**
 * GET /jobs/:jobid/jobmanager/log-url (Flink's LogUrlResponse): where a job's JobManager log can be
 * read. Without a history server Flink answers with its own dashboard's log page, and so does tsflink.
 */
export function jobManagerLogUrlHandler(gateway: DispatcherGateway, restAddress: () => string): RestHandler {
  return (request) => {
    gateway.jobGateway.requestJobStatus(jobIdParam(request));
    return { status: 200, json: { url: `${restAddress()}/#/job-manager/logs` } };
  };
}

/** GET /jobs/:jobid/taskmanagers/:taskmanagerid/log-url: the dashboard's log page of that TaskManager. */
export function taskManagerLogUrlHandler(gateway: DispatcherGateway, restAddress: () => string): RestHandler {
  return (request) => {
    gateway.jobGateway.requestJobStatus(jobIdParam(request));
    const taskManagerId = taskManagerIdParam(request);
    if (gateway.requestTaskManager(taskManagerId) === undefined) throw notFound(`TaskManager ${taskManagerId} is not registered.`);
    return { status: 200, json: { url: `${restAddress()}/#/task-manager/${encodeURIComponent(taskManagerId)}/logs` } };
  };
}
