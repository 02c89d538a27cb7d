import type { ClusterOverviewWithVersion } from '../types/responses.js';
import type { DispatcherGateway } from '../../rpc/gateways/dispatcher-gateway.js';
import type { RestHandler } from '../router.js';
import { FLINK_COMMIT, FLINK_VERSION } from '../version.js';

/** GET /overview: Flink's ClusterOverviewWithVersion. */
export function clusterOverviewHandler(gateway: DispatcherGateway): RestHandler {
  return () => {
    const overview = gateway.requestClusterOverview();
    return {
      status: 200,
      json: {
        taskmanagers: overview.taskManagers,
        'slots-total': overview.slotsTotal,
        'slots-available': overview.slotsAvailable,
        'taskmanagers-blocked': 0,
        'slots-free-and-blocked': 0,
        'jobs-running': overview.jobsRunning,
        'jobs-finished': overview.jobsFinished,
        'jobs-cancelled': overview.jobsCancelled,
        'jobs-failed': overview.jobsFailed,
        'flink-version': FLINK_VERSION,
        'flink-commit': FLINK_COMMIT,
      } satisfies ClusterOverviewWithVersion,
    };
  };
}
