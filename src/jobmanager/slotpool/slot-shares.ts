import type { JobId } from '../../core/ids.js';
/** What one elastic job asks of the cluster's slots, read afresh at every computation. */
export interface ShareDemand {
  /** How much of the pool the job should get relative to the others: its max parallelism. */
  readonly weight: number;
  /** Slots beyond which the job cannot use more (its upper bounds). */
  readonly desired: number;
  /** Slots below which it cannot run at all (its lower bounds). */
  readonly minimum: number;
}

/** An elastic job as the shares see it. */
interface ShareHolder {
  readonly jobId: JobId;
  readonly demand: () => ShareDemand;
}

/**
 * How the elastic (Adaptive Scheduler) jobs of a session cluster divide the slots they can use,
 * where Flink leaves it undefined: every job first gets its minimum, in order of arrival (a job that
 * cannot get its minimum waits; the ones before it keep theirs); the rest is shared in proportion to
 * each job's max parallelism, never beyond what a job can use, with what one cannot use flowing to
 * the others. A job alone gets everything it can use, so Reactive Mode behaves as before.
 */
export function divideSlots(pool: number, jobs: ReadonlyArray<{ readonly jobId: JobId } & ShareDemand>): Map<string, number> {
  const shares = new Map<string, number>(jobs.map((job) => [job.jobId, 0]));
  let left = Math.max(0, pool);
  for (const job of jobs) {
    const minimum = Math.min(job.minimum, job.desired);
    if (minimum > left) continue;
    shares.set(job.jobId, minimum);
    left -= minimum;
  }
  // Only jobs that got their minimum run, so only they take part in the rest.
  let open = jobs.filter((job) => shares.get(job.jobId)! > 0 || job.minimum === 0).filter((job) => shares.get(job.jobId)! < job.desired);
  while (left > 0 && open.length > 0) {
    const totalWeight = open.reduce((sum, job) => sum + Math.max(1, job.weight), 0);
    let given = 0;
    for (const job of open) {
      const room = job.desired - shares.get(job.jobId)!;
      const extra = Math.min(room, Math.floor((left * Math.max(1, job.weight)) / totalWeight));
      shares.set(job.jobId, shares.get(job.jobId)! + extra);
      given += extra;
    }
    if (given === 0) {
      // Fewer slots left than jobs sharing them: one each, heaviest (then oldest) first.
      for (const job of [...open].sort((a, b) => b.weight - a.weight)) {
        if (left - given === 0) break;
        shares.set(job.jobId, shares.get(job.jobId)! + 1);
        given++;
      }
    }
    left -= given;
    open = open.filter((job) => shares.get(job.jobId)! < job.desired);
  }
  return shares;
}

/** The elastic jobs registered with a slot pool, and each one's current share. */
export class SlotShares {
  private readonly holders: ShareHolder[] = [];

  get size(): number {
    return this.holders.length;
  }

  has(jobId: JobId): boolean {
    return this.holders.some((holder) => holder.jobId === jobId);
  }

  add(jobId: JobId, demand: () => ShareDemand): void {
    if (!this.has(jobId)) this.holders.push({ jobId, demand });
  }

  remove(jobId: JobId): boolean {
    const index = this.holders.findIndex((holder) => holder.jobId === jobId);
    if (index >= 0) this.holders.splice(index, 1);
    return index >= 0;
  }

  /** `jobId`'s share of `pool` slots; undefined for a job that is not elastic. */
  shareOf(jobId: JobId, pool: number): number | undefined {
    if (!this.has(jobId)) return undefined;
    return divideSlots(
      pool,
      this.holders.map((holder) => ({ jobId: holder.jobId, ...holder.demand() })),
    ).get(jobId);
  }

  /** Every elastic job's id, in order of arrival. */
  jobIds(): string[] {
    return this.holders.map((holder) => holder.jobId);
  }
}
