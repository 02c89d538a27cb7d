import { newAllocationId, type AllocationId, type JobId } from '../../core/ids.js';
import type { LeaveOutcome } from '../../rpc/gateways/resource-manager-gateway.js';
import { LeavingTaskManagers } from './leaving-task-managers.js';
import { SlotShares, type ShareDemand } from './slot-shares.js';
import type { RegisteredTaskManager, TaskManagerListener, TaskManagerLossCause } from '../resourcemanager/registered-task-manager.js';

/** One slot of one TaskManager that a job holds. */
export interface Allocation {
  readonly allocationId: AllocationId;
  readonly jobId: JobId;
  readonly taskManager: RegisteredTaskManager;
  readonly slotIndex: number;
}

/** A job's view of slot changes. */
export interface SlotPoolListener {
  /** Free slots appeared (a TaskManager registered or a job released slots). */
  onSlotsAvailable(): void;
  /** A TaskManager left; these allocations of the listener's job were on it. */
  onAllocationsLost(lost: readonly Allocation[], cause: TaskManagerLossCause, reason: string): void;
  /**
   * A TaskManager holding `held` announced it is leaving: move off it within `deadlineMs` (release
   * the allocations), or call `refuseLeaves`. A job without this handler makes the TaskManager leave the old way.
   */
  onTaskManagerLeaving?(held: readonly Allocation[], deadlineMs: number): void;
}

/**
 * The cluster's slots as jobs see them: which are free, which job holds which. Allocation packs
 * jobs onto the TaskManagers with the most free slots first (Flink's prefer-minimal-taskmanagers),
 * and is all-or-nothing so a job never holds half of what it needs.
 */
export class SlotPool implements TaskManagerListener {
  private readonly allocations = new Map<RegisteredTaskManager, Array<Allocation | undefined>>();
  private readonly listeners = new Map<string, SlotPoolListener>();
  private readonly shares = new SlotShares();
  private readonly leaving = new LeavingTaskManagers();

  addListener(jobId: JobId, listener: SlotPoolListener): void {
    this.listeners.set(jobId, listener);
  }

  removeListener(jobId: JobId): void {
    this.listeners.delete(jobId);
  }

  /** Registers an elastic job: from now on it and the others share the slots (a new one makes the others shrink). */
  addElasticJob(jobId: JobId, demand: () => ShareDemand): void {
    if (this.shares.has(jobId)) return;
    this.shares.add(jobId, demand);
    if (this.shares.size > 1) this.notifyAvailable();
  }

  /** An elastic job ended: its share goes back to the others. */
  removeElasticJob(jobId: JobId): void {
    if (this.shares.remove(jobId) && this.shares.size > 0) this.notifyAvailable();
  }

  /**
   * The slots elastic job `jobId` may use: its share of the free slots plus those the elastic jobs
   * hold (slots of fixed-parallelism jobs are theirs); undefined for a job that is not elastic.
   */
  shareOf(jobId: JobId): number | undefined {
    if (!this.shares.has(jobId)) return undefined;
    const elastic = new Set(this.shares.jobIds());
    let pool = 0;
    for (const slots of this.offeredSlots()) for (const slot of slots) if (slot === undefined || elastic.has(slot.jobId)) pool++;
    return this.shares.shareOf(jobId, pool);
  }

  onTaskManagerRegistered(taskManager: RegisteredTaskManager): void {
    this.allocations.set(taskManager, new Array(taskManager.numberOfSlots).fill(undefined));
    this.notifyAvailable();
  }

  onTaskManagerLost(taskManager: RegisteredTaskManager, cause: TaskManagerLossCause, reason: string): void {
    const slots = this.allocations.get(taskManager);
    this.allocations.delete(taskManager);
    this.leaving.remove(taskManager, `the TaskManager left first (${reason})`);
    const byJob = new Map<string, Allocation[]>();
    for (const allocation of slots ?? []) {
      if (allocation === undefined) continue;
      byJob.set(allocation.jobId, [...(byJob.get(allocation.jobId) ?? []), allocation]);
    }
    for (const [jobId, lost] of byJob) this.listeners.get(jobId)?.onAllocationsLost(lost, cause, reason);
    // Fewer slots make every elastic job's share smaller, also of the jobs that lost none.
    if (this.shares.size > 1) this.notifyAvailable();
  }

  get totalSlots(): number {
    let total = 0;
    for (const slots of this.allocations.values()) total += slots.length;
    return total;
  }

