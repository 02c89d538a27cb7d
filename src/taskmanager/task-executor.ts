import type { ExecutionAttemptId, JobId } from '../core/ids.js';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { LogDirectory } from '../daemon/log-directory.js';
import { OWN_THREADS } from '../daemon/thread-dump.js';
import type { ThreadInfo } from '../rpc/gateways/thread-dump.js';
import type { LogChunk, LogFileInfo } from '../rpc/gateways/log-files.js';
import { dirname, join } from 'node:path';
import { describeError } from '../core/errors.js';
import { gracefulStopWindowMs } from '../config/options/taskmanager-options.js';
import { getLogger } from '../core/logging.js';
import { formatAddress, type EndpointAddress } from '../rpc/address.js';
import { ensurePrivateDirectory } from '../rpc/cluster-runtime.js';
import { claimWorkDir, sweepAndLog } from '../rpc/runtime-sweeper.js';
import { createGatewayProxy, type RpcDispatcher } from '../rpc/gateway.js';
import { JOB_MASTER_GATEWAY } from '../rpc/gateways/job-master-gateway.js';
import type { TaskDeploymentDescriptor } from '../rpc/gateways/task-deployment-descriptor.js';
import { TASK_EXECUTOR_GATEWAY, type StorageProbeReply, type TaskExecutorGateway } from '../rpc/gateways/task-executor-gateway.js';
import type { JobManagerHeartbeatPayload, TaskExecutorHeartbeatPayload } from '../rpc/gateways/task-executor-registration.js';
import type { RpcConnection } from '../rpc/rpc-connection.js';
import { JobManagerConnector } from './job-manager-connector.js';
import { DataClient, socketOpener } from './network/data-client.js';
import { DataServer } from './network/data-server.js';
import { MAX_DATA_FRAME_BYTES } from './network/frame-socket.js';
import type { TaskExecutorEvents, TaskExecutorSettings } from './task-executor-settings.js';
import { SlotThreadHost } from './slots/slot-thread-host.js';
import type { TaskRunner } from './task-runner.js';
import { PartitionManager } from './network/partition-manager.js';
import { ProcessStatsSampler } from './process-stats.js';
import { hostKey } from './host-key.js';
import { reachableHost, registrationOf } from './registration-info.js';
import { TaskManagerMetrics } from '../metrics/taskmanager-metrics.js';
import { TaskHost } from './task-host.js';
import type { CheckpointTrigger } from '../rpc/gateways/checkpoint-messages.js';

const log = getLogger('taskexecutor');

/**
 * An id the JobManager sent: String() keeps a peer's non-string from reaching the slot table, and
 * the gateway's parameter type is the brand (this is where the id enters the process).
 */
function wireId<T extends string>(value: T): T {
  return String(value) as T;
}

/**
 * A TaskManager: registers its slots with the JobManager and keeps that registration alive
 * (heartbeats, reconnection), serves its data endpoint, and runs the subtasks deployed to it.
 */
export class TaskExecutor implements TaskExecutorGateway {
  private readonly stats = new ProcessStatsSampler();
  private readonly connector: JobManagerConnector;
  /** The data endpoint others dial, and its Unix socket twin for TaskManagers on this host when the first is TCP. */
  private readonly dataServers: DataServer[];
  private readonly host: TaskRunner;
  /** The TaskManager's metric registry (its reporters read it) and the tick reporting task metrics. */
  readonly metrics: TaskManagerMetrics;
  private readonly workDir: string;
  private readonly localStateDir: string | undefined;
  private secret: Buffer | undefined;
  /** The data endpoints' bound addresses, once they listen (the port, when taskmanager.data.port is 0). */
  private dataBound: EndpointAddress[] | undefined;
  private readonly hostKey = hostKey();
  private registeredOnce = false;
  /** This TaskManager's log directory, which the JobManager relays to REST (/taskmanagers/:id/logs). */
  private readonly logs = LogDirectory.ofProcess();

