import { createHash } from 'node:crypto';
import type { JobId } from '../../../core/ids.js';

/**
 * The id REST shows for a vertex's slot sharing group. Flink's is a SlotSharingGroupId (an AbstractID:
 * 32 hex digits), and clients parse it as one (Flink's autoscaler reads /jobs/:jobid through
 * JobDetailsInfo, which fails on a name such as "default"). tsflink's groups are names, so the id is
 * derived from the job and the name: the same group gives the same id on every answer and every run.
 */
export function slotSharingGroupId(jobId: JobId, groupName: string): string {
  return createHash('sha256').update(`${jobId}/${groupName}`).digest('hex').slice(0, 32);
}
