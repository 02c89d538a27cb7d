import { randomHex, type ExecutionAttemptId, type ResourceId } from '../../core/ids.js';
import { getLogger } from '../../core/logging.js';
import { HeartbeatSender } from '../../heartbeat/heartbeat-manager.js';
import type { HeartbeatListener } from '../../heartbeat/heartbeat-listener.js';
import { createGatewayProxy, RpcDispatcher } from '../../rpc/gateway.js';
import { RESOURCE_MANAGER_GATEWAY, type LeaveOutcome, type ResourceManagerGateway } from '../../rpc/gateways/resource-manager-gateway.js';
import { TASK_EXECUTOR_GATEWAY, type TaskExecutorGateway } from '../../rpc/gateways/task-executor-gateway.js';
import type {
  JobManagerHeartbeatPayload,
  RegistrationResponse,
  TaskExecutorHeartbeatPayload,
  TaskExecutorRegistration,
} from '../../rpc/gateways/task-executor-registration.js';
import type { RpcConnection } from '../../rpc/rpc-connection.js';
import { RegisteredTaskManager, type TaskManagerListener, type TaskManagerLossCause } from './registered-task-manager.js';
import { probeSharedStorage } from './storage-probe.js';
import { validateRegistration } from './validate-registration.js';

const log = getLogger('resourcemanager');

/** Heartbeat settings of the ResourceManager. */
export interface ResourceManagerSettings {
  readonly jobManagerId: string;
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTimeoutMs: number;
  /** The cluster's checkpoint directory (a local path), which every TaskManager must share with the JobManager. */
  readonly checkpointDirectory?: string | undefined;
}

/**
 * Keeps the registry of TaskManagers and their slots. A TaskManager whose socket closes is lost at
 * once; one that stays connected but silent is lost after the heartbeat timeout. Both go through
 * the same loss path, which tells every listener.
 */
export class ResourceManager implements HeartbeatListener<TaskExecutorHeartbeatPayload, JobManagerHeartbeatPayload> {
  private readonly taskManagers = new Map<string, RegisteredTaskManager>();
  private readonly listeners: TaskManagerListener[] = [];
  private readonly heartbeats: HeartbeatSender<TaskExecutorHeartbeatPayload, JobManagerHeartbeatPayload>;
  /** Supplies the attempts the JobManager expects on a TaskManager (set by the dispatcher). */
  expectedAttempts: (resourceId: ResourceId) => readonly ExecutionAttemptId[] = () => [];

  /**
   * With leader election, the leader session id while this JobManager leads: registrations are
   * refused without it, and every message to a TaskManager carries it as the fencing token.
   */
  private leaderSessionId: string | undefined;
  private fenced = false;

  constructor(private readonly settings: ResourceManagerSettings) {
    this.heartbeats = new HeartbeatSender(settings.jobManagerId, this, settings.heartbeatTimeoutMs, settings.heartbeatIntervalMs);
  }

  addListener(listener: TaskManagerListener): void {
    this.listeners.push(listener);
  }

  /** Serves the ResourceManager gateway on a freshly authenticated TaskManager connection. */
  acceptConnection(connection: RpcConnection, dispatcher: RpcDispatcher): void {
    const self = this;
    const gateway: ResourceManagerGateway = {
      registerTaskExecutor: async (registration) => self.register(connection, registration),
      announceLeave: async (resourceId, timeoutMs) => self.announceLeave(connection, resourceId, timeoutMs),
      disconnectTaskManager: async (resourceId, reason) => self.disconnect(connection, resourceId, reason),
      receiveHeartbeat: (resourceId, payload) => self.onHeartbeat(connection, resourceId, payload),
    };
    dispatcher.register(RESOURCE_MANAGER_GATEWAY, gateway);
  }

  get registered(): readonly RegisteredTaskManager[] {
    return [...this.taskManagers.values()];
  }

  get(resourceId: ResourceId): RegisteredTaskManager | undefined {
    return this.taskManagers.get(resourceId);
  }

