import type { DispatcherGateway } from '../rpc/gateways/dispatcher-gateway.js';
import { clusterOverviewHandler } from './handlers/cluster-overview-handler.js';
import { taskManagerDetailsHandler, taskManagersHandler } from './handlers/task-managers-handler.js';
import { Router } from './router.js';

/** Every REST endpoint the JobManager serves, bound to its dispatcher gateway. */
export function createRestRouter(gateway: DispatcherGateway): Router {
  return new Router()
    .add('GET', '/overview', clusterOverviewHandler(gateway))
    .add('GET', '/taskmanagers', taskManagersHandler(gateway))
    .add('GET', '/taskmanagers/:taskmanagerid', taskManagerDetailsHandler(gateway));
}
