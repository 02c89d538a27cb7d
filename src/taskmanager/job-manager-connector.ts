import { watch, type FSWatcher } from 'node:fs';
import { detach } from '../core/detach.js';
import { describeError } from '../core/errors.js';
import { getLogger } from '../core/logging.js';
import { HeartbeatManager } from '../heartbeat/heartbeat-manager.js';
import type { HeartbeatListener } from '../heartbeat/heartbeat-listener.js';
import { formatAddress } from '../rpc/address.js';
import type { ResourceId } from '../core/ids.js';
import type { EndpointAddress } from '../rpc/address.js';
import { ensurePrivateDirectory } from '../rpc/cluster-runtime.js';
import type { SecretSource } from '../rpc/cluster-secret.js';
import type { StreamSecurity } from '../rpc/stream-transport.js';
import { createGatewayProxy, RpcDispatcher } from '../rpc/gateway.js';
import { RESOURCE_MANAGER_GATEWAY, type LeaveOutcome, type ResourceManagerGateway } from '../rpc/gateways/resource-manager-gateway.js';
import type {
  JobManagerHeartbeatPayload,
  TaskExecutorHeartbeatPayload,
  TaskExecutorRegistration,
} from '../rpc/gateways/task-executor-registration.js';
import { connectRpc } from '../rpc/rpc-client.js';
import type { RpcConnection } from '../rpc/rpc-connection.js';
import { RegistrationBackoff } from './registration-backoff.js';

const log = getLogger('taskexecutor');

/** Timing of registration attempts (Flink's cluster.registration.* and taskmanager.registration.timeout). */
export interface ConnectorSettings {
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly registrationTimeoutMs: number;
}

/** The current leader of a cluster under leader election, as ZooKeeper tells it. */
export interface LeaderSource {
  /** The leader's RPC address and leader session id, or undefined while none is known. */
  current(): { readonly address: EndpointAddress; readonly sessionId: string } | undefined;
  /** Called on every change of leader (or to no leader known). */
  onChange(listener: () => void): void;
}

/** The JobManager to register with: where it is, how to reach it, and the secret to prove. */
export interface JobManagerTarget {
  readonly address: EndpointAddress;
  /** Under leader election: the leader replaces `address`, and its session id fences what it sends. */
  readonly leader?: LeaderSource;
  readonly security: StreamSecurity;
  readonly secret: SecretSource;
  /** The cluster's private runtime directory, where a local JobManager's socket appears. */
  readonly runtimeDir: string;
}

/** What the TaskExecutor does around the connection's life. */
export interface ConnectorCallbacks {
  /** What to register with, once the connection's local address (how the JobManager sees this host) is known. */
  registration(localAddress: string | undefined): TaskExecutorRegistration;
  /** Gets ready to be deployed to (e.g. starts the data endpoint) once the secret is known. */
  beforeRegistration(secret: Buffer): Promise<void>;
  /** Fills the dispatcher with the TaskExecutor's gateway before registering on `connection`. */
  serve(connection: RpcConnection, dispatcher: RpcDispatcher): void;
  onRegistered(connection: RpcConnection, resourceManager: ResourceManagerGateway): void;
  onDisconnected(reason: string): void;
  /** The first attempt failed; the caller may tell its launcher it is waiting. */
  onFirstAttemptFailed(reason: string): void;
  onRegistrationTimeout(): void;
  /** The JobManager refused this TaskManager for good: retrying cannot help. */
  onFatalRejection(reason: string): void;
  heartbeatPayload(): TaskExecutorHeartbeatPayload;
  onJobManagerHeartbeat(payload: JobManagerHeartbeatPayload): void;
}

/**
 * Keeps a TaskManager registered with its JobManager: connects and registers, retries with backoff
 * (and at once when the JobManager's socket appears), watches the JobManager's heartbeats, and gives
 * up after the registration timeout without a JobManager.
 */
export class JobManagerConnector implements HeartbeatListener<JobManagerHeartbeatPayload, TaskExecutorHeartbeatPayload> {
  private connection: RpcConnection | undefined;
  private resourceManager: ResourceManagerGateway | undefined;
  private heartbeats: HeartbeatManager<JobManagerHeartbeatPayload, TaskExecutorHeartbeatPayload> | undefined;
  private readonly backoff: RegistrationBackoff;
  private retryTimer: NodeJS.Timeout | undefined;
  private deadline: NodeJS.Timeout | undefined;
  private watcher: FSWatcher | undefined;
  private attempts = 0;
  private attempting = false;
  /** The leader session id of the JobManager this TaskManager is registered with, under leader election. */
  private connectedSession: string | undefined;
  private stopped = false;

