import type { LeaveOutcome } from '../../rpc/gateways/resource-manager-gateway.js';
import type { RegisteredTaskManager } from '../resourcemanager/registered-task-manager.js';

interface Leave {
  /** Wall-clock ms by which the jobs should have moved off it (the TaskManager gives up after). */
  readonly deadline: number;
  readonly settle: (outcome: LeaveOutcome) => void;
}

/**
 * TaskManagers that announced they are leaving, each with the answer it awaits. Their slots are
 * offered to no job; the answer goes out once, when no job holds their slots any more, a job
 * refuses to move first, or the TaskManager goes away.
 */
export class LeavingTaskManagers {
  private readonly leaves = new Map<RegisteredTaskManager, Leave>();

  constructor(private readonly clock: () => number = Date.now) {}

  has(taskManager: RegisteredTaskManager): boolean {
    return this.leaves.has(taskManager);
  }

  get all(): readonly RegisteredTaskManager[] {
    return [...this.leaves.keys()];
  }

  /** Starts waiting for `taskManager` to be free; a repeated announcement gets the first one's answer too. */
  add(taskManager: RegisteredTaskManager, timeoutMs: number): Promise<LeaveOutcome> {
    const previous = this.leaves.get(taskManager);
    return new Promise((resolve) => {
      const settle = (outcome: LeaveOutcome): void => {
        previous?.settle(outcome);
        resolve(outcome);
      };
      this.leaves.set(taskManager, { deadline: previous?.deadline ?? this.clock() + timeoutMs, settle });
    });
  }

  /** Milliseconds left until the TaskManager's deadline (never negative). */
  remainingMs(taskManager: RegisteredTaskManager): number {
    const leave = this.leaves.get(taskManager);
    return leave === undefined ? 0 : Math.max(0, leave.deadline - this.clock());
  }

  /** Answers the TaskManager, if it still waits. Its slots stay withheld until it is gone. */
  settle(taskManager: RegisteredTaskManager, outcome: LeaveOutcome): void {
    const leave = this.leaves.get(taskManager);
    if (leave === undefined) return;
    this.leaves.set(taskManager, { deadline: leave.deadline, settle: () => undefined });
    leave.settle(outcome);
  }

  /** The TaskManager is gone: an answer still owed says so, and it is forgotten. */
  remove(taskManager: RegisteredTaskManager, reason: string): void {
    this.settle(taskManager, { released: false, reason });
    this.leaves.delete(taskManager);
  }
}
