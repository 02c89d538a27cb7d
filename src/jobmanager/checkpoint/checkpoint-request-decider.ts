import type { BarrierKind } from '../../rpc/gateways/checkpoint-messages.js';
import { CheckpointError } from './checkpoint-failure.js';
import type { CompletedCheckpoint } from './completed-checkpoint.js';

/** Flink's bound on queued trigger requests. */
export const MAX_QUEUED_REQUESTS = 1000;

/** A request to take a checkpoint or savepoint, settled when it completes or fails. */
export interface CheckpointRequest {
  readonly kind: BarrierKind;
  /** Issued by the periodic scheduler (subject to min-pause). */
  readonly periodic: boolean;
  readonly targetDirectory: string | undefined;
  /** A stop-with-savepoint that drains: sources end their input before the barrier. */
  readonly drain?: boolean;
  /** A checkpoint a planned rescale ends its run with: sources stop emitting after its barrier. */
  readonly haltSources?: boolean;
  resolve(checkpoint: CompletedCheckpoint): void;
  reject(error: Error): void;
}

/** What the coordinator is doing when the decider looks at the queue. */
export interface CoordinatorActivity {
  readonly triggering: boolean;
  readonly pending: number;
  readonly lastCompletionTimestamp: number;
  readonly now: number;
}

/** The decider's answer: a request to run now, or a delay after which the periodic scheduler should try again. */
export interface Decision {
  readonly execute?: CheckpointRequest;
  readonly rescheduleAfterMs?: number;
}

/**
 * Queues trigger requests and picks the next one to run, as Flink's CheckpointRequestDecider:
 * savepoints and manual requests go before periodic ones; nothing runs while a trigger is in
 * progress; only savepoints (forced) run while max-concurrent checkpoints are pending; a periodic
 * request inside the min-pause is dropped and the scheduler told when to retry.
 */
export class CheckpointRequestDecider {
  private queue: CheckpointRequest[] = [];

  constructor(
    private readonly maxConcurrent: number,
    private readonly minPauseMs: number,
    private readonly maxQueued = MAX_QUEUED_REQUESTS,
  ) {}

  get queued(): number {
    return this.queue.length;
  }

  hasQueuedPeriodic(): boolean {
    return this.queue.some((request) => request.periodic);
  }

  /** Queues `request` and decides what to run. */
  offer(request: CheckpointRequest, activity: CoordinatorActivity): Decision {
    const last = this.queue[this.queue.length - 1];
    if (this.queue.length >= this.maxQueued && last !== undefined && !last.periodic) {
      request.reject(new CheckpointError('TOO_MANY_CHECKPOINT_REQUESTS'));
      return {};
    }
    if (request.periodic) {
      this.queue.push(request);
    } else {
      const firstPeriodic = this.queue.findIndex((queued) => queued.periodic);
      this.queue.splice(firstPeriodic < 0 ? this.queue.length : firstPeriodic, 0, request);
    }
    if (this.queue.length > this.maxQueued) this.queue.pop()!.reject(new CheckpointError('TOO_MANY_CHECKPOINT_REQUESTS'));
    return this.next(activity);
  }

  /** Decides whether a queued request can run now. */
  next(activity: CoordinatorActivity): Decision {
    const first = this.queue[0];
    if (activity.triggering || first === undefined) return {};
    if (activity.pending >= this.maxConcurrent) {
      return isForced(first) ? { execute: this.queue.shift()! } : {};
    }
    if (first.periodic) {
      const wait = activity.lastCompletionTimestamp + this.minPauseMs - activity.now;
      if (wait > 0) {
        this.queue.shift()!.reject(new CheckpointError('MINIMUM_TIME_BETWEEN_CHECKPOINTS'));
        return { rescheduleAfterMs: wait };
      }
    }
    return { execute: this.queue.shift()! };
  }

  /** Empties the queue, returning what was in it. */
  drain(): CheckpointRequest[] {
    const drained = this.queue;
    this.queue = [];
    return drained;
  }
}

/** Savepoints ignore max-concurrent (Flink's forced property). */
function isForced(request: CheckpointRequest): boolean {
  return request.kind !== 'CHECKPOINT';
}