  /** Declares a TaskManager lost, as if its heartbeat had timed out; used by the JobManager too. */
  closeTaskManagerConnection(resourceId: ResourceId, cause: TaskManagerLossCause, reason: string, keepConnection = false): void {
    const taskManager = this.taskManagers.get(resourceId);
    if (taskManager === undefined) return;
    this.taskManagers.delete(resourceId);
    this.heartbeats.unmonitorTarget(resourceId);
    const silentMs = Date.now() - taskManager.lastHeartbeat;
    log.info(
      `TaskManager ${resourceId} lost: ${reason} (last heard from ${silentMs} ms ago; ${this.taskManagers.size} TaskManager(s) remain).`,
    );
    if (cause === 'heartbeat-timeout') taskManager.gateway.disconnectResourceManager(reason);
    // Closed a tick later, so the answer to a call that got us here (a disconnect) still goes out.
    if (cause !== 'socket-closed' && !keepConnection) setImmediate(() => taskManager.connection.close(reason));
    for (const listener of this.listeners) listener.onTaskManagerLost(taskManager, cause, reason);
  }

  /** Leader election decides from now on: TaskManagers are accepted only while this JobManager leads. */
  enableFencing(): void {
    this.fenced = true;
  }

  grantLeadership(sessionId: string): void {
    this.leaderSessionId = sessionId;
  }

  /** Leadership is gone: every TaskManager is let go, so none keeps running this JobManager's tasks. */
  revokeLeadership(reason: string): void {
    this.leaderSessionId = undefined;
    for (const taskManager of [...this.taskManagers.values()]) this.closeTaskManagerConnection(taskManager.resourceId, 'stopped', reason);
  }

  shutdown(): void {
    this.heartbeats.stop();
    for (const taskManager of [...this.taskManagers.values()]) {
      this.taskManagers.delete(taskManager.resourceId);
      taskManager.connection.close('the JobManager is shutting down');
    }
  }

  notifyHeartbeatTimeout(targetId: string): void {
    // Heartbeat targets are the registered TaskManagers, so the id is one of theirs (branded there).
    const taskManager = this.taskManagers.get(targetId);
    if (taskManager === undefined) return;
    this.closeTaskManagerConnection(
      taskManager.resourceId,
      'heartbeat-timeout',
      `heartbeat of TaskManager with id ${targetId} timed out after ${this.settings.heartbeatTimeoutMs} ms`,
    );
  }

  reportPayload(targetId: string, payload: TaskExecutorHeartbeatPayload): void {
    const taskManager = this.taskManagers.get(targetId);
    if (taskManager === undefined) return;
    taskManager.lastHeartbeat = Date.now();
    taskManager.process = payload.process;
    taskManager.runningAttempts = payload.runningAttempts;
  }

  retrievePayload(targetId: string): JobManagerHeartbeatPayload {
    const taskManager = this.taskManagers.get(targetId);
    return { expectedAttempts: taskManager === undefined ? [] : this.expectedAttempts(taskManager.resourceId) };
  }

  private async register(connection: RpcConnection, raw: unknown): Promise<RegistrationResponse> {
    const problem = validateRegistration(raw);
    if (problem !== undefined) {
      log.warn(`Rejecting a TaskManager registration from ${connection.peer.id}: ${problem}`);
      return { status: 'rejected', reason: problem };
    }
    const registration = raw as TaskExecutorRegistration;
    const gateway = createGatewayProxy(connection, TASK_EXECUTOR_GATEWAY);
    const directory = this.settings.checkpointDirectory;
    const unshared = directory === undefined ? undefined : await probeSharedStorage(gateway, registration, directory);
    if (unshared !== undefined) {
      log.error(`Rejecting TaskManager ${registration.resourceId}: ${unshared}`);
      return { status: 'rejected', reason: unshared, fatal: true };
    }
    if (connection.isClosed) return { status: 'rejected', reason: 'the connection closed during the registration' };
    if (this.fenced && this.leaderSessionId === undefined)
      return { status: 'rejected', reason: 'this JobManager is not the leader; the leader is published in ZooKeeper' };
    connection.fencingToken = this.leaderSessionId;
    return this.accept(connection, registration, gateway);
  }

