import type { ResourceId } from '../../core/ids.js';
import type { GatewaySpec } from '../gateway.js';
import type { RegistrationResponse, TaskExecutorHeartbeatPayload, TaskExecutorRegistration } from './task-executor-registration.js';

/** The ResourceManager's RPC surface, called by TaskManagers over their JobManager connection. */
export interface ResourceManagerGateway {
  /** Registers the calling TaskManager and its slots; a repeated registration replaces the old one. */
  registerTaskExecutor(registration: TaskExecutorRegistration): Promise<RegistrationResponse>;
  /**
   * A TaskManager about to leave on purpose (stop, SIGTERM) that still runs tasks: its slots are
   * offered no more, and the jobs on it move off it (a checkpoint, then a rescale without it) within
   * `timeoutMs`. Answers once none of its slots is held, or when a job cannot move first.
   */
  announceLeave(resourceId: ResourceId, timeoutMs: number): Promise<LeaveOutcome>;
  /** A TaskManager leaving on purpose (stop, SIGTERM); its slots go at once. */
  disconnectTaskManager(resourceId: ResourceId, reason: string): Promise<void>;
  /** Answer to the JobManager's heartbeat request. */
  receiveHeartbeat(resourceId: ResourceId, payload: TaskExecutorHeartbeatPayload): void;
}

/** How an announced leave ended: the jobs moved off the TaskManager, or it must leave the old way (and why). */
export type LeaveOutcome = { readonly released: true } | { readonly released: false; readonly reason: string };

/** The TaskManager bounds the wait itself (taskmanager.graceful-stop.timeout); this only stops a call from hanging forever. */
const ANNOUNCE_LEAVE_RPC_TIMEOUT_MS = 60 * 60 * 1000;

export const RESOURCE_MANAGER_GATEWAY: GatewaySpec<ResourceManagerGateway> = {
  name: 'resourceManager',
  methods: {
    registerTaskExecutor: 'request',
    announceLeave: 'request',
    disconnectTaskManager: 'request',
    receiveHeartbeat: 'notification',
  },
  timeouts: { announceLeave: ANNOUNCE_LEAVE_RPC_TIMEOUT_MS },
};
