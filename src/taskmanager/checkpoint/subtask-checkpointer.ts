import { join } from 'node:path';
import { describeError } from '../../core/errors.js';
import type { CheckpointAcknowledgement, CheckpointDecline } from '../../rpc/gateways/checkpoint-messages.js';
import type { TaskDeploymentDescriptor } from '../../rpc/gateways/task-deployment-descriptor.js';
import type { OperatorChain } from '../../runtime/task-contract.js';
import type { ChainOutputWriter } from '../network/chain-output-writer.js';
import type { LocalStateStore } from './local-state-store.js';
import { restoredChains } from './restore-resolver.js';
import type { CheckpointBarrier } from '../network/stream-elements.js';
import type { OperatorId } from '../../core/ids.js';
import type { GroupChain } from '../../rpc/gateways/task-deployment-descriptor.js';
import type { SnapshotTarget } from './slice-placer.js';
import { persistSnapshot, type PersistedSnapshot } from './snapshot-persister.js';

/** Where acknowledgements and declines go (the JobMaster, through the TaskManager's connection). */
export interface CheckpointResponder {
  acknowledge(ack: CheckpointAcknowledgement): void;
  decline(decline: CheckpointDecline): void;
}

/**
 * The file a subtask's snapshot of checkpoint `id` is written to: under Flink's `chk-<id>` directory,
 * or, for an incremental checkpoint, whose key groups later checkpoints may reference, under
 * `shared/chk-<id>` (removed with the checkpoint only if it was never completed; once completed,
 * the JobManager's shared-state registry deletes it when no retained checkpoint references it).
 */
