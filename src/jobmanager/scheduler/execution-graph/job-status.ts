import type { JobStatus } from '../../../rest/types/job-status.js';

/** Statuses after which a job never runs again. */
export function isGloballyTerminal(status: JobStatus): boolean {
  return status === 'FINISHED' || status === 'CANCELED' || status === 'FAILED';
}
