import { join } from 'node:path';
import { describeError } from '../../core/errors.js';
import type { CheckpointAcknowledgement, CheckpointDecline } from '../../rpc/gateways/checkpoint-messages.js';
import type { TaskDeploymentDescriptor } from '../../rpc/gateways/task-deployment-descriptor.js';
import type { OperatorChain } from '../../runtime/task-contract.js';
import type { ChainOutputWriter } from '../network/chain-output-writer.js';
import type { LocalStateStore } from './local-state-store.js';
import type { CheckpointBarrier } from '../network/stream-elements.js';
import { persistSnapshot, type SnapshotTarget } from './snapshot-persister.js';

/** Where acknowledgements and declines go (the JobMaster, through the TaskManager's connection). */
export interface CheckpointResponder {
  acknowledge(ack: CheckpointAcknowledgement): void;
  decline(decline: CheckpointDecline): void;
}

/** The file a subtask's snapshot of checkpoint `id` is written to, under Flink's `chk-<id>` directory. */
export function snapshotFilePath(directory: string, tdd: TaskDeploymentDescriptor, checkpointId: number): string {
  return join(directory, tdd.jobId, `chk-${checkpointId}`, `${tdd.vertexId}-${tdd.subtaskIndex}-${tdd.attemptNumber}`);
}

/**
 * Takes a subtask's part of a checkpoint: snapshots the chain between two records (list state is
 * copied, keyed state is copy-on-write, so the pause does not grow with the state), sends the
 * barrier downstream, then writes the snapshot and acknowledges in the background while records
 * keep flowing.
 */
export class SubtaskCheckpointer {
  /** The newest checkpoint this subtask snapshotted; older triggers are stale. */
  lastCheckpointId = 0;
  /**
   * The synchronous savepoint this subtask snapshotted and that has neither completed nor been
   * aborted: the job is stopping on it, and its commit must still happen.
   */
  pendingSyncSavepoint: number | undefined;
  /** Records the chain had emitted at each snapshot still waiting for completion. */
  private readonly emittedAtSnapshot = new Map<number, number>();
  /** Records emitted up to the last completed checkpoint: a restore replays everything after it. */
  emittedAtLastCompleted = 0;

  constructor(
    private readonly tdd: TaskDeploymentDescriptor,
    private readonly chain: OperatorChain,
    private readonly writer: ChainOutputWriter,
    private readonly responder: CheckpointResponder,
    private readonly localState?: LocalStateStore,
  ) {}

  /** Runs in the task's mailbox, at a point between records. */
  perform(barrier: CheckpointBarrier, alignmentDurationMs: number): void {
    if (barrier.checkpointId <= this.lastCheckpointId) return;
    this.lastCheckpointId = barrier.checkpointId;
    if (barrier.kind === 'SYNC_SAVEPOINT') this.pendingSyncSavepoint = barrier.checkpointId;
    const syncStart = performance.now();
    let snapshot;
    try {
      snapshot = this.chain.snapshotState(barrier.checkpointId, barrier.timestamp);
    } catch (error) {
      this.decline(barrier.checkpointId, `snapshot failed: ${describeError(error)}`);
      this.writer.broadcastEvent(barrier); // downstream alignment must still complete
      return;
    }
    this.writer.broadcastEvent(barrier);
    this.emittedAtSnapshot.set(barrier.checkpointId, this.writer.numRecordsOut);
    const syncDurationMs = performance.now() - syncStart;
    const asyncStart = performance.now();
    persistSnapshot(snapshot, this.target(barrier.checkpointId)).then(
      (persisted) =>
        this.responder.acknowledge({
          jobId: this.tdd.jobId,
          attemptId: this.tdd.attemptId,
          checkpointId: barrier.checkpointId,
          state: { ...persisted, alignmentDurationMs, syncDurationMs, asyncDurationMs: performance.now() - asyncStart },
        }),
      (error: unknown) => this.decline(barrier.checkpointId, `writing the snapshot failed: ${describeError(error)}`),
    );
  }

  /** A checkpoint completed: what was emitted before its snapshot will never be replayed. */
  onAborted(checkpointId: number): void {
    if (this.pendingSyncSavepoint === checkpointId) this.pendingSyncSavepoint = undefined;
  }

  onCompleted(checkpointId: number): void {
    for (const [id, emitted] of this.emittedAtSnapshot) {
      if (id > checkpointId) continue;
      if (id === checkpointId) this.emittedAtLastCompleted = emitted;
      this.emittedAtSnapshot.delete(id);
    }
  }

  decline(checkpointId: number, reason: string): void {
    this.responder.decline({ jobId: this.tdd.jobId, attemptId: this.tdd.attemptId, checkpointId, reason });
  }

  private target(checkpointId: number): SnapshotTarget {
    const directory = this.tdd.checkpointing.checkpointDirectory;
    if (directory === undefined) return { kind: 'memory' };
    const path = snapshotFilePath(directory, this.tdd, checkpointId);
    return { kind: 'file', path, copyPath: this.localState?.copyPathOf(path) };
  }
}
