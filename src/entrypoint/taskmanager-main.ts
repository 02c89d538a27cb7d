import { hostname } from 'node:os';
import { randomHex, resourceIdOf } from '../core/ids.js';
import { getLogger } from '../core/logging.js';
import { logLoadedConfiguration } from '../config/index.js';
import { CLUSTER_REGISTRATION_INITIAL_TIMEOUT, CLUSTER_REGISTRATION_MAX_TIMEOUT } from '../config/options/cluster-options.js';
import { ENV_LOG_LEVEL } from '../config/options/env-options.js';
import { LOCAL_RECOVERY, LOCAL_STATE_ROOT_DIRS } from '../config/options/state-options.js';
import {
  gracefulStopWindowMs,
  TASK_MANAGER_GRACEFUL_STOP_TIMEOUT,
  TASK_MANAGER_HOST,
  TASK_MANAGER_MEMORY_PROCESS_SIZE,
  TASK_MANAGER_MEMORY_TASK_HEAP_SIZE,
  TASK_MANAGER_NETWORK_MAX_FRAME_SIZE,
  TASK_MANAGER_NUM_TASK_SLOTS,
  TASK_MANAGER_REGISTRATION_TIMEOUT,
  TASK_MANAGER_RESOURCE_ID,
  TASK_MANAGER_SLOT_THREADS,
} from '../config/options/taskmanager-options.js';
import { reportReadiness } from '../daemon/readiness.js';
import { isZooKeeperHighAvailability, zooKeeperClientSettings } from '../ha/zookeeper/zookeeper-settings.js';
import { followLeaderInZooKeeper } from './zookeeper-leader-source.js';
import { logClusterNetwork } from '../rpc/cluster-network.js';
import { clusterSecret } from '../rpc/cluster-secret.js';
import { deriveMemoryConfiguration } from '../taskmanager/memory-configuration.js';
import { TaskExecutor } from '../taskmanager/task-executor.js';
import { startMetricReporters } from '../metrics/metric-reporters.js';
import type { EntrypointArguments } from './entrypoint-arguments.js';
import { loadProcessConfiguration } from './load-process-configuration.js';
import { slotThreadOptions } from './slot-thread-options.js';
import { installShutdownHandlers, setupLogging, SHUTDOWN_SAFEGUARD_MS } from './process-lifecycle.js';

const log = getLogger('entrypoint');

/** The first of taskmanager.state.local.root-dirs (Flink takes one per slot; one is enough here), '' when unset. */
function localStateRoot(rootDirs: string | undefined): string {
  return (
    (rootDirs ?? '')
      .split(/[,:]/)
      .map((dir) => dir.trim())
      .find((dir) => dir !== '') ?? ''
  );
}

/** Runs a TaskManager process (TaskManagerRunner) until it is stopped or loses its JobManager for good. */
export async function runTaskManager(args: EntrypointArguments): Promise<void> {
  const loaded = await loadProcessConfiguration(args);
  const configuration = loaded.configuration;
  setupLogging(configuration.get(ENV_LOG_LEVEL));
  log.info(`Starting TaskManagerRunner (tsflink, Node ${process.version}, pid ${process.pid}).`);
  logLoadedConfiguration(loaded, log);
  logClusterNetwork(loaded.network, log);
  const host = configuration.get(TASK_MANAGER_HOST) ?? hostname();
  const gracefulStopTimeoutMs = configuration.get(TASK_MANAGER_GRACEFUL_STOP_TIMEOUT);
  const resourceId = resourceIdOf(configuration.get(TASK_MANAGER_RESOURCE_ID) ?? `${host}:${process.pid}-${randomHex(3)}`);
  // With ZooKeeper, the JobManager to register with is whichever leads.
  const leader = isZooKeeperHighAvailability(configuration)
    ? await followLeaderInZooKeeper(zooKeeperClientSettings(configuration))
    : undefined;
  const taskExecutor = new TaskExecutor(
    {
      ...(leader === undefined ? {} : { leader }),
      resourceId,
      host,
      numberOfSlots: configuration.get(TASK_MANAGER_NUM_TASK_SLOTS),
      runtime: loaded.runtime,
      network: loaded.network,
      secret: clusterSecret(configuration, loaded.network, loaded.runtime, 'taskmanager'),
      connector: {
        initialBackoffMs: configuration.get(CLUSTER_REGISTRATION_INITIAL_TIMEOUT),
        maxBackoffMs: configuration.get(CLUSTER_REGISTRATION_MAX_TIMEOUT),
        registrationTimeoutMs: configuration.get(TASK_MANAGER_REGISTRATION_TIMEOUT),
      },
      memoryConfiguration: deriveMemoryConfiguration(
        configuration.get(TASK_MANAGER_MEMORY_PROCESS_SIZE),
        configuration.get(TASK_MANAGER_MEMORY_TASK_HEAP_SIZE),
      ),
      maxDataFrameBytes: configuration.get(TASK_MANAGER_NETWORK_MAX_FRAME_SIZE),
      gracefulStopTimeoutMs,
      ...(configuration.get(TASK_MANAGER_SLOT_THREADS) ? { slotThreads: slotThreadOptions(configuration) } : {}),
      ...(configuration.get(LOCAL_RECOVERY) ? { localStateRoot: localStateRoot(configuration.get(LOCAL_STATE_ROOT_DIRS)) } : {}),
    },
    {
      onFirstRegistration: () =>
        reportReadiness({
          type: 'ready',
          summary: `TaskManager ${resourceId} registered with the JobManager`,
          details: { resourceId, pid: process.pid },
        }),
      onWaitingForJobManager: (reason) =>
        reportReadiness({
          type: 'waiting',
          summary: `TaskManager ${resourceId} is running but cannot reach a JobManager yet (${reason}); it keeps trying for ${configuration.get(TASK_MANAGER_REGISTRATION_TIMEOUT) / 1000} s (taskmanager.registration.timeout).`,
        }),
      onFatal: (message) => {
        log.error(`Fatal error occurred in TaskExecutor ${resourceId}. ${message}`);
        process.exit(1);
      },
    },
  );
  const reporters = await startMetricReporters(configuration, taskExecutor.metrics.registry);
  // A graceful stop may wait for the jobs to move off this TaskManager before the usual shutdown.
  installShutdownHandlers(
    async (reason) => {
      await taskExecutor.shutdown(reason);
      leader?.close();
      await reporters.close();
      return 0;
    },
    SHUTDOWN_SAFEGUARD_MS + gracefulStopWindowMs(gracefulStopTimeoutMs),
  );
  taskExecutor.start();
}
