/** Flink's SPLIT_DISTRIBUTE redistribution of one named list state, for restore tests. */
import type { OperatorSnapshotData, RestoredOperatorState } from '../../../../src/runtime/task-contract.js';

/** Concatenates every old subtask's entries in order and cuts them into contiguous, balanced chunks. */
export function redistribute(snapshots: readonly (OperatorSnapshotData | undefined)[], newParallelism: number): RestoredOperatorState[] {
  const operatorId = snapshots.find((s) => s !== undefined)!.operatorId;
  const byName = new Map<string, { mode: 'SPLIT_DISTRIBUTE' | 'UNION' | 'BROADCAST'; entries: Uint8Array[] }>();
  for (const snap of snapshots) {
    for (const ls of snap?.listStates ?? []) {
      const e = byName.get(ls.name) ?? byName.set(ls.name, { mode: ls.mode, entries: [] }).get(ls.name)!;
      e.entries.push(...ls.entries);
    }
  }
  return Array.from({ length: newParallelism }, (_, i) => ({
    operatorId,
    keyGroupChunks: [],
    listStates: [...byName].map(([name, { mode, entries }]) => {
      if (mode === 'UNION') return { name, mode, entries };
      const base = Math.floor(entries.length / newParallelism);
      const extra = entries.length % newParallelism;
      const start = i * base + Math.min(i, extra);
      return { name, mode, entries: entries.slice(start, start + base + (i < extra ? 1 : 0)) };
    }),
  }));
}
