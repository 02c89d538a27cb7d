import type { ResourceId } from '../core/ids.js';
import { formatAddress, type EndpointAddress } from '../rpc/address.js';
import type { TaskExecutorMemoryConfiguration, TaskExecutorRegistration } from '../rpc/gateways/task-executor-registration.js';
import { describeHardware } from './process-stats.js';

/** What identifies a TaskManager to the JobManager, besides where its data endpoint is. */
export interface RegistrationIdentity {
  readonly resourceId: ResourceId;
  readonly host: string;
  readonly numberOfSlots: number;
  readonly memoryConfiguration: TaskExecutorMemoryConfiguration;
}

/**
 * What the JobManager is told. A data endpoint on TCP is advertised under `advertisedHost`
 * (taskmanager.host, or else the address this host has on its connection to the JobManager: the
 * one interface the cluster is known to reach, as Flink's TaskManager finds its address); a Unix
 * socket is advertised as its path. `local`, the Unix socket beside a TCP endpoint, lets TaskManagers
 * on the same host skip TCP between them.
 */
export function registrationOf(
  identity: RegistrationIdentity,
  bound: EndpointAddress,
  advertisedHost: string,
  local?: { readonly address: EndpointAddress; readonly hostKey: string },
): TaskExecutorRegistration {
  const dataAddress: EndpointAddress = bound.kind === 'tcp' ? { kind: 'tcp', host: advertisedHost, port: bound.port } : bound;
  return {
    resourceId: identity.resourceId,
    dataAddress: formatAddress(dataAddress),
    ...(local === undefined ? {} : { localDataAddress: formatAddress(local.address), hostKey: local.hostKey }),
    numberOfSlots: identity.numberOfSlots,
    pid: process.pid,
    host: bound.kind === 'tcp' ? advertisedHost : identity.host,
    hardware: describeHardware(),
    memoryConfiguration: identity.memoryConfiguration,
  };
}

/** A TCP connection's local address as others can dial it; undefined for a Unix socket. IPv6 goes in brackets for host:port. */
export function reachableHost(localAddress: string | undefined): string | undefined {
  if (localAddress === undefined || localAddress === '') return undefined;
  const bare = localAddress.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return bare.includes(':') ? `[${bare}]` : bare;
}