export function snapshotFilePath(directory: string, tdd: TaskDeploymentDescriptor, checkpointId: number, shared = false): string {
  const name = `${tdd.vertexId}-${tdd.subtaskIndex}-${tdd.attemptNumber}`;
  return shared
    ? join(directory, tdd.jobId, 'shared', `chk-${checkpointId}`, name)
    : join(directory, tdd.jobId, `chk-${checkpointId}`, name);
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
  /**
   * Per keyed operator, the key-group chains of the incremental snapshots written, by checkpoint:
   * a later snapshot extends those of its base (the last completed one its state was told of).
   */
  private readonly chains = new Map<OperatorId, Map<number, GroupChain[]>>();
  /** Snapshots being written, by checkpoint: aborting one stops its write at the next slice. */
  private readonly writing = new Map<number, AbortController>();

  constructor(
    private readonly tdd: TaskDeploymentDescriptor,
    private readonly chain: OperatorChain,
    private readonly writer: ChainOutputWriter,
    private readonly responder: CheckpointResponder,
    private readonly localState?: LocalStateStore,
  ) {
    // The restored checkpoint's chains are the base of the first incremental snapshot, as the
    // keyed backends were told (RestoredOperatorState.incrementalBase).
    for (const operator of tdd.restore?.operators ?? []) {
      const chains = restoredChains(tdd, operator);
      if (chains !== undefined) this.chains.set(operator.operatorId, new Map([[tdd.restore!.checkpointId, [...chains]]]));
    }
  }

  /** Runs in the task's mailbox, at a point between records. */
  perform(barrier: CheckpointBarrier, alignmentDurationMs: number): void {
    if (barrier.checkpointId <= this.lastCheckpointId) return;
    this.lastCheckpointId = barrier.checkpointId;
    if (barrier.kind === 'SYNC_SAVEPOINT') this.pendingSyncSavepoint = barrier.checkpointId;
    const syncStart = performance.now();
    const savepoint = barrier.kind !== 'CHECKPOINT';
    const incremental = this.tdd.checkpointing.incremental === true && !savepoint;
    let snapshot;
    try {
      snapshot = this.chain.snapshotState(barrier.checkpointId, barrier.timestamp, {
        savepoint,
        incremental,
        deferRebase: barrier.halting,
      });
    } catch (error) {
      this.decline(barrier.checkpointId, `snapshot failed: ${describeError(error)}`);
      this.writer.broadcastEvent(barrier); // downstream alignment must still complete
      return;
    }
    this.writer.broadcastEvent(barrier);
    this.emittedAtSnapshot.set(barrier.checkpointId, this.writer.numRecordsOut);
    const syncDurationMs = performance.now() - syncStart;
    const asyncStart = performance.now();
    const bases = new Map(
      snapshot.flatMap((data) =>
        data.keyGroups?.baseCheckpointId === undefined ? [] : [[data.operatorId, data.keyGroups.baseCheckpointId]],
      ),
    );
    const write = new AbortController();
    this.writing.set(barrier.checkpointId, write);
    persistSnapshot(
      snapshot,
      this.target(barrier.checkpointId, incremental),
      (id, operatorId) => this.chains.get(operatorId)?.get(id),
      write.signal,
    ).then(
      (persisted) => {
        this.writing.delete(barrier.checkpointId);
        if (incremental) this.keepChains(barrier.checkpointId, persisted, bases);
        this.responder.acknowledge({
          jobId: this.tdd.jobId,
          attemptId: this.tdd.attemptId,
          checkpointId: barrier.checkpointId,
          state: {
            operators: persisted.operators,
            stateSize: persisted.stateSize,
            checkpointedSize: persisted.checkpointedSize,
            alignmentDurationMs,
            syncDurationMs,
            asyncDurationMs: performance.now() - asyncStart,
          },
        });
      },
      (error: unknown) => {
        this.writing.delete(barrier.checkpointId);
        // A write stopped on purpose: the JobManager gave the checkpoint up already.
        if (!write.signal.aborted) this.decline(barrier.checkpointId, `writing the snapshot failed: ${describeError(error)}`);
      },
    );
  }

  /** Stops the write of checkpoint `checkpointId` (aborted), or of every checkpoint (the task ended without finishing). */
  stopWriting(checkpointId?: number): void {
    for (const [id, write] of this.writing) if (checkpointId === undefined || id === checkpointId) write.abort();
  }

  /** Keeps the chains of checkpoint `id` for later snapshots; those older than what each operator builds on now can go. */
  private keepChains(id: number, persisted: PersistedSnapshot, bases: ReadonlyMap<OperatorId, number>): void {
    for (const [operatorId, chains] of persisted.chains) {
      let byCheckpoint = this.chains.get(operatorId);
      if (byCheckpoint === undefined) {
        byCheckpoint = new Map();
        this.chains.set(operatorId, byCheckpoint);
      }
      byCheckpoint.set(id, chains);
      const base = bases.get(operatorId);
      if (base !== undefined) for (const older of byCheckpoint.keys()) if (older < base) byCheckpoint.delete(older);
    }
  }

  /** A checkpoint completed: what was emitted before its snapshot will never be replayed. */
  onAborted(checkpointId: number): void {
    if (this.pendingSyncSavepoint === checkpointId) this.pendingSyncSavepoint = undefined;
  }

  onCompleted(checkpointId: number): void {
    // Older snapshots still being written are subsumed: no restore will ever read them.
    for (const [id, write] of this.writing) if (id < checkpointId) write.abort();
    this.retainLocalCopies(checkpointId);
    for (const [id, emitted] of this.emittedAtSnapshot) {
      if (id > checkpointId) continue;
      if (id === checkpointId) this.emittedAtLastCompleted = emitted;
      this.emittedAtSnapshot.delete(id);
    }
  }

  /** Local copies of this subtask's incremental files that checkpoint `checkpointId` does not reference can go. */
  private retainLocalCopies(checkpointId: number): void {
    if (this.localState === undefined || this.tdd.checkpointing.incremental !== true) return;
    const referenced = new Set<string>();
    let known = false;
    for (const byCheckpoint of this.chains.values()) {
      const chains = byCheckpoint.get(checkpointId);
      if (chains === undefined) continue;
      known = true;
      for (const chain of chains) for (const slice of [chain.base, ...chain.deltas]) if (slice?.kind === 'file') referenced.add(slice.path);
    }
    if (!known) return;
    const prefix = `${this.tdd.vertexId}-${this.tdd.subtaskIndex}-`;
    this.localState.retainShared(this.tdd.jobId, prefix, referenced).catch(() => undefined);
  }

  decline(checkpointId: number, reason: string): void {
    this.responder.decline({ jobId: this.tdd.jobId, attemptId: this.tdd.attemptId, checkpointId, reason });
  }

  private target(checkpointId: number, shared: boolean): SnapshotTarget {
    const directory = this.tdd.checkpointing.checkpointDirectory;
    if (directory === undefined) return { kind: 'memory' };
    const path = snapshotFilePath(directory, this.tdd, checkpointId, shared);
    const spareDirectory = this.tdd.checkpointing.spareDirectory;
    return {
      kind: 'file',
      path,
      copyPath: this.localState?.copyPathOf(path),
      inlineBelow: this.tdd.checkpointing.inlineThreshold,
      // A spare's name ends with the name of the file it was: this subtask's earlier ones come first.
      spares:
        spareDirectory === undefined ? undefined : { directory: spareDirectory, prefer: `-${this.tdd.vertexId}-${this.tdd.subtaskIndex}-` },
    };
  }
}
