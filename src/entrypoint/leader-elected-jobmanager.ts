import type { Configuration } from '../config/configuration.js';
import { detach } from '../core/detach.js';
import { describeError } from '../core/errors.js';
import { getLogger } from '../core/logging.js';
import { zooKeeperClientSettings } from '../ha/zookeeper/zookeeper-settings.js';
import type { ClusterEntrypoint } from '../jobmanager/cluster-entrypoint.js';
import { JobManagerLeadership } from '../jobmanager/ha/jobmanager-leadership.js';
import { ZooKeeperCheckpointPointers } from '../jobmanager/ha/zookeeper-checkpoint-pointers.js';
import { JobResultStore } from '../jobmanager/ha/job-result-store.js';
import { GlobalJobCleanup } from '../jobmanager/ha/global-job-cleanup.js';
import { recoverJobGraphs } from '../jobmanager/ha/job-graph-recovery.js';
import { ZooKeeperJobGraphStore } from '../jobmanager/ha/zookeeper-job-graph-store.js';
import { toLocalPath } from '../jobmanager/checkpoint/checkpoint-settings.js';
import { join } from 'node:path';
import { HIGH_AVAILABILITY_CLUSTER_ID, HIGH_AVAILABILITY_STORAGE_DIR } from '../config/options/high-availability-options.js';

const log = getLogger('entrypoint');

/** What the process does around leadership. */
export interface LeaderElectedCallbacks {
  /** Leadership was granted: the application starts (application mode), unless `results` says its job ended already. */
  onLeading(results: JobResultStore): void;
  /** Leadership was lost: jobs are already suspended; the process ends. */
  onDeposed(reason: string): void;
}

/**
 * Puts a JobManager under ZooKeeper leader election: it starts as a standby, and on a grant it
 * accepts TaskManagers with the new leader session id, publishes its addresses, and (through the
 * callbacks) runs its application; its jobs' checkpoints are recorded in ZooKeeper. On a
 * revocation its jobs are suspended at once, before anything else, so two leaders never run them.
 * Call the result's start() once the cluster has started.
 */
export function electLeader(
  cluster: ClusterEntrypoint,
  configuration: Configuration,
  callbacks: LeaderElectedCallbacks,
): JobManagerLeadership {
  const results = JobResultStore.fromConfiguration(configuration);
  // Set below, once the ZooKeeper client exists; only a session cluster stores submitted jobs.
  let jobGraphs: ZooKeeperJobGraphStore | undefined;
  let cleanup: GlobalJobCleanup | undefined;
  const leadership: JobManagerLeadership = new JobManagerLeadership(zooKeeperClientSettings(configuration), cluster.jobManagerId, {
    grantLeadership: (sessionId) => {
      cluster.grantLeadership(sessionId);
      detach(leadership.publish(sessionId, { rpc: cluster.rpcAddressForLeaders, rest: cluster.restAddress }), (error) =>
        log.error(`Publishing the leader's addresses failed: ${describeError(error)}`, error),
      );
      if (jobGraphs !== undefined && cleanup !== undefined) recoverSessionJobs(cluster, leadership, jobGraphs, cleanup, sessionId);
      else if (cleanup !== undefined) detach(cleanup.finishDirtyCleanups(), (error) => log.warn(describeError(error)));
      callbacks.onLeading(results);
    },
    revokeLeadership: (reason) => {
      cluster.revokeLeadership(reason);
      callbacks.onDeposed(reason);
    },
  });
  cluster.enableLeaderElection(() => ({ isLeader: leadership.sessionId !== undefined, leaderRestUrl: leadership.leaderRestUrl }));
  if (cluster.mode === 'session') {
    const storageDir = toLocalPath(configuration.get(HIGH_AVAILABILITY_STORAGE_DIR) ?? '', HIGH_AVAILABILITY_STORAGE_DIR.key);
    const clusterDir = join(storageDir, configuration.get(HIGH_AVAILABILITY_CLUSTER_ID).replace(/^\/+/, '') || 'default');
    jobGraphs = new ZooKeeperJobGraphStore(leadership.client, clusterDir);
    cluster.dispatcher.jobGraphStore = jobGraphs;
  }
  const jobCleanup = new GlobalJobCleanup(leadership.client, results, jobGraphs);
  cleanup = jobCleanup;
  cluster.dispatcher.checkpointPointers = (jobId) => new ZooKeeperCheckpointPointers(leadership.client, jobId, jobCleanup);
  return leadership;
}

/** A new leader of a session cluster runs every stored job again (Flink's Dispatcher recovery at a grant). */
function recoverSessionJobs(
  cluster: ClusterEntrypoint,
  leadership: JobManagerLeadership,
  jobGraphs: ZooKeeperJobGraphStore,
  cleanup: GlobalJobCleanup,
  sessionId: string,
): void {
  const recovery = recoverJobGraphs({
    dispatcher: cluster.dispatcher,
    jobGraphs,
    cleanup,
    workDir: cluster.workDir,
    stillLeading: () => leadership.sessionId === sessionId,
  });
  detach(recovery, (error) => log.error(`Recovering the session's jobs failed: ${describeError(error)}`, error));
}
