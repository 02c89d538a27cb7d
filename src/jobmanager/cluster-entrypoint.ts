import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TlsOptions } from 'node:tls';
import { randomHex } from '../core/ids.js';
import { getLogger } from '../core/logging.js';
import { Configuration } from '../config/configuration.js';
import { CHECKPOINTS_DIRECTORY } from '../config/options/checkpointing-options.js';
import { TMP_DIRS } from '../config/options/core-options.js';
import { HEARTBEAT_INTERVAL, HEARTBEAT_TIMEOUT } from '../config/options/heartbeat-options.js';
import { JOB_MANAGER_RPC_ADDRESS } from '../config/options/jobmanager-options.js';
import { REST_ADDRESS, REST_BIND_ADDRESS, REST_BIND_PORT, REST_SERVER_MAX_CONTENT_LENGTH } from '../config/options/rest-options.js';
import { WEB_ACCESS_CONTROL_ALLOW_ORIGIN, WEB_SUBMIT_ENABLE, WEB_TMP_DIR, WEB_UPLOAD_DIR } from '../config/options/web-options.js';
import { formatAddress, type EndpointAddress } from '../rpc/address.js';
import type { ClusterNetwork } from '../rpc/cluster-network.js';
import {
  ensurePrivateDirectory,
  readJobManagerInfo,
  removeJobManagerInfo,
  writeJobManagerInfo,
  type ClusterRuntime,
} from '../rpc/cluster-runtime.js';
import { RpcDispatcher } from '../rpc/gateway.js';
import { sweepAndLog } from '../rpc/runtime-sweeper.js';
import type { RpcConnection } from '../rpc/rpc-connection.js';
import { RpcServer } from '../rpc/rpc-server.js';
import { parseBindPorts } from '../rest/bind-port.js';
import { leaderGate, type LeadershipView } from '../rest/leader-gate.js';
import { createRestRouter } from '../rest/rest-routes.js';
import { RestServer } from '../rest/rest-server.js';
import { restServerTls } from '../security/tls-settings.js';
import { JOB_MASTER_GATEWAY } from '../rpc/gateways/job-master-gateway.js';
import { MetricRegistry } from '../metrics/metric-registry.js';
import { startMetricReporters, type MetricReporters } from '../metrics/metric-reporters.js';
import { toLocalPath } from './checkpoint/checkpoint-settings.js';
import { Dispatcher } from './dispatcher/dispatcher.js';
import { JarStore } from './dispatcher/jars/jar-store.js';
import { JarSubmitter } from './dispatcher/jars/jar-submitter.js';
import { ResourceManager } from './resourcemanager/resource-manager.js';
import { SlotPool } from './slotpool/slot-pool.js';

const log = getLogger('jobmanager');

/** What a started JobManager tells its launcher. */
export interface StartedJobManager {
  readonly restUrl: string;
  readonly rpcAddress: string;
}

/**
 * The JobManager process's components, started in order and stopped in reverse: the RPC endpoints
 * (the cluster's Unix socket, and TCP when the cluster spans hosts), the ResourceManager and slot pool, the Dispatcher with its
 * JobMasters, and the REST endpoint with the web UI.
 */
export class ClusterEntrypoint {
  readonly jobManagerId = `jobmanager-${randomHex(8)}`;
  readonly resourceManager: ResourceManager;
  readonly slotPool = new SlotPool();
  readonly dispatcher: Dispatcher;
  /** Private working directory of the JobManager (unpacked application code). */
  readonly workDir: string;
  /** Every metric of this process, read by its reporters and REST. */
  readonly metricRegistry = new MetricRegistry();
  /** Uploaded jars, on a session cluster that accepts them (web.submit.enable). */
  readonly jars: JarStore | undefined;
  private restUrl = '';
  /** Under leader election: whether this JobManager leads, and who does. */
  private leadership: (() => LeadershipView) | undefined;
  /** The RPC address TaskManagers dial, published by a leader. */
  private advertisedRpcAddress = '';
  private readonly rpcServers: RpcServer[] = [];
  private restServer: RestServer | undefined;
  private reporters: MetricReporters | undefined;

