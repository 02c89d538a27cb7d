import { detach } from '../core/detach.js';
import { describeError } from '../core/errors.js';
import { getLogger } from '../core/logging.js';
import { isZooKeeperHighAvailability } from '../ha/zookeeper/zookeeper-settings.js';
import { logLoadedConfiguration } from '../config/index.js';
import { AUTOSCALER_ENABLED } from '../config/options/autoscaler-options.js';
import { ENV_LOG_LEVEL } from '../config/options/env-options.js';
import { reportReadiness } from '../daemon/readiness.js';
import { ClusterEntrypoint } from '../jobmanager/cluster-entrypoint.js';
import { logClusterNetwork } from '../rpc/cluster-network.js';
import { clusterSecret } from '../rpc/cluster-secret.js';
import type { EntrypointArguments } from './entrypoint-arguments.js';
import { APPLICATION_FAILED_EXIT_CODE, jobIdFromClusterId, runApplication } from './application-mode.js';
import type { Configuration } from '../config/configuration.js';
import { HIGH_AVAILABILITY_CLUSTER_ID } from '../config/options/high-availability-options.js';
import type { JobResultStore } from '../jobmanager/ha/job-result-store.js';
import { electLeader } from './leader-elected-jobmanager.js';
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

/**
 * Runs the application once this JobManager leads, unless the job result store says its job ended
 * already (a leader finished it and died before its process ended): then only its exit code is given.
 */
async function applicationUnlessEnded(
  results: JobResultStore,
  cluster: ClusterEntrypoint,
  configuration: Configuration,
  args: EntrypointArguments,
): Promise<number> {
  const jobId = args.jobId ?? jobIdFromClusterId(configuration.get(HIGH_AVAILABILITY_CLUSTER_ID));
  const ended = await results.statusOf(jobId);
  if (ended === undefined) return runApplication(cluster, configuration, args, cluster.restAddress);
  log.info(`Job ${jobId} already reached ${ended} (recorded in the job result store); it is not run again.`);
  return ended === 'FAILED' ? APPLICATION_FAILED_EXIT_CODE : 0;
}

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
  const finish = async (reason: string, code: number): Promise<never> => {
    await autoscaler?.stop();
    await cluster.shutdown(reason);
    await leadership?.close();
    log.info(`Terminating cluster entrypoint process ${ENTRYPOINT_NAMES[mode]} with exit code ${code}.`);
    process.exit(code);
  };
  const leadership = isZooKeeperHighAvailability(configuration)
    ? electLeader(cluster, configuration, {
        onLeading: (results) => {
          if (mode !== 'application') return;
          const session = leadership?.sessionId;
          const application = applicationUnlessEnded(results, cluster, configuration, args).then(async (code) => {
            // A job suspended because this leadership ended waits for the next grant; any other end is the application's.
            if (leadership?.sessionId !== session) return;
            await finish('the application finished', code);
          });
          detach(application, (error) => {
            log.error(`The application failed: ${describeError(error)}`, error);
            process.exit(APPLICATION_FAILED_EXIT_CODE);
          });
        },
        onDeposed: (reason) =>
          log.warn(`JobManager ${cluster.jobManagerId} is no longer the leader (${reason}); its jobs are suspended and it stands by.`),
      })
    : undefined;
  installShutdownHandlers(async (reason) => {
    await autoscaler?.stop();
    await cluster.shutdown(reason);
    await leadership?.close();
    log.info(`Terminating cluster entrypoint process ${ENTRYPOINT_NAMES[mode]} with exit code 0.`);
    return 0;
  });
  const started = await cluster.start();
  if (leadership !== undefined) {
    await leadership.start();
    reportReadiness({
      type: 'ready',
      summary: `JobManager is up: REST API and web UI at ${started.restUrl}; ZooKeeper decides whether it leads or stands by`,
      details: { restUrl: started.restUrl, rpcAddress: started.rpcAddress, pid: process.pid },
    });
    return;
  }
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