  constructor(
    private readonly settings: TaskExecutorSettings,
    private readonly events: TaskExecutorEvents,
  ) {
    const secret = (): Buffer => this.secret ?? Buffer.alloc(32);
    const maxDataFrameBytes = settings.maxDataFrameBytes ?? MAX_DATA_FRAME_BYTES;
    const security = settings.network.security;
    const local = settings.network.localDataEndpoint(settings.resourceId);
    this.dataServers = [settings.network.dataEndpoint(settings.resourceId), ...(local === undefined ? [] : [local])].map(
      (endpoint) =>
        new DataServer(endpoint, secret, settings.resourceId, (link) => this.host.serveConnection(link), maxDataFrameBytes, security),
    );
    const safeId = settings.resourceId.replace(/[^A-Za-z0-9]/g, '_');
    this.workDir = join(settings.runtime.dir, `tm-${safeId}`);
    // Its own directory under a configured root, removed on stop; by default inside the work dir,
    // so the runtime sweeper also takes the copies of a TaskManager that was killed.
    const root = settings.localStateRoot;
    this.localStateDir = root === undefined ? undefined : root === '' ? join(this.workDir, 'localState') : join(root, `tm_${safeId}`);
    this.metrics = new TaskManagerMetrics({
      host: settings.host,
      resourceId: settings.resourceId,
      slots: () => ({
        total: settings.numberOfSlots,
        available: this.host.slots.report().filter((slot) => slot.jobId === undefined).length,
      }),
      send: (report) => this.host.reportMetrics(report),
    });
    const threads = settings.slotThreads;
    this.host =
      threads === undefined
        ? new TaskHost({
            resourceId: settings.resourceId,
            partitions: new PartitionManager(),
            dataClient: new DataClient(socketOpener(secret, settings.resourceId, maxDataFrameBytes, security)),
            workDir: this.workDir,
            numberOfSlots: settings.numberOfSlots,
            metrics: this.metrics,
            maxDataFrameBytes,
            localStateDir: this.localStateDir,
          })
        : new SlotThreadHost({
            resourceId: settings.resourceId,
            numberOfSlots: settings.numberOfSlots,
            workDir: this.workDir,
            maxDataFrameBytes,
            logLevel: threads.logLevel,
            secret,
            tls: security.tls,
            cancellation: threads.cancellation,
            heapPerSlotMb: threads.heapPerSlotMb,
            metrics: this.metrics,
            localStateDir: this.localStateDir,
          });
    this.connector = new JobManagerConnector(
      {
        address: settings.network.jobManagerAddress,
        security,
        secret: settings.secret,
        runtimeDir: settings.runtime.dir,
        ...(settings.leader === undefined ? {} : { leader: settings.leader }),
      },
      settings.resourceId,
      settings.connector,
      {
        registration: (localAddress) =>
          registrationOf(
            settings,
            this.dataBound![0]!,
            settings.network.taskManagerHost ?? reachableHost(localAddress) ?? settings.host,
            this.dataBound![1] === undefined || this.hostKey === undefined
              ? undefined
              : { address: this.dataBound![1], hostKey: this.hostKey },
          ),
        beforeRegistration: (value) => this.prepare(value),
        serve: (connection, dispatcher) => this.serve(connection, dispatcher),
        onRegistered: () => this.onRegistered(),
        onDisconnected: (reason) => this.onDisconnected(reason),
        onFirstAttemptFailed: (reason) => events.onWaitingForJobManager(reason),
        onFatalRejection: (reason) => events.onFatal(`The JobManager refused this TaskManager: ${reason}`),
        onRegistrationTimeout: () =>
          events.onFatal(
            `Could not register at the ResourceManager within the specified maximum registration duration ${settings.connector.registrationTimeoutMs} ms. This indicates a problem with this instance. Terminating now.`,
          ),
        heartbeatPayload: () => this.heartbeatPayload(),
        onJobManagerHeartbeat: (payload) => this.host.cancelOrphans(payload.expectedAttempts),
      },
    );
  }

  start(): void {
    log.info(
      `Starting TaskExecutor ${this.settings.resourceId} with ${this.settings.numberOfSlots} slot(s); JobManager at ${formatAddress(this.settings.network.jobManagerAddress)}.`,
    );
    this.connector.start();
    this.metrics.start();
  }

  /** Graceful stop: deregister first so the JobManager scales down at once, then end the tasks. */
  async shutdown(reason: string): Promise<void> {
    log.info(`Stopping TaskExecutor ${this.settings.resourceId}: ${reason}`);
    await this.leaveGracefully();
    await this.connector.stop('The TaskExecutor is shutting down.');
    await this.host.close('the TaskExecutor is shutting down');
    await Promise.all(this.dataServers.map((server) => server.stop()));
    this.metrics.close();
    rmSync(this.workDir, { recursive: true, force: true });
    if (this.localStateDir !== undefined) rmSync(this.localStateDir, { recursive: true, force: true });
  }

