import type { JobId } from '../../../core/ids.js';
import { detach } from '../../../core/detach.js';
import { describeError } from '../../../core/errors.js';
import { getLogger } from '../../../core/logging.js';
import { removeOrphanCheckpoints } from '../../checkpoint/orphan-checkpoints.js';
import type { JobCheckpointing } from './job-checkpointing.js';

const log = getLogger('scheduler');

/** Marks the restored checkpoint corrupt in the background; the next restore falls back past it. */
export function markCorrupt(checkpointing: JobCheckpointing, jobId: JobId, reason: string): void {
  detach(checkpointing.markRestoredCorrupt(reason), (error) =>
    log.warn(`Could not mark the restored checkpoint of job ${jobId} corrupt: ${describeError(error)}`),
  );
}

/**
 * Cleans up the job's checkpoint store for its final status, then runs `then`, also when the
 * clean-up failed: a job must still count as terminated, or its application cluster never exits.
 */
export function shutDownStoreThen(
  checkpointing: JobCheckpointing,
  jobId: JobId,
  status: Parameters<JobCheckpointing['services']['store']['shutdown']>[0],
  then: () => void,
): void {
  const cleanUp = async (): Promise<void> => {
    await checkpointing.services.store.shutdown(status);
    // Spares are referenced by nothing, whatever the retention; a JobManager taking over makes its own.
    await checkpointing.services.store.spares?.clear();
    const storage = checkpointing.settings.storage;
    // A suspended job's checkpoints are a later JobManager's to judge.
    if (status === 'SUSPENDED' || storage.kind !== 'filesystem') return;
    const keep = new Set(checkpointing.services.store.all().map((checkpoint) => checkpoint.id));
    const below = checkpointing.services.idCounter.peek();
    const sharedReferenced = checkpointing.services.store.sharedState.referenced();
    const removed = await removeOrphanCheckpoints(storage.directory, jobId, { keep, below, onlyIncomplete: false, sharedReferenced });
    if (removed.length > 0) log.info(`Removed the files of aborted checkpoint(s) ${removed.join(', ')} of job ${jobId}.`);
  };
  const done = cleanUp().then(then, (error: unknown) => {
    log.warn(`Could not clean up the checkpoints of job ${jobId}: ${describeError(error)}`);
    then();
  });
  detach(done, (error) => log.error(`Job ${jobId} could not finish terminating: ${describeError(error)}`, error));
}
