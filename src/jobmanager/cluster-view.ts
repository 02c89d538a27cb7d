import type { ClusterOverview, DispatcherGateway, TaskManagerDetails } from '../rpc/gateways/dispatcher-gateway.js';
import { formatAddress } from '../rpc/address.js';
import type { ClusterRuntime } from '../rpc/cluster-runtime.js';
import type { RegisteredTaskManager } from './resourcemanager/registered-task-manager.js';
import type { ResourceManager } from './resourcemanager/resource-manager.js';

/** Answers the REST handlers' questions about the cluster from the ResourceManager's registry. */
export class ClusterView implements DispatcherGateway {
  constructor(private readonly resourceManager: ResourceManager, private readonly runtime: ClusterRuntime) {}

  requestClusterOverview(): ClusterOverview {
    const taskManagers = this.resourceManager.registered;
    const slotsTotal = taskManagers.reduce((sum, tm) => sum + tm.numberOfSlots, 0);
    return { taskManagers: taskManagers.length, slotsTotal, slotsAvailable: slotsTotal, jobsRunning: 0, jobsFinished: 0, jobsCancelled: 0, jobsFailed: 0 };
  }

  requestTaskManagers(): readonly TaskManagerDetails[] {
    return this.resourceManager.registered.map((tm) => this.details(tm));
  }

  requestTaskManager(resourceId: string): TaskManagerDetails | undefined {
    const taskManager = this.resourceManager.get(resourceId);
    return taskManager === undefined ? undefined : this.details(taskManager);
  }

  private details(tm: RegisteredTaskManager): TaskManagerDetails {
    return {
      resourceId: tm.resourceId,
      path: `${formatAddress(this.runtime.jobManagerAddress)}#${tm.resourceId}`,
      dataAddress: tm.registration.dataAddress,
      registeredAt: tm.registeredAt,
      lastHeartbeat: tm.lastHeartbeat,
      slotsNumber: tm.numberOfSlots,
      freeSlots: tm.numberOfSlots,
      allocatedSlots: [],
      hardware: tm.registration.hardware,
      memoryConfiguration: tm.registration.memoryConfiguration,
      process: tm.process,
    };
  }
}
