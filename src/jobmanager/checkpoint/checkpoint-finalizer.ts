/**
 * The last step of a checkpoint, once every subtask acknowledged it: its metadata is written (last,
 * so a directory with `_metadata` is always whole), and the result is checked against what changed
 * while the subtasks wrote.
 */
import { rm } from 'node:fs/promises';
import { describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import { CheckpointError } from './checkpoint-failure.js';
import type { CheckpointStorage } from './checkpoint-storage.js';
import { describeKind, isSavepoint, type CompletedCheckpoint } from './completed-checkpoint.js';
import type { PendingCheckpoint } from './pending-checkpoint.js';
import type { SharedStateRegistry } from './shared-state-registry.js';

const log = getLogger('checkpoint.coordinator');

/** What finalizing needs from its coordinator. */
export interface FinalizeContext {
  readonly jobId: string;
  readonly storage: CheckpointStorage;
  readonly sharedState: SharedStateRegistry;
  /** True once the coordinator was shut down (its graph replaced) while the metadata was written. */
  isShutdown(): boolean;
}

/** A finalized checkpoint, or why it cannot complete. */
export type FinalizeOutcome = { readonly completed: CompletedCheckpoint } | { readonly failure: CheckpointError };

/**
 * Writes the metadata of a fully acknowledged checkpoint (or savepoint, into its target directory)
 * at `started`. It fails when the write fails, when the checkpoint references shared state already
 * deleted (a subtask built on a base it had not yet seen subsumed), or when the coordinator shut
 * down meanwhile (a checkpoint appearing after the new graph restored would be skipped silently).
 */
export async function finalizeCheckpoint(
  checkpoint: PendingCheckpoint,
  started: number,
  context: FinalizeContext,
): Promise<FinalizeOutcome> {
  let completed: CompletedCheckpoint;
  try {
    const raw = checkpoint.toCompleted(started);
    completed =
      checkpoint.targetDirectory === undefined
        ? await context.storage.finalizeCheckpoint(raw)
        : await context.storage.finalizeSavepoint(raw, checkpoint.targetDirectory);
  } catch (error) {
    log.warn(`Could not finalize ${describeKind(checkpoint.kind)} ${checkpoint.id} of job ${context.jobId}: ${describeError(error)}`);
    return {
      failure: new CheckpointError('FINALIZE_CHECKPOINT_FAILURE', describeError(error), { cause: error, checkpointId: checkpoint.id }),
    };
  }
  const missing = context.sharedState.missingFiles(completed);
  let failure: CheckpointError | undefined;
  if (missing.length > 0) {
    log.info(`Checkpoint ${checkpoint.id} of job ${context.jobId} references ${missing.length} shared state file(s) already deleted.`);
    failure = new CheckpointError('CHECKPOINT_SUBSUMED', `it builds on shared state already discarded (${missing[0]})`, {
      checkpointId: checkpoint.id,
    });
  }
  if (context.isShutdown()) {
    if (isSavepoint(completed) && completed.directory !== undefined)
      void rm(completed.directory, { recursive: true, force: true }).catch(() => undefined);
    failure = new CheckpointError('CHECKPOINT_COORDINATOR_SHUTDOWN', undefined, { checkpointId: checkpoint.id });
  }
  return failure === undefined ? { completed } : { failure };
}
