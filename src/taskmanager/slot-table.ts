import type { AllocationId, JobId } from '../core/ids.js';
import type { SlotStatus } from '../rpc/gateways/task-executor-registration.js';

/** Which job each slot of this TaskManager serves, and with which allocation. */
export class SlotTable {
  private readonly slots: Array<{ jobId: JobId; allocationId: AllocationId } | undefined>;

  constructor(readonly size: number) {
    this.slots = new Array(size).fill(undefined);
  }

  /** Checks that a deployment may use `index` for `jobId`/`allocationId`; returns the problem, if any. */
  occupy(index: number, jobId: JobId, allocationId: AllocationId): string | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.size)
      return `slot ${index} does not exist (this TaskManager has ${this.size})`;
    const current = this.slots[index];
    if (current !== undefined && (current.jobId !== jobId || current.allocationId !== allocationId)) {
      return `slot ${index} is allocated to job ${current.jobId} (allocation ${current.allocationId})`;
    }
    this.slots[index] = { jobId, allocationId };
    return undefined;
  }

  /** Records that `index` serves `jobId`/`allocationId`, whatever it held: for a copy of a table kept elsewhere. */
  assign(index: number, jobId: JobId, allocationId: AllocationId): void {
    if (Number.isInteger(index) && index >= 0 && index < this.size) this.slots[index] = { jobId, allocationId };
  }

  /** Frees a slot held by `allocationId` (its last task ended); a newer allocation is left alone. */
  free(index: number, allocationId: AllocationId): void {
    if (this.slots[index]?.allocationId === allocationId) this.slots[index] = undefined;
  }

  freeJob(jobId: JobId): void {
    for (let i = 0; i < this.size; i++) if (this.slots[i]?.jobId === jobId) this.slots[i] = undefined;
  }

  freeAll(): void {
    this.slots.fill(undefined);
  }

  report(): SlotStatus[] {
    return this.slots.map((slot, index) => ({ index, jobId: slot?.jobId }));
  }
}
