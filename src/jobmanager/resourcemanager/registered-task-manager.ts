import type { ResourceId } from '../../core/ids.js';
import type { RpcConnection } from '../../rpc/rpc-connection.js';
import type { LeaveOutcome } from '../../rpc/gateways/resource-manager-gateway.js';
import type { TaskExecutorGateway } from '../../rpc/gateways/task-executor-gateway.js';
import type { ProcessStats, TaskExecutorRegistration } from '../../rpc/gateways/task-executor-registration.js';

/** Why a TaskManager left the cluster. */
export type TaskManagerLossCause = 'socket-closed' | 'heartbeat-timeout' | 'stopped' | 're-registered' | 'shutdown';

/** A TaskManager the ResourceManager knows: its registration, its connection, what it last reported. */
export class RegisteredTaskManager {
  readonly registeredAt = Date.now();
  lastHeartbeat = Date.now();
  process: ProcessStats | undefined;
  /** Attempts the TaskManager reported as running with its last heartbeat. */
  runningAttempts: readonly string[] = [];

  constructor(
    readonly registration: TaskExecutorRegistration,
    readonly registrationId: string,
    readonly connection: RpcConnection,
    readonly gateway: TaskExecutorGateway,
  ) {}

  get resourceId(): ResourceId {
    return this.registration.resourceId;
  }

  get numberOfSlots(): number {
    return this.registration.numberOfSlots;
  }
}

/** Told about TaskManagers joining and leaving, e.g. by the slot pool and the schedulers. */
export interface TaskManagerListener {
  onTaskManagerRegistered(taskManager: RegisteredTaskManager): void;
  onTaskManagerLost(taskManager: RegisteredTaskManager, cause: TaskManagerLossCause, reason: string): void;
  /** The TaskManager will leave once its slots are free (the slot pool moves the jobs off it). */
  announceLeave?(taskManager: RegisteredTaskManager, timeoutMs: number): Promise<LeaveOutcome>;
}
