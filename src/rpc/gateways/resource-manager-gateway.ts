import type { ResourceId } from '../../core/ids.js';
import type { GatewaySpec } from '../gateway.js';
import type { RegistrationResponse, TaskExecutorHeartbeatPayload, TaskExecutorRegistration } from './task-executor-registration.js';

/** The ResourceManager's RPC surface, called by TaskManagers over their JobManager connection. */
export interface ResourceManagerGateway {
  /** Registers the calling TaskManager and its slots; a repeated registration replaces the old one. */
  registerTaskExecutor(registration: TaskExecutorRegistration): Promise<RegistrationResponse>;
  /** A TaskManager leaving on purpose (stop, SIGTERM); its slots go at once. */
  disconnectTaskManager(resourceId: ResourceId, reason: string): Promise<void>;
  /** Answer to the JobManager's heartbeat request. */
  receiveHeartbeat(resourceId: ResourceId, payload: TaskExecutorHeartbeatPayload): void;
}

export const RESOURCE_MANAGER_GATEWAY: GatewaySpec<ResourceManagerGateway> = {
  name: 'resourceManager',
  methods: { registerTaskExecutor: 'request', disconnectTaskManager: 'request', receiveHeartbeat: 'notification' },
};
