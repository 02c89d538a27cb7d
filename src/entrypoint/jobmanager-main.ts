import { getLogger } from '../core/logging.js';
import { logLoadedConfiguration } from '../config/index.js';
import { AUTOSCALER_ENABLED } from '../config/options/autoscaler-options.js';
import { ENV_LOG_LEVEL } from '../config/options/env-options.js';
import { reportReadiness } from '../daemon/readiness.js';
import { ClusterEntrypoint } from '../jobmanager/cluster-entrypoint.js';
import { logClusterNetwork } from '../rpc/cluster-network.js';
import { clusterSecret } from '../rpc/cluster-secret.js';
import type { EntrypointArguments } from './entrypoint-arguments.js';
import { runApplication } from './application-mode.js';
import { checkClusterKind } from './cluster-kind-check.js';
import { loadProcessConfiguration } from './load-process-configuration.js';
import type { AutoscalerLoop } from './autoscaler-main.js';
import { installShutdownHandlers, setupLogging } from './process-lifecycle.js';

const log = getLogger('entrypoint');

/** Which JobManager: a session cluster (jobmanager.sh) or an application cluster (standalone-job.sh). */
export type JobManagerMode = 'session' | 'application';

const ENTRYPOINT_NAMES: Record<JobManagerMode, string> = {
  session: 'StandaloneSessionClusterEntrypoint',
  application: 'StandaloneApplicationClusterEntryPoint',
};

/** Runs a JobManager process until it is told to stop; returns its exit code. */
export async function runJobManager(mode: JobManagerMode, args: EntrypointArguments): Promise<void> {
  const loaded = await loadProcessConfiguration(args);
  const configuration = loaded.configuration;
  setupLogging(configuration.get(ENV_LOG_LEVEL));
  log.info(`Starting ${ENTRYPOINT_NAMES[mode]} (tsflink, Node ${process.version}, pid ${process.pid}).`);
  logLoadedConfiguration(loaded, log);
  logClusterNetwork(loaded.network, log);
  checkClusterKind(mode, configuration);
  const secret = clusterSecret(configuration, loaded.network, loaded.runtime, 'jobmanager')();
  const cluster = new ClusterEntrypoint(configuration, loaded.runtime, mode, { network: loaded.network, secret });
  let autoscaler: AutoscalerLoop | undefined;
  installShutdownHandlers(async (reason) => {
    await autoscaler?.stop();
    await cluster.shutdown(reason);
    log.info(`Terminating cluster entrypoint process ${ENTRYPOINT_NAMES[mode]} with exit code 0.`);
    return 0;
  });
  const started = await cluster.start();
  if (mode === 'session') {
    reportReadiness({
      type: 'ready',
      summary: `JobManager is ready: REST API and web UI at ${started.restUrl}`,
      details: { restUrl: started.restUrl, rpcAddress: started.rpcAddress, pid: process.pid },
    });
    return;
  }
  // standalone-job.sh with job.autoscaler.enabled runs the autoscaler in this process, on its own REST API.
  if (configuration.get(AUTOSCALER_ENABLED)) {
    const { startAutoscalerLoop } = await import('./autoscaler-main.js');
    autoscaler = startAutoscalerLoop(configuration, loaded.confDir, started.restUrl);
  }
  const code = await runApplication(cluster, configuration, args, started.restUrl);
  await autoscaler?.stop();
  await cluster.shutdown('the application finished');
  log.info(`Terminating cluster entrypoint process ${ENTRYPOINT_NAMES[mode]} with exit code ${code}.`);
  process.exit(code);
}