  constructor(
    private readonly configuration: Configuration,
    private readonly runtime: ClusterRuntime,
    /** A session cluster takes jobs through REST; an application cluster runs its one job. */
    readonly mode: 'session' | 'application',
    /** The endpoints to listen on and the secret peers must prove. */
    private readonly endpoints: { readonly network: ClusterNetwork; readonly secret: Buffer },
  ) {
    this.resourceManager = new ResourceManager({
      jobManagerId: this.jobManagerId,
      heartbeatIntervalMs: configuration.get(HEARTBEAT_INTERVAL),
      heartbeatTimeoutMs: configuration.get(HEARTBEAT_TIMEOUT),
      // Only a cluster spanning hosts can have TaskManagers that do not see the JobManager's files.
      checkpointDirectory: endpoints.network.jobManagerEndpoints.some((e) => e.kind === 'tcp')
        ? sharedCheckpointDirectory(configuration)
        : undefined,
    });
    this.resourceManager.addListener(this.slotPool);
    this.dispatcher = new Dispatcher(this.resourceManager, this.slotPool, configuration, runtime, this.metricRegistry);
    this.workDir = join(runtime.dir, `jm-${process.pid}`);
    if (mode === 'session' && configuration.get(WEB_SUBMIT_ENABLE)) {
      this.jars = new JarStore(
        configuration.get(WEB_UPLOAD_DIR) ??
          join(
            configuration.get(WEB_TMP_DIR) ?? configuration.get(TMP_DIRS)[0] ?? tmpdir(),
            `flink-web-${randomUUID()}`,
            'flink-web-upload',
          ),
      );
      this.dispatcher.jobGateway.jarSubmission = true;
    }
  }

  /**
   * Puts this JobManager under leader election, before start(): TaskManagers are accepted only
   * while it leads, it listens on a socket of its own (other JobManagers of the cluster share the
   * runtime dir), and its REST endpoint serves only while it leads.
   */
  enableLeaderElection(view: () => LeadershipView): void {
    this.leadership = view;
    this.resourceManager.enableFencing();
  }

  /** The REST URL, once started. */
  get restAddress(): string {
    return this.restUrl;
  }

  /** The RPC address a leader publishes for TaskManagers. */
  get rpcAddressForLeaders(): string {
    return this.advertisedRpcAddress;
  }

  /** This JobManager leads with `sessionId`: it accepts TaskManagers and is the one local clients find. */
  grantLeadership(sessionId: string): void {
    this.resourceManager.grantLeadership(sessionId);
    writeJobManagerInfo(this.runtime, { pid: process.pid, restUrl: this.restUrl, startedAt: Date.now() });
  }

  /** Leadership is gone: jobs are suspended (not ended, so the next leader recovers them) and TaskManagers let go. */
  revokeLeadership(reason: string): void {
    this.dispatcher.suspendAll(`leadership revoked: ${reason}`);
    this.resourceManager.revokeLeadership(`the JobManager lost leadership: ${reason}`);
  }

  async start(): Promise<StartedJobManager> {
    // A keystore that cannot be used fails the start in its one line, before anything listens.
    const restTls = restServerTls(this.configuration);
    const { network, secret } = this.endpoints;
    ensurePrivateDirectory(this.runtime.dir);
    await sweepAndLog(this.runtime.dir);
    const bound: string[] = [];
    const endpoints =
      this.leadership === undefined
        ? network.jobManagerEndpoints
        : network.jobManagerEndpoints.map((endpoint): EndpointAddress =>
            endpoint.kind === 'unix' ? { kind: 'unix', path: join(this.runtime.dir, `jm-${process.pid}.sock`) } : endpoint,
          );
    for (const endpoint of endpoints) {
      const server = new RpcServer(
        endpoint,
        secret,
        { role: 'jobmanager', id: this.jobManagerId },
        (c) => this.onConnection(c),
        network.security,
      );
      this.rpcServers.push(server);
      const actual = await server.start();
      const address = formatAddress(actual);
      // TaskManagers on other hosts dial jobmanager.rpc.address; on this host, the socket.
      this.advertisedRpcAddress =
        actual.kind === 'tcp'
          ? formatAddress({ kind: 'tcp', host: this.configuration.get(JOB_MANAGER_RPC_ADDRESS), port: actual.port })
          : this.advertisedRpcAddress || address;
      const tls = endpoint.kind === 'tcp' && network.security.tls !== undefined ? ' (TLS)' : '';
      log.info(`RPC endpoint listening at ${address}${tls}.`);
      bound.push(address);
    }
    this.reporters = await startMetricReporters(this.configuration, this.metricRegistry);
    const restUrl = await this.startRest(restTls);
    if (this.leadership === undefined) writeJobManagerInfo(this.runtime, { pid: process.pid, restUrl, startedAt: Date.now() });
    return { restUrl, rpcAddress: bound.join(', ') };
  }

