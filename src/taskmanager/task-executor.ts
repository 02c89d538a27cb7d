import { getLogger } from '../core/logging.js';
import { formatAddress, type EndpointAddress } from '../rpc/address.js';
import type { ClusterRuntime } from '../rpc/cluster-runtime.js';
import type { RpcDispatcher } from '../rpc/gateway.js';
import type { ResourceManagerGateway } from '../rpc/gateways/resource-manager-gateway.js';
import { TASK_EXECUTOR_GATEWAY, type TaskExecutorGateway } from '../rpc/gateways/task-executor-gateway.js';
import type { JobManagerHeartbeatPayload, TaskExecutorHeartbeatPayload, TaskExecutorMemoryConfiguration } from '../rpc/gateways/task-executor-registration.js';
import type { RpcConnection } from '../rpc/rpc-connection.js';
import { JobManagerConnector, type ConnectorSettings } from './job-manager-connector.js';
import { describeHardware, ProcessStatsSampler } from './process-stats.js';

const log = getLogger('taskexecutor');

/** What a TaskExecutor is told at start. */
export interface TaskExecutorSettings {
  readonly resourceId: string;
  readonly host: string;
  readonly numberOfSlots: number;
  readonly runtime: ClusterRuntime;
  readonly dataAddress: EndpointAddress;
  readonly connector: ConnectorSettings;
  readonly memoryConfiguration: TaskExecutorMemoryConfiguration;
}

/** How the TaskExecutor reports its life to the process around it. */
export interface TaskExecutorEvents {
  onFirstRegistration(): void;
  onWaitingForJobManager(reason: string): void;
  /** No JobManager within the registration timeout: the process should end. */
  onFatal(message: string): void;
}

/**
 * A TaskManager: registers its slots with the JobManager and keeps that registration alive
 * (heartbeats, reconnection), and runs the subtasks deployed into its slots.
 */
export class TaskExecutor implements TaskExecutorGateway {
  private readonly stats = new ProcessStatsSampler();
  private readonly connector: JobManagerConnector;
  private registeredOnce = false;

  constructor(private readonly settings: TaskExecutorSettings, private readonly events: TaskExecutorEvents) {
    this.connector = new JobManagerConnector(settings.runtime, {
      resourceId: settings.resourceId,
      dataAddress: formatAddress(settings.dataAddress),
      numberOfSlots: settings.numberOfSlots,
      pid: process.pid,
      host: settings.host,
      hardware: describeHardware(),
      memoryConfiguration: settings.memoryConfiguration,
    }, settings.connector, {
      serve: (connection, dispatcher) => this.serve(connection, dispatcher),
      onRegistered: (connection, resourceManager) => this.onRegistered(connection, resourceManager),
      onDisconnected: (reason) => this.onDisconnected(reason),
      onFirstAttemptFailed: (reason) => events.onWaitingForJobManager(reason),
      onRegistrationTimeout: () => events.onFatal(
        `Could not register at the ResourceManager within the specified maximum registration duration ${settings.connector.registrationTimeoutMs} ms. This indicates a problem with this instance. Terminating now.`,
      ),
      heartbeatPayload: () => this.heartbeatPayload(),
      onJobManagerHeartbeat: (payload) => this.onJobManagerHeartbeat(payload),
    });
  }

  get resourceId(): string {
    return this.settings.resourceId;
  }

  start(): void {
    log.info(`Starting TaskExecutor ${this.settings.resourceId} with ${this.settings.numberOfSlots} slot(s); JobManager at ${formatAddress(this.settings.runtime.jobManagerAddress)}.`);
    this.connector.start();
  }

  /** Graceful stop: deregister first so the JobManager scales down at once. */
  async shutdown(reason: string): Promise<void> {
    log.info(`Stopping TaskExecutor ${this.settings.resourceId}: ${reason}`);
    await this.connector.stop('The TaskExecutor is shutting down.');
  }

  requestHeartbeat(jobManagerId: string, payload: JobManagerHeartbeatPayload): void {
    this.connector.requestHeartbeat(jobManagerId, payload);
  }

  disconnectResourceManager(reason: string): void {
    log.info(`The JobManager disconnected this TaskManager: ${String(reason).slice(0, 300)}`);
    this.connector.reconnect('disconnected by the JobManager');
  }

  private serve(_connection: RpcConnection, dispatcher: RpcDispatcher): void {
    dispatcher.register(TASK_EXECUTOR_GATEWAY, this);
  }

  private onRegistered(_connection: RpcConnection, _resourceManager: ResourceManagerGateway): void {
    if (!this.registeredOnce) {
      this.registeredOnce = true;
      this.events.onFirstRegistration();
    }
  }

  private onDisconnected(reason: string): void {
    log.info(`Disconnected from the JobManager: ${reason}`);
  }

  private heartbeatPayload(): TaskExecutorHeartbeatPayload {
    return {
      slots: Array.from({ length: this.settings.numberOfSlots }, (_, index) => ({ index, jobId: undefined })),
      runningAttempts: [],
      process: this.stats.sample(),
    };
  }

  private onJobManagerHeartbeat(_payload: JobManagerHeartbeatPayload): void {
    // Reconciliation of running attempts arrives with task deployment.
  }
}
