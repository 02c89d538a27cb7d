import type { ResourceProfileInfo, TaskManagerDetailsInfo, TaskManagerInfo, TaskManagersList } from '../types/responses.js';
import type { DispatcherGateway, TaskManagerDetails } from '../../rpc/gateways/dispatcher-gateway.js';
import { taskManagerIdParam } from '../request-params.js';
import { notFound } from '../rest-error.js';
import type { RestHandler } from '../router.js';

/** GET /taskmanagers: Flink's TaskManagersInfo. */
export function taskManagersHandler(gateway: DispatcherGateway): RestHandler {
  return () => ({ status: 200, json: { taskmanagers: gateway.requestTaskManagers().map(taskManagerInfo) } satisfies TaskManagersList });
}

/** GET /taskmanagers/:taskmanagerid: Flink's TaskManagerDetailsInfo. */
export function taskManagerDetailsHandler(gateway: DispatcherGateway): RestHandler {
  return (request) => {
    const details = gateway.requestTaskManager(taskManagerIdParam(request));
    if (details === undefined) throw notFound(`Could not find TaskManager ${request.params['taskmanagerid']}.`);
    const process = details.process;
    return {
      status: 200,
      json: {
        ...taskManagerInfo(details),
        allocatedSlots: details.allocatedSlots.map((slot) => ({
          jobId: slot.jobId,
          resource: slotResource(details, 1),
          assignedTasks: slot.assignedTasks,
        })),
        metrics: {
          heapUsed: process?.heapUsed ?? 0,
          heapCommitted: process?.heapCommitted ?? 0,
          heapMax: process?.heapMax ?? 0,
          nonHeapUsed: 0,
          nonHeapCommitted: 0,
          nonHeapMax: 0,
          directCount: 0,
          directUsed: 0,
          directMax: 0,
          mappedCount: 0,
          mappedUsed: 0,
          mappedMax: 0,
          memorySegmentsAvailable: 0,
          memorySegmentsTotal: 0,
          nettyShuffleMemorySegmentsAvailable: 0,
          nettyShuffleMemorySegmentsUsed: 0,
          nettyShuffleMemorySegmentsTotal: 0,
          nettyShuffleMemoryAvailable: 0,
          nettyShuffleMemoryUsed: 0,
          nettyShuffleMemoryTotal: 0,
          garbageCollectors: [],
        },
      } satisfies TaskManagerDetailsInfo,
    };
  };
}

/** The fields shared by the list and the details view. */
export function taskManagerInfo(details: TaskManagerDetails): TaskManagerInfo {
  return {
    id: details.resourceId,
    path: details.path,
    dataPort: dataPortOf(details.dataAddress),
    jmxPort: -1,
    timeSinceLastHeartbeat: details.lastHeartbeat,
    slotsNumber: details.slotsNumber,
    freeSlots: details.freeSlots,
    assignedTasks: details.allocatedSlots.reduce((sum, slot) => sum + slot.assignedTasks, 0),
    totalResource: slotResource(details, details.slotsNumber),
    freeResource: slotResource(details, details.freeSlots),
    hardware: details.hardware,
    memoryConfiguration: details.memoryConfiguration,
    blocked: false,
  };
}

function slotResource(details: TaskManagerDetails, slots: number): ResourceProfileInfo {
  const share = details.slotsNumber === 0 ? 0 : slots / details.slotsNumber;
  const memory = details.memoryConfiguration;
  return {
    cpuCores: details.hardware.cpuCores * share,
    taskHeapMemory: Math.round((memory.taskHeap * share) / 1024 / 1024),
    taskOffHeapMemory: Math.round((memory.taskOffHeap * share) / 1024 / 1024),
    managedMemory: Math.round((memory.managedMemory * share) / 1024 / 1024),
    networkMemory: Math.round((memory.networkMemory * share) / 1024 / 1024),
    extendedResources: {},
  };
}

/** Flink shows a TCP port; a TaskManager on a Unix socket has none, which Flink writes as -1. */
function dataPortOf(address: string): number {
  const match = /:(\d+)$/.exec(address);
  return address.startsWith('unix:') || match === null ? -1 : Number(match[1]);
}
