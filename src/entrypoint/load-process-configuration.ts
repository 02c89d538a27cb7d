import { loadConfiguration, resolveConfDir, type LoadedConfiguration } from '../config/index.js';
import { JOB_MANAGER_RPC_ADDRESS, JOB_MANAGER_RPC_PORT } from '../config/options/jobmanager-options.js';
import { TMP_DIRS } from '../config/options/core-options.js';
import { resolveClusterRuntime, type ClusterRuntime } from '../rpc/cluster-runtime.js';
import { resolveClusterNetwork, type ClusterNetwork } from '../rpc/cluster-network.js';
import type { EntrypointArguments } from './entrypoint-arguments.js';
import { FLINK_HOME } from './flink-home.js';

/** A process's configuration and the cluster it belongs to. */
export interface ProcessConfiguration extends LoadedConfiguration {
  readonly confDir: string;
  readonly runtime: ClusterRuntime;
  /** Unix sockets or TCP for each endpoint, and internal TLS. */
  readonly network: ClusterNetwork;
}

/** Loads the configuration named by --configDir (or FLINK_CONF_DIR) plus -D, and locates the cluster and how to reach it. */
export async function loadProcessConfiguration(args: EntrypointArguments): Promise<ProcessConfiguration> {
  const confDir = args.configDir ?? resolveConfDir(process.env, FLINK_HOME);
  const loaded = await loadConfiguration({ confDir, dynamicProperties: args.dynamicProperties });
  const configuration = loaded.configuration;
  const runtime = resolveClusterRuntime({
    confDir,
    tmpDir: configuration.get(TMP_DIRS)[0] ?? '/tmp',
    rpcAddress: configuration.get(JOB_MANAGER_RPC_ADDRESS),
    rpcPort: configuration.get(JOB_MANAGER_RPC_PORT),
  });
  const network = await resolveClusterNetwork(configuration, runtime);
  return { ...loaded, confDir, runtime, network };
}
