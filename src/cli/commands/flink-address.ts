import type { ConnectionOptions } from 'node:tls';
import { UsageError, TsFlinkError } from '../../core/errors.js';
import type { DynamicProperty } from '../../config/dynamic-properties.js';
import { loadConfiguration, resolveConfDir } from '../../config/index.js';
import { TMP_DIRS } from '../../config/options/core-options.js';
import { JOB_MANAGER_RPC_ADDRESS, JOB_MANAGER_RPC_PORT } from '../../config/options/jobmanager-options.js';
import { REST_ADDRESS, REST_PORT } from '../../config/options/rest-options.js';
import { SSL_REST_ENABLED } from '../../config/options/security-options.js';
import { readJobManagerInfo, resolveClusterRuntime } from '../../rpc/cluster-runtime.js';
import { restClientTls } from '../../security/tls-settings.js';
import { FLINK_HOME } from '../flink-home.js';

/** Where the JobManager's REST API is, and the TLS settings to call it with (undefined without security.ssl.rest.enabled). */
export interface RestTarget {
  readonly url: string;
  readonly tls: ConnectionOptions | undefined;
}

/**
 * The base URL of the JobManager's REST API: `-m host:port` (or a URL) when given, otherwise
 * rest.address:rest.port from the configuration; with rest.port 0 the port is not known in
 * advance, so the URL the running JobManager published in the cluster's runtime directory is used.
 * With security.ssl.rest.enabled the scheme is https and the client trusts the REST truststore.
 */
export async function resolveRestTarget(
  jobManager: string | undefined,
  dynamicProperties: readonly DynamicProperty[] = [],
  confDir = resolveConfDir(process.env, FLINK_HOME),
): Promise<RestTarget> {
  const { configuration } = await loadConfiguration({ confDir, dynamicProperties });
  const tls = restClientTls(configuration);
  const scheme = configuration.get(SSL_REST_ENABLED) ? 'https' : 'http';
  if (jobManager !== undefined) return { url: urlFromAddress(jobManager, scheme), tls };
  const port = configuration.get(REST_PORT);
  if (port !== 0)
    return { url: `${scheme}://${bracketed(configuration.get(REST_ADDRESS) ?? JOB_MANAGER_RPC_ADDRESS.defaultValue)}:${port}`, tls };
  const runtime = resolveClusterRuntime({
    confDir,
    tmpDir: configuration.get(TMP_DIRS)[0] ?? '/tmp',
    rpcAddress: configuration.get(JOB_MANAGER_RPC_ADDRESS),
    rpcPort: configuration.get(JOB_MANAGER_RPC_PORT),
  });
  const info = readJobManagerInfo(runtime);
  if (info === undefined) {
    throw new TsFlinkError(
      'FLINK_NO_JOBMANAGER',
      `No running JobManager found for ${confDir}: rest.port is 0 and none published its REST address in ${runtime.dir}; start one, or name its address with -m <host:port>.`,
    );
  }
  return { url: info.restUrl.replace(/\/+$/, ''), tls };
}

/** `host:port`, `[v6]:port` (given `scheme`) or `http(s)://...` as a base URL; anything else is a usage error. */
export function urlFromAddress(address: string, scheme: 'http' | 'https' = 'http'): string {
  const text = address.trim();
  if (/^https?:\/\//i.test(text)) return text.replace(/\/+$/, '');
  const match = /^(\[[^\]]+\]|[^:/\s]+):(\d{1,5})$/.exec(text);
  if (match === null || Number(match[2]) < 1 || Number(match[2]) > 65535) {
    throw new UsageError(`Invalid JobManager address '${address}': expected host:port, e.g. -m localhost:8081.`);
  }
  return `${scheme}://${match[1]}:${match[2]}`;
}

function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