  async shutdown(reason: string): Promise<void> {
    log.info(`Shutting down the JobManager: ${reason}`);
    // Under leader election the file names the leader, which may be another JobManager by now.
    if (this.leadership === undefined || readJobManagerInfo(this.runtime)?.pid === process.pid) removeJobManagerInfo(this.runtime);
    this.dispatcher.suspendAll(reason);
    await this.restServer?.stop();
    this.resourceManager.shutdown();
    await Promise.all(this.rpcServers.map((server) => server.stop()));
    await this.reporters?.close();
    rmSync(this.workDir, { recursive: true, force: true });
    // A directory of our own making goes with us, as Flink's does; a configured web.upload.dir is the user's.
    if (this.jars !== undefined && this.configuration.get(WEB_UPLOAD_DIR) === undefined)
      rmSync(dirname(this.jars.dir), { recursive: true, force: true });
  }

  private onConnection(connection: RpcConnection): void {
    const dispatcher = new RpcDispatcher();
    if (connection.peer.role === 'taskmanager') {
      this.resourceManager.acceptConnection(connection, dispatcher);
      dispatcher.register(JOB_MASTER_GATEWAY, this.dispatcher.jobMasterGateway);
    }
    connection.setHandler(dispatcher);
  }

  private async startRest(tls: TlsOptions | undefined): Promise<string> {
    const bindAddress = this.configuration.get(REST_BIND_ADDRESS);
    const ports = parseBindPorts(this.configuration.get(REST_BIND_PORT));
    const jars = this.jars;
    const submitter =
      jars === undefined ? undefined : new JarSubmitter(jars, this.configuration, this.workDir, (s) => this.dispatcher.submitJob(s));
    const router = createRestRouter(
      this.dispatcher,
      this.dispatcher.metricQuery,
      submitter === undefined ? undefined : { gateway: submitter, address: () => this.restUrl },
      () => this.restUrl,
      () => (this.leadership === undefined ? undefined : { type: 'zookeeper', view: this.leadership }),
    );
    let lastError: unknown;
    for (const port of ports) {
      const server = new RestServer(router, {
        bindAddress,
        port,
        maxContentLength: this.configuration.get(REST_SERVER_MAX_CONTENT_LENGTH),
        allowOrigin: this.configuration.get(WEB_ACCESS_CONTROL_ALLOW_ORIGIN),
        tls,
        ...(this.leadership === undefined ? {} : { gate: leaderGate(this.leadership, () => this.restUrl) }),
      });
      try {
        const actual = await server.start();
        this.restServer = server;
        const host = advertisedRestHost(this.configuration, bindAddress);
        const url = `${server.scheme}://${host.includes(':') ? `[${host}]` : host}:${actual}`;
        this.restUrl = url;
        log.info(`Rest endpoint listening at ${bindAddress}:${actual}`);
        log.info(`Web frontend listening at ${url}.`);
        return url;
      } catch (error) {
        lastError = error;
      }
    }
    throw new Error(
      `Could not start the REST endpoint on ${bindAddress} port(s) ${this.configuration.get(REST_BIND_PORT)}: ${(lastError as Error)?.message}`,
      { cause: lastError },
    );
  }
}

/**
 * The host clients are told to use: rest.address (or jobmanager.rpc.address), as in Flink; the bind
 * address only when neither is set and it is not a wildcard, which no client can dial.
 */
function advertisedRestHost(configuration: Configuration, bindAddress: string): string {
  const configured = configuration.get(REST_ADDRESS);
  if (configured !== undefined && configured !== '') return configured;
  return bindAddress === '0.0.0.0' || bindAddress === '::' ? JOB_MANAGER_RPC_ADDRESS.defaultValue : bindAddress;
}

/** The cluster-wide checkpoint directory as a local path, when one is set and is a path at all. */
function sharedCheckpointDirectory(configuration: Configuration): string | undefined {
  const directory = configuration.get(CHECKPOINTS_DIRECTORY);
  if (directory === undefined) return undefined;
  try {
    return toLocalPath(directory, CHECKPOINTS_DIRECTORY.key);
  } catch {
    // A directory that is no path fails the job that uses it, with its own message.
    return undefined;
  }
}