  constructor(
    private readonly target: JobManagerTarget,
    private readonly resourceId: ResourceId,
    private readonly settings: ConnectorSettings,
    private readonly callbacks: ConnectorCallbacks,
  ) {
    this.backoff = new RegistrationBackoff(settings.initialBackoffMs, settings.maxBackoffMs);
  }

  get isRegistered(): boolean {
    return this.resourceManager !== undefined;
  }

  start(): void {
    this.armDeadline();
    this.watchRuntimeDir();
    this.target.leader?.onChange(() => this.onLeaderChange());
    this.startAttempt();
  }

  /**
   * A new leader (or none): the connection to a deposed one is dropped, which cancels its tasks,
   * and the TaskManager registers with the new one at once.
   */
  private onLeaderChange(): void {
    const leader = this.target.leader?.current();
    if (this.stopped) return;
    if (this.connection !== undefined && leader !== undefined && leader.sessionId !== this.connectedSession) {
      log.info(
        `The leading JobManager changed to ${formatAddress(leader.address)} (leader session ${leader.sessionId}); registering there.`,
      );
      this.reconnect('the leading JobManager changed');
    } else if (this.connection === undefined && leader !== undefined && !this.attempting) {
      this.scheduleRetry(10);
    }
  }

  /** attempt() turns a failed registration into a retry; a failure escaping it is logged and retried too. */
  private startAttempt(): void {
    detach(this.attempt(), (error) => {
      log.error(`Registration attempt ${this.attempts} failed unexpectedly: ${describeError(error)}`, error);
      this.scheduleRetry();
    });
  }

  /** Drops the current connection and registers again (the JobManager asked, or stopped answering). */
  reconnect(reason: string): void {
    this.connection?.close(reason);
  }

