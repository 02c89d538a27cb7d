import { lookup } from 'node:dns/promises';
import { hostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';
import type { Configuration } from '../config/configuration.js';
import { CLUSTER_TRANSPORT } from '../config/options/cluster-options.js';
import { JOB_MANAGER_BIND_HOST, JOB_MANAGER_RPC_ADDRESS, JOB_MANAGER_RPC_PORT } from '../config/options/jobmanager-options.js';
import { TASK_MANAGER_BIND_HOST, TASK_MANAGER_DATA_PORT, TASK_MANAGER_HOST } from '../config/options/taskmanager-options.js';
import { TsFlinkError } from '../core/errors.js';
import type { ResourceId } from '../core/ids.js';
import type { Logger } from '../core/logging.js';
import { internalTls } from '../security/tls-settings.js';
import type { EndpointAddress } from './address.js';
import { taskManagerDataAddress, type ClusterRuntime } from './cluster-runtime.js';
import type { StreamSecurity } from './stream-transport.js';

/** How the processes of a cluster reach each other, as this process sees it. */
export interface ClusterNetwork {
  /** Where this process dials the JobManager: its Unix socket, or TCP at jobmanager.rpc.address:port. */
  readonly jobManagerAddress: EndpointAddress;
  /** Where a JobManager listens: its Unix socket always, and TCP too when the cluster may span hosts. */
  readonly jobManagerEndpoints: readonly EndpointAddress[];
  /** Where a TaskManager serves data: TCP on taskmanager.bind-host when the cluster may span hosts, else a Unix socket. */
  readonly dataEndpoint: (resourceId: ResourceId) => EndpointAddress;
  /** A TaskManager's Unix data socket beside its TCP one, for TaskManagers on the same host; undefined when data stays on Unix sockets anyway. */
  readonly localDataEndpoint: (resourceId: ResourceId) => EndpointAddress | undefined;
  /** taskmanager.host when it names a host others can reach; otherwise the TaskManager finds its address when it connects. */
  readonly taskManagerHost: string | undefined;
  /** TLS of internal TCP connections, when security.ssl.internal.enabled is on. */
  readonly security: StreamSecurity;
  /** Whether this process's traffic can cross TCP, so that its secret must come from the configuration. */
  readonly usesTcp: boolean;
  /** One line for the log: what was chosen and why. */
  readonly summary: string;
  /** Settings that keep other hosts out although the cluster spans hosts, each a line for the log. */
  readonly warnings: readonly string[];
}

/** The machine's own addresses, as seen from this process's network namespace. */
export function localAddresses(): Set<string> {
  const addresses = new Set<string>();
  for (const entries of Object.values(networkInterfaces())) for (const entry of entries ?? []) addresses.add(entry.address);
  return addresses;
}

/** Whether `host` is a loopback name or address: a cluster with such a JobManager address stays on one host. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === 'ip6-localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

/** Whether `host` names this machine: loopback, its host name, or a name that resolves only to its addresses. */
export async function namesThisHost(host: string, own: ReadonlySet<string> = localAddresses()): Promise<boolean> {
  if (isLoopbackHost(host) || own.has(host)) return true;
  if (isIP(host) !== 0) return false;
  if (host === hostname()) return true;
  try {
    const resolved = await lookup(host, { all: true });
    return resolved.length > 0 && resolved.every((entry) => isLoopbackHost(entry.address) || own.has(entry.address));
  } catch {
    // A name this host cannot resolve (yet) is somebody else's: a Kubernetes service, say.
    return false;
  }
}

/**
 * Decides Unix socket or TCP for each endpoint from cluster.transport and jobmanager.rpc.address,
 * and reads the internal TLS stores (a store that cannot be used throws, naming the option).
 */
export async function resolveClusterNetwork(
  configuration: Configuration,
  runtime: ClusterRuntime,
  own: ReadonlySet<string> = localAddresses(),
): Promise<ClusterNetwork> {
  const mode = configuration.get(CLUSTER_TRANSPORT);
  const rpcAddress = configuration.get(JOB_MANAGER_RPC_ADDRESS);
  const rpcPort = configuration.get(JOB_MANAGER_RPC_PORT);
  const spansHosts = mode === 'tcp' || (mode === 'auto' && !isLoopbackHost(rpcAddress));
  const dialUnix = mode === 'unix' || (mode === 'auto' && (await namesThisHost(rpcAddress, own)));
  const jobManagerBindHost = configuration.get(JOB_MANAGER_BIND_HOST) ?? '0.0.0.0';
  const dataBindHost = configuration.get(TASK_MANAGER_BIND_HOST) ?? '0.0.0.0';
  const dataPort = configuration.get(TASK_MANAGER_DATA_PORT);
  const configuredHost = configuration.get(TASK_MANAGER_HOST);
  if ((spansHosts || !dialUnix) && rpcPort === 0) {
    throw new TsFlinkError(
      'CONFIG_INVALID',
      'jobmanager.rpc.port is 0, but this cluster talks over TCP and TaskManagers on other hosts dial that port; give it a fixed port (Flink uses 6123).',
    );
  }
  const warnings: string[] = [];
  if (spansHosts && mode !== 'tcp') {
    if (isLoopbackHost(jobManagerBindHost))
      warnings.push(
        `jobmanager.bind-host is ${jobManagerBindHost}, so TaskManagers on other hosts cannot reach jobmanager.rpc.address ${rpcAddress}; set jobmanager.bind-host: 0.0.0.0 (or this host's address).`,
      );
    if (isLoopbackHost(dataBindHost))
      warnings.push(
        `taskmanager.bind-host is ${dataBindHost}, so TaskManagers on other hosts cannot fetch this one's records; set taskmanager.bind-host: 0.0.0.0.`,
      );
  }
  let taskManagerHost = configuredHost;
  if (spansHosts && configuredHost !== undefined && isLoopbackHost(configuredHost) && !isLoopbackHost(rpcAddress)) {
    warnings.push(
      `taskmanager.host is ${configuredHost}, which other hosts cannot reach; using the address this TaskManager reaches the JobManager from instead.`,
    );
    taskManagerHost = undefined;
  }
  const tls = internalTls(configuration);
  const tcpJobManager: EndpointAddress = { kind: 'tcp', host: rpcAddress, port: rpcPort };
  const describe = [
    dialUnix
      ? `JobManager via ${mode === 'unix' ? 'Unix socket (cluster.transport: unix)' : `Unix socket (${rpcAddress} is this host)`}`
      : `JobManager via TCP ${rpcAddress}:${rpcPort}`,
    spansHosts
      ? `TCP endpoints on ${jobManagerBindHost}:${rpcPort} (JobManager) and ${dataBindHost}:${dataPort || 'any'} (data)`
      : 'Unix sockets only',
    spansHosts ? (tls === undefined ? 'internal TLS off' : 'internal TLS on') : undefined,
  ].filter((part) => part !== undefined);
  return {
    jobManagerAddress: dialUnix ? runtime.jobManagerAddress : tcpJobManager,
    jobManagerEndpoints: spansHosts
      ? [runtime.jobManagerAddress, { kind: 'tcp', host: jobManagerBindHost, port: rpcPort }]
      : [runtime.jobManagerAddress],
    dataEndpoint: (resourceId) =>
      spansHosts ? { kind: 'tcp', host: dataBindHost, port: dataPort } : taskManagerDataAddress(runtime, resourceId),
    localDataEndpoint: (resourceId) => (spansHosts ? taskManagerDataAddress(runtime, resourceId) : undefined),
    taskManagerHost,
    security: { tls },
    usesTcp: spansHosts || !dialUnix,
    summary: `Cluster transport (cluster.transport: ${mode}): ${describe.join('; ')}.`,
    warnings,
  };
}

/** Logs what was chosen, and every setting that keeps other hosts out of a cluster meant to span hosts. */
export function logClusterNetwork(network: ClusterNetwork, log: Logger): void {
  log.info(network.summary);
  for (const warning of network.warnings) log.warn(warning);
}