  private accept(connection: RpcConnection, registration: TaskExecutorRegistration, gateway: TaskExecutorGateway): RegistrationResponse {
    const previous = this.taskManagers.get(registration.resourceId);
    if (previous !== undefined) {
      // A repeat on the same connection replaces the registration; the connection itself stays.
      this.closeTaskManagerConnection(
        registration.resourceId,
        're-registered',
        `TaskManager ${registration.resourceId} registered again`,
        previous.connection === connection,
      );
    }
    const taskManager = new RegisteredTaskManager(registration, randomHex(16), connection, gateway);
    this.taskManagers.set(registration.resourceId, taskManager);
    connection.on('close', (why: string) => {
      if (this.taskManagers.get(registration.resourceId) === taskManager) {
        this.closeTaskManagerConnection(registration.resourceId, 'socket-closed', `connection closed (${why})`);
      }
    });
    this.heartbeats.monitorTarget(registration.resourceId, {
      requestHeartbeat: (fromId, payload) => taskManager.gateway.requestHeartbeat(fromId, payload),
      receiveHeartbeat: () => undefined,
    });
    log.info(
      `Registering TaskManager with ResourceID ${registration.resourceId} (${registration.dataAddress}) at ResourceManager: ${registration.numberOfSlots} slot(s), pid ${registration.pid}.`,
    );
    // Listeners may deploy at once; the registration answer must reach the TaskManager before that.
    setImmediate(() => {
      if (this.taskManagers.get(registration.resourceId) !== taskManager) return;
      for (const listener of this.listeners) listener.onTaskManagerRegistered(taskManager);
    });
    return {
      status: 'accepted',
      registrationId: taskManager.registrationId,
      jobManagerId: this.settings.jobManagerId,
      ...(this.leaderSessionId === undefined ? {} : { leaderSessionId: this.leaderSessionId }),
      heartbeatIntervalMs: this.settings.heartbeatIntervalMs,
      heartbeatTimeoutMs: this.settings.heartbeatTimeoutMs,
    };
  }

  private async announceLeave(connection: RpcConnection, resourceId: unknown, timeoutMs: unknown): Promise<LeaveOutcome> {
    const taskManager = typeof resourceId === 'string' ? this.taskManagers.get(resourceId) : undefined;
    if (taskManager === undefined || taskManager.connection !== connection) return { released: false, reason: 'not registered' };
    const timeout = typeof timeoutMs === 'number' && Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : 0;
    log.info(`TaskManager ${taskManager.resourceId} announced it is leaving; moving its jobs off it within ${timeout} ms.`);
    const asked = this.listeners.flatMap((listener) =>
      listener.announceLeave === undefined ? [] : [listener.announceLeave(taskManager, timeout)],
    );
    const outcomes = await Promise.all(asked);
    const refused = outcomes.find((outcome): outcome is Extract<LeaveOutcome, { released: false }> => !outcome.released);
    const outcome: LeaveOutcome = refused ?? { released: true };
    log.info(
      outcome.released
        ? `TaskManager ${taskManager.resourceId} may leave: no job runs on it any more.`
        : `TaskManager ${taskManager.resourceId} leaves without its jobs moving first: ${outcome.reason}.`,
    );
    return outcome;
  }

  private disconnect(connection: RpcConnection, resourceId: unknown, reason: unknown): void {
    const taskManager = typeof resourceId === 'string' ? this.taskManagers.get(resourceId) : undefined;
    if (taskManager === undefined || taskManager.connection !== connection) return;
    this.closeTaskManagerConnection(taskManager.resourceId, 'stopped', `TaskManager stopped: ${String(reason).slice(0, 200)}`);
  }

  private onHeartbeat(connection: RpcConnection, resourceId: unknown, payload: unknown): void {
    const taskManager = typeof resourceId === 'string' ? this.taskManagers.get(resourceId) : undefined;
    if (taskManager === undefined || taskManager.connection !== connection || payload === null || typeof payload !== 'object') return;
    this.heartbeats.receiveHeartbeat(taskManager.resourceId, payload as TaskExecutorHeartbeatPayload);
  }
}
