import { isSavepoint, type CompletedCheckpoint } from './completed-checkpoint.js';

/**
 * Flink's subsume rule: drop the oldest entries until at most `numRetained` remain, but never the
 * newest one and never the newest plain checkpoint (later restores and incremental state rely on
 * it), unless the newest is the savepoint that stopped the job. Savepoints are dropped from the
 * list like checkpoints; only their files are kept (the caller decides what to delete).
 * Returns the kept list (oldest first) and the dropped entries.
 */
export function subsume(
  checkpoints: readonly CompletedCheckpoint[],
  numRetained: number,
): { kept: CompletedCheckpoint[]; subsumed: CompletedCheckpoint[] } {
  const kept = [...checkpoints];
  const subsumed: CompletedCheckpoint[] = [];
  if (kept.length <= numRetained) return { kept, subsumed };
  const latest = kept[kept.length - 1];
  const latestCheckpoint = [...kept].reverse().find((checkpoint) => !isSavepoint(checkpoint));
  for (let i = 0; i < kept.length && kept.length > numRetained;) {
    const candidate = kept[i]!;
    const removable =
      candidate !== latest && (isSavepoint(candidate) || latest?.kind === 'SYNC_SAVEPOINT' || candidate !== latestCheckpoint);
    if (removable) {
      kept.splice(i, 1);
      subsumed.push(candidate);
    } else {
      i++;
    }
  }
  return { kept, subsumed };
}