  /**
   * Tells the JobManager this TaskManager is about to leave and waits, at most `waitMs`, until the
   * jobs have moved off it; a missing or failed answer means leaving the old way.
   */
  async announceLeave(timeoutMs: number, waitMs: number): Promise<LeaveOutcome> {
    const resourceManager = this.resourceManager;
    if (resourceManager === undefined) return { released: false, reason: 'not registered with a JobManager' };
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<LeaveOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ released: false, reason: `no answer from the JobManager within ${waitMs} ms` }), waitMs);
    });
    const answer = resourceManager.announceLeave(this.resourceId, timeoutMs).then(
      (outcome) => outcome,
      (error: unknown): LeaveOutcome => ({ released: false, reason: describeError(error) }),
    );
    try {
      return await Promise.race([answer, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Leaves gracefully: tells the JobManager first, so it reacts at once rather than on a timeout. */
  async stop(reason: string): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.deadline);
    this.watcher?.close();
    this.heartbeats?.stop();
    const resourceManager = this.resourceManager;
    if (resourceManager !== undefined) {
      await resourceManager.disconnectTaskManager(this.resourceId, reason).catch(() => undefined);
    }
    this.connection?.close(reason);
  }

  notifyHeartbeatTimeout(): void {
    log.warn(`The heartbeat of JobManager ${formatAddress(this.target.address)} timed out; reconnecting.`);
    this.reconnect('JobManager heartbeat timed out');
  }

  reportPayload(_targetId: string, payload: JobManagerHeartbeatPayload): void {
    this.callbacks.onJobManagerHeartbeat(payload);
  }

  retrievePayload(): TaskExecutorHeartbeatPayload {
    return this.callbacks.heartbeatPayload();
  }

  /** Forwards the JobManager's heartbeat request to the heartbeat manager. */
  requestHeartbeat(fromId: string, payload: JobManagerHeartbeatPayload): void {
    this.heartbeats?.requestHeartbeat(fromId, payload);
  }

  private async attempt(): Promise<void> {
    if (this.stopped || this.attempting || this.connection !== undefined) return;
    this.attempting = true;
    this.attempts++;
    try {
      await this.connectAndRegister();
      this.backoff.reset();
    } catch (error) {
      const reason = describeError(error);
      if (this.attempts === 1) this.callbacks.onFirstAttemptFailed(reason);
      log.debug(`Registration attempt ${this.attempts} at ${formatAddress(this.target.address)} failed: ${reason}`);
      this.scheduleRetry();
    } finally {
      this.attempting = false;
    }
  }

  private async connectAndRegister(): Promise<void> {
    const secret = this.target.secret();
    await this.callbacks.beforeRegistration(secret);
    const leaderSource = this.target.leader;
    const leader = leaderSource?.current();
    if (leaderSource !== undefined && leader === undefined) throw new Error('no leading JobManager is known yet');
    const connection = await connectRpc(
      leader?.address ?? this.target.address,
      secret,
      { role: 'taskmanager', id: this.resourceId },
      5000,
      this.target.security,
    );
    if (this.stopped) {
      connection.close('stopping');
      return;
    }
    if (leaderSource !== undefined) {
      // Everything a JobManager sends must carry the session id of the leader ZooKeeper names now.
      connection.acceptsFencingToken = (token) => token !== undefined && token === leaderSource.current()?.sessionId;
    }
    const dispatcher = new RpcDispatcher();
    this.callbacks.serve(connection, dispatcher);
    connection.setHandler(dispatcher);
    const resourceManager = createGatewayProxy(connection, RESOURCE_MANAGER_GATEWAY);
    const response = await resourceManager.registerTaskExecutor(this.callbacks.registration(connection.localAddress));
    if (response.status !== 'accepted') {
      connection.close('registration rejected');
      if (response.fatal === true) {
        this.stopped = true;
        this.callbacks.onFatalRejection(response.reason);
        return;
      }
      throw new Error(`registration rejected: ${response.reason}`);
    }
    if (leader !== undefined && response.leaderSessionId !== leaderSource?.current()?.sessionId) {
      connection.close('registered with a JobManager that no longer leads');
      throw new Error(`the JobManager at ${formatAddress(leader.address)} is not the current leader`);
    }
    this.connectedSession = response.leaderSessionId;
    this.connection = connection;
    this.resourceManager = resourceManager;
    clearTimeout(this.deadline);
    const ownId = this.resourceId;
    this.heartbeats = new HeartbeatManager(ownId, this, response.heartbeatTimeoutMs);
    this.heartbeats.monitorTarget(response.jobManagerId, {
      requestHeartbeat: () => undefined,
      // The manager answers from its own id, which is this TaskManager's resource id.
      receiveHeartbeat: (_fromId, payload) => resourceManager.receiveHeartbeat(ownId, payload),
    });
    connection.on('close', (why: string) => this.onClosed(connection, why));
    log.info(
      `Successful registration at resource manager ${formatAddress(leader?.address ?? this.target.address)} under registration id ${response.registrationId}${response.leaderSessionId === undefined ? '' : ` (leader session ${response.leaderSessionId})`}.`,
    );
    this.callbacks.onRegistered(connection, resourceManager);
    // The JobManager asks for a heartbeat as soon as it registers us, before its answer gets here,
    // so that request found no manager and went unanswered. Answering now gives the JobManager this
    // TaskManager's process metrics at once, not a heartbeat.interval later: Flink's REST shows a new
    // TaskManager's metrics right away, and Flink's autoscaler fails its rounds without them.
    resourceManager.receiveHeartbeat(ownId, this.retrievePayload());
  }

  private onClosed(connection: RpcConnection, why: string): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    this.resourceManager = undefined;
    this.heartbeats?.stop();
    this.heartbeats = undefined;
    if (this.stopped) return;
    log.info(`Lost the connection to the JobManager (${why}); registering again.`);
    this.callbacks.onDisconnected(why);
    this.armDeadline();
    this.scheduleRetry(this.settings.initialBackoffMs);
  }

  private scheduleRetry(delay = this.backoff.nextDelay()): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.startAttempt(), delay);
  }

  private armDeadline(): void {
    clearTimeout(this.deadline);
    this.deadline = setTimeout(() => {
      if (!this.isRegistered && !this.stopped) this.callbacks.onRegistrationTimeout();
    }, this.settings.registrationTimeoutMs);
  }

  /** A JobManager that (re)starts creates its socket; trying at once beats waiting out the backoff. */
  private watchRuntimeDir(): void {
    if (this.target.address.kind !== 'unix') return;
    try {
      // A TaskManager started first creates the private dir itself, so it sees its JobManager's socket appear.
      ensurePrivateDirectory(this.target.runtimeDir);
      this.watcher = watch(this.target.runtimeDir, (_event, file) => {
        if (file === 'jm.sock' && !this.isRegistered && !this.attempting) this.scheduleRetry(10);
      });
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // Watching is an optimisation; the backoff still retries.
    }
  }
}
