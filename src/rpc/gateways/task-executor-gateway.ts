import type { GatewaySpec } from '../gateway.js';
import type { JobManagerHeartbeatPayload } from './task-executor-registration.js';

/** A TaskManager's RPC surface, called by the JobManager over the TaskManager's connection. */
export interface TaskExecutorGateway {
  /** The JobManager's periodic heartbeat request. */
  requestHeartbeat(jobManagerId: string, payload: JobManagerHeartbeatPayload): void;
  /** The JobManager dropped this TaskManager (e.g. after a heartbeat timeout); it should register again. */
  disconnectResourceManager(reason: string): void;
}

export const TASK_EXECUTOR_GATEWAY: GatewaySpec<TaskExecutorGateway> = {
  name: 'taskExecutor',
  methods: { requestHeartbeat: 'notification', disconnectResourceManager: 'notification' },
};
