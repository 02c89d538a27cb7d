import type { DispatcherGateway } from '../../rpc/gateways/dispatcher-gateway.js';
import { taskManagerIdParam } from '../request-params.js';
import { notFound } from '../rest-error.js';
import type { RestHandler } from '../router.js';

/** GET /jobmanager/thread-dump (Flink's ThreadDumpInfo): the JobManager's main thread and worker threads. */
export function jobManagerThreadDumpHandler(gateway: DispatcherGateway): RestHandler {
  return async () => ({ status: 200, json: { threadInfos: await gateway.jobManagerThreads.requestThreadDump() } });
}

/** GET /taskmanagers/:taskmanagerid/thread-dump: a TaskManager's threads, relayed over its connection. */
export function taskManagerThreadDumpHandler(gateway: DispatcherGateway): RestHandler {
  return async (request) => {
    const id = taskManagerIdParam(request);
    const source = gateway.taskManagerThreads(id);
    if (source === undefined) throw notFound(`Could not find TaskExecutor ${id.slice(0, 200)}.`);
    return { status: 200, json: { threadInfos: await source.requestThreadDump() } };
  };
}
