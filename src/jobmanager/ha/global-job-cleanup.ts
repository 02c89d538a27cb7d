import type { JobId } from '../../core/ids.js';
import { describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import type { ZooKeeperClient } from '../../ha/zookeeper/zookeeper-client.js';
import type { GloballyTerminalStatus, JobResultStore } from './job-result-store.js';
import type { ZooKeeperJobGraphStore } from './zookeeper-job-graph-store.js';

const log = getLogger('dispatcher');

/**
 * What happens when a job ends for good under ZooKeeper high availability, in Flink's order: its
 * result is written dirty to the job result store, its data in ZooKeeper (checkpoint pointers, id
 * counter, submitted job graph) is removed, and the result is committed. A leader dying in between
 * leaves a dirty result, whose cleanup the next leader finishes instead of running the job again.
 */
export class GlobalJobCleanup {
  constructor(
    private readonly client: ZooKeeperClient,
    readonly results: JobResultStore,
    /** Set on a session cluster, whose submitted jobs are stored. */
    private readonly jobGraphs: ZooKeeperJobGraphStore | undefined,
  ) {}

  /** The job reached `status`: records it, then cleans up. */
  async jobTerminated(jobId: JobId, status: GloballyTerminalStatus, netRuntimeMs?: number): Promise<void> {
    await this.results.createDirtyResult(jobId, status, netRuntimeMs);
    await this.cleanUp(jobId);
  }

  /** Finishes every cleanup an earlier leader left; a failure is logged and tried again at the next grant. */
  async finishDirtyCleanups(): Promise<void> {
    for (const entry of await this.results.dirtyResults()) {
      log.info(`Job ${entry.jobId} reached ${entry.status} under an earlier leader; finishing its cleanup.`);
      await this.cleanUp(entry.jobId).catch((error: unknown) =>
        log.warn(`Could not clean up the high-availability data of job ${entry.jobId}: ${describeError(error)}`),
      );
    }
  }

  private async cleanUp(jobId: JobId): Promise<void> {
    await this.client.removeRecursive(`/jobs/${jobId}`);
    await this.jobGraphs?.remove(jobId);
    await this.results.markResultAsClean(jobId);
  }
}
