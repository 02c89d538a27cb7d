import { KeyGroupSnapshot } from '../../src/runtime/state/key-group-snapshot.js';
import type { KeyedStateSnapshot } from '../../src/runtime/task-contract.js';

/** A keyed snapshot whose chunks are given already encoded, for tests of what writes and reads them. */
export function encodedKeyGroups(start: number, chunks: ReadonlyArray<Uint8Array | undefined>): KeyedStateSnapshot {
  return new KeyGroupSnapshot(
    start,
    chunks.length,
    (offset) => chunks[offset],
    () => undefined,
  );
}
