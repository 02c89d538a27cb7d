import type { ExecutionAttemptId, JobId, OperatorId, VertexId } from '../../core/ids.js';
import type { BarrierKind, CheckpointAcknowledgement, SubtaskStateHandle } from '../../rpc/gateways/checkpoint-messages.js';
import type { ScheduledAction } from './checkpoint-clock.js';
import type { CompletedCheckpoint, OperatorSnapshot, VertexSnapshotInfo } from './completed-checkpoint.js';

/** A subtask as the coordinator sees it: where to send commits and aborts. */
export interface CheckpointCommitTarget {
  readonly attemptId: ExecutionAttemptId;
  readonly vertexId: VertexId;
  readonly subtaskIndex: number;
  notifyComplete(checkpointId: number): void;
  notifyAborted(checkpointId: number): void;
}

/** One subtask's acknowledgement as recorded by a pending checkpoint. */
export interface AcknowledgedSubtask {
  readonly target: CheckpointCommitTarget;
  readonly state: SubtaskStateHandle;
  readonly ackTimestamp: number;
}

/** Outcome of offering an acknowledgement to a pending checkpoint. */
export type AcknowledgeResult = 'SUCCESS' | 'DUPLICATE' | 'UNKNOWN' | 'DISCARDED';

/**
 * A triggered checkpoint waiting for every subtask's acknowledgement. It knows the tasks it waits
 * for and commits to (fixed when triggered), collects their state handles and turns into a
 * CompletedCheckpoint once all are in.
 */
export class PendingCheckpoint {
  readonly acknowledged = new Map<string, AcknowledgedSubtask>();
  private readonly notYetAcknowledged: Map<string, CheckpointCommitTarget>;
  private disposed = false;
  /** The timer that expires this checkpoint. */
  timeout: ScheduledAction | undefined;

  constructor(
    readonly jobId: JobId,
    readonly id: number,
    readonly kind: BarrierKind,
    readonly triggerTimestamp: number,
    readonly vertices: readonly VertexSnapshotInfo[],
    readonly commitTargets: readonly CheckpointCommitTarget[],
    /** Where a savepoint goes; undefined for checkpoints. */
    readonly targetDirectory: string | undefined,
  ) {
    this.notYetAcknowledged = new Map(commitTargets.map((target) => [target.attemptId, target]));
  }

  get isSavepoint(): boolean {
    return this.kind !== 'CHECKPOINT';
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  get numberOfSubtasks(): number {
    return this.commitTargets.length;
  }

  isFullyAcknowledged(): boolean {
    return this.notYetAcknowledged.size === 0 && !this.disposed;
  }

  /** Whether `attemptId` is one of the subtasks this checkpoint waits for or has heard from. */
  involves(attemptId: ExecutionAttemptId): boolean {
    return this.notYetAcknowledged.has(attemptId) || this.acknowledged.has(attemptId);
  }

  acknowledge(ack: CheckpointAcknowledgement, now: number): { result: AcknowledgeResult; subtask?: AcknowledgedSubtask } {
    if (this.disposed) return { result: 'DISCARDED' };
    const target = this.notYetAcknowledged.get(ack.attemptId);
    if (target === undefined) return { result: this.acknowledged.has(ack.attemptId) ? 'DUPLICATE' : 'UNKNOWN' };
    this.notYetAcknowledged.delete(ack.attemptId);
    const subtask: AcknowledgedSubtask = { target, state: ack.state, ackTimestamp: now };
    this.acknowledged.set(ack.attemptId, subtask);
    return { result: 'SUCCESS', subtask };
  }

  /** Stops the timer and marks the checkpoint as over; later acknowledgements are discarded. */
  dispose(): void {
    this.disposed = true;
    this.timeout?.cancel();
    this.timeout = undefined;
  }

  /** The checkpoint as completed, before storage gives it a location. */
  toCompleted(completionTimestamp: number): CompletedCheckpoint {
    let stateSize = 0;
    for (const subtask of this.acknowledged.values()) stateSize += subtask.state.stateSize;
    return {
      jobId: this.jobId,
      id: this.id,
      kind: this.kind,
      triggerTimestamp: this.triggerTimestamp,
      completionTimestamp,
      vertices: this.vertices,
      operators: this.operatorSnapshots(),
      externalPath: undefined,
      directory: undefined,
      stateSize,
    };
  }

  private operatorSnapshots(): OperatorSnapshot[] {
    const byOperator = new Map<OperatorId, { vertex: VertexSnapshotInfo; states: OperatorSnapshot['subtaskStates'][number][] }>();
    const vertexById = new Map(this.vertices.map((vertex) => [vertex.vertexId, vertex]));
    for (const vertex of this.vertices) {
      for (const operatorId of vertex.operatorIds)
        byOperator.set(operatorId, { vertex, states: new Array(vertex.parallelism).fill(undefined) });
    }
    for (const { target, state } of this.acknowledged.values()) {
      const vertex = vertexById.get(target.vertexId);
      if (vertex === undefined) continue;
      for (const handle of state.operators) {
        let entry = byOperator.get(handle.operatorId);
        if (entry === undefined) {
          entry = { vertex, states: new Array(vertex.parallelism).fill(undefined) };
          byOperator.set(handle.operatorId, entry);
        }
        entry.states[target.subtaskIndex] = handle;
      }
    }
    return [...byOperator].map(([operatorId, { vertex, states }]) => ({
      operatorId,
      vertexId: vertex.vertexId,
      parallelism: vertex.parallelism,
      maxParallelism: vertex.maxParallelism,
      subtaskStates: states,
    }));
  }
}