  get freeSlots(): number {
    let free = 0;
    for (const slots of this.offeredSlots()) for (const slot of slots) if (slot === undefined) free++;
    return free;
  }

  /** Slots `jobId` holds plus the free ones: what the job could use if it rescaled now. */
  availableTo(jobId: JobId): number {
    let count = 0;
    for (const slots of this.offeredSlots()) for (const slot of slots) if (slot === undefined || slot.jobId === jobId) count++;
    return count;
  }

  /** Reserves `count` free slots for `jobId`, or none at all when there are not enough. */
  allocate(jobId: JobId, count: number): Allocation[] | undefined {
    if (count > this.freeSlots) return undefined;
    const byFreeSlots = [...this.allocations.entries()]
      .filter(([taskManager]) => !this.leaving.has(taskManager))
      .map(([taskManager, slots]) => ({ taskManager, slots, free: slots.filter((s) => s === undefined).length }))
      .sort((a, b) => b.free - a.free || a.taskManager.registeredAt - b.taskManager.registeredAt);
    const granted: Allocation[] = [];
    for (const { taskManager, slots } of byFreeSlots) {
      for (let index = 0; index < slots.length && granted.length < count; index++) {
        if (slots[index] !== undefined) continue;
        const allocation: Allocation = { allocationId: newAllocationId(), jobId, taskManager, slotIndex: index };
        slots[index] = allocation;
        granted.push(allocation);
      }
    }
    return granted;
  }

  release(allocations: readonly Allocation[]): void {
    let freed = false;
    for (const allocation of allocations) {
      const slots = this.allocations.get(allocation.taskManager);
      if (slots?.[allocation.slotIndex] === allocation) {
        slots[allocation.slotIndex] = undefined;
        freed = true;
      }
    }
    this.settleFreedLeaves();
    if (freed) this.notifyAvailable();
  }

  /**
   * A TaskManager announced it will leave: its slots are offered no more, and each job on it is asked
   * to move off first. Resolves once none of its slots is held ('released'), or when a job cannot move.
   */
  announceLeave(taskManager: RegisteredTaskManager, timeoutMs: number): Promise<LeaveOutcome> {
    if (!this.allocations.has(taskManager)) return Promise.resolve({ released: true });
    const answer = this.leaving.add(taskManager, timeoutMs);
    const byJob = new Map<JobId, Allocation[]>();
    for (const allocation of this.allocationsOn(taskManager))
      byJob.set(allocation.jobId, [...(byJob.get(allocation.jobId) ?? []), allocation]);
    const unable = [...byJob.keys()].find((jobId) => this.listeners.get(jobId)?.onTaskManagerLeaving === undefined);
    if (unable !== undefined) this.leaving.settle(taskManager, { released: false, reason: `job ${unable} cannot move off a TaskManager` });
    else for (const [jobId, held] of byJob) this.listeners.get(jobId)?.onTaskManagerLeaving?.(held, this.leaving.remainingMs(taskManager));
    this.settleFreedLeaves();
    return answer;
  }

  /** Job `jobId` cannot move off the leaving TaskManagers it is on: they leave the old way. */
  refuseLeaves(jobId: JobId, reason: string): void {
    for (const taskManager of this.leaving.all)
      if (this.allocationsOn(taskManager).some((a) => a.jobId === jobId)) this.leaving.settle(taskManager, { released: false, reason });
  }

  private settleFreedLeaves(): void {
    for (const taskManager of this.leaving.all)
      if (this.allocationsOn(taskManager).length === 0) this.leaving.settle(taskManager, { released: true });
  }

  /** Slots of the TaskManagers not leaving: the only ones a job may count on. */
  private offeredSlots(): Array<Array<Allocation | undefined>> {
    return [...this.allocations.entries()].filter(([taskManager]) => !this.leaving.has(taskManager)).map(([, slots]) => slots);
  }

  /** Every TaskManager whose slots the pool holds. */
  get taskManagers(): readonly RegisteredTaskManager[] {
    return [...this.allocations.keys()];
  }

  /** Allocations on one TaskManager, for REST and heartbeats. */
  allocationsOn(taskManager: RegisteredTaskManager): readonly Allocation[] {
    return (this.allocations.get(taskManager) ?? []).filter((a): a is Allocation => a !== undefined);
  }

  private notifyAvailable(): void {
    for (const listener of [...this.listeners.values()]) listener.onSlotsAvailable();
  }
}