  /**
   * With tasks running, asks the JobManager to move the jobs off this TaskManager first (a checkpoint,
   * then a rescale without it), so nothing is replayed; the tasks keep running meanwhile. Without
   * tasks, or when that does not happen in time, the stop goes on as before.
   */
  private async leaveGracefully(): Promise<void> {
    const timeoutMs = this.settings.gracefulStopTimeoutMs ?? 0;
    const running = this.host.runningAttempts.length;
    if (timeoutMs <= 0 || running === 0 || !this.connector.isRegistered) return;
    log.info(
      `Announcing the stop to the JobManager: ${running} task(s) keep running until their job has moved off this TaskManager (up to ${timeoutMs} ms, taskmanager.graceful-stop.timeout).`,
    );
    const outcome = await this.connector.announceLeave(timeoutMs, gracefulStopWindowMs(timeoutMs));
    if (outcome.released) log.info('The JobManager released this TaskManager: its jobs moved off it from a fresh checkpoint.');
    else log.warn(`Stopping without the jobs moving off first (${outcome.reason}); their tasks here fail over as before.`);
  }

  requestHeartbeat(jobManagerId: string, payload: JobManagerHeartbeatPayload): void {
    this.connector.requestHeartbeat(jobManagerId, payload);
  }

  disconnectResourceManager(reason: string): void {
    log.info(`The JobManager disconnected this TaskManager: ${String(reason).slice(0, 300)}`);
    this.connector.reconnect('disconnected by the JobManager');
  }

  async submitTask(deployment: TaskDeploymentDescriptor): Promise<void> {
    this.host.submit(deployment);
  }

  async cancelTask(attemptId: ExecutionAttemptId): Promise<void> {
    await this.host.cancel(wireId(attemptId));
  }

  requestLogList(): Promise<readonly LogFileInfo[]> {
    return this.logs.requestLogList();
  }

  requestLogChunk(name: string, offset: number, length: number): Promise<LogChunk> {
    return this.logs.requestLogChunk(String(name), Number(offset), Number(length));
  }

  requestLogNames(): Promise<{ log: string | undefined; stdout: string | undefined }> {
    return this.logs.requestLogNames();
  }

  requestThreadDump(): Promise<readonly ThreadInfo[]> {
    return OWN_THREADS.requestThreadDump();
  }

  releaseJob(jobId: JobId): void {
    this.host.releaseJob(wireId(jobId)).catch((error: unknown) => log.warn(`Releasing job ${jobId} failed: ${describeError(error)}`));
  }

  async probeStorage(path: string, token: string): Promise<StorageProbeReply> {
    try {
      mkdirSync(dirname(String(path)), { recursive: true });
      writeFileSync(String(path), String(token));
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: `cannot write ${String(path)} (${(error as NodeJS.ErrnoException).code ?? describeError(error)})` };
    }
  }

  triggerCheckpoint(trigger: CheckpointTrigger): void {
    this.host.triggerCheckpoint(trigger);
  }

  notifyCheckpointComplete(attemptId: ExecutionAttemptId, checkpointId: number): void {
    this.host.notifyCheckpointComplete(wireId(attemptId), Number(checkpointId));
  }

  notifyCheckpointAborted(attemptId: ExecutionAttemptId, checkpointId: number): void {
    this.host.notifyCheckpointAborted(wireId(attemptId), Number(checkpointId));
  }

  private async prepare(secret: Buffer): Promise<void> {
    this.secret = secret;
    this.host.setSecret(secret);
    if (this.dataBound !== undefined) return;
    ensurePrivateDirectory(this.settings.runtime.dir);
    await sweepAndLog(this.settings.runtime.dir);
    mkdirSync(this.workDir, { recursive: true, mode: 0o700 });
    claimWorkDir(this.workDir);
    this.dataBound = await Promise.all(this.dataServers.map((server) => server.start()));
  }

  private serve(connection: RpcConnection, dispatcher: RpcDispatcher): void {
    dispatcher.register(TASK_EXECUTOR_GATEWAY, this);
    this.host.setJobMaster(createGatewayProxy(connection, JOB_MASTER_GATEWAY));
  }

  private onRegistered(): void {
    if (!this.registeredOnce) {
      this.registeredOnce = true;
      this.events.onFirstRegistration();
    }
  }

  private onDisconnected(reason: string): void {
    this.host.setJobMaster(undefined);
    this.host
      .cancelAll(`lost the JobManager (${reason})`)
      .catch((error: unknown) => log.warn(`Canceling the tasks failed: ${describeError(error)}`));
  }

  private heartbeatPayload(): TaskExecutorHeartbeatPayload {
    return { slots: this.host.slots.report(), runningAttempts: this.host.runningAttempts, process: this.stats.sample() };
  }
}
