import type { AutoscalerDecisionRecord, AutoscalerDecisions } from '../../../rest/types/responses.js';

/** How many decisions are kept per job: enough for a trial of an hour at a 5 s loop with repeats folded. */
const MAX_DECISIONS = 200;

/**
 * The decisions an autoscaler reported for each job, for GET /jobs/:jobid/autoscaler. A decision that
 * says what the previous one said (the same outcome, nothing applied) replaces it, so a job at rest
 * keeps one entry rather than one per round.
 */
export class AutoscalerDecisionStore {
  readonly #byJob = new Map<string, AutoscalerDecisionRecord[]>();

  add(jobId: string, record: AutoscalerDecisionRecord): void {
    const list = this.#byJob.get(jobId) ?? [];
    const last = list.at(-1);
    if (last && !last.applied && !record.applied && last.outcome === record.outcome && last.summary === record.summary) list.pop();
    list.push(record);
    if (list.length > MAX_DECISIONS) list.splice(0, list.length - MAX_DECISIONS);
    this.#byJob.set(jobId, list);
  }

  decisions(jobId: string): AutoscalerDecisions {
    return { decisions: [...(this.#byJob.get(jobId) ?? [])] };
  }
}
