/**
 * How an incremental snapshot encodes one key group: nothing when it is unchanged since the base,
 * else a delta (the changed entries' current values, the removed entries' keys, and the group's
 * timers when they changed), unless the rebase rule asks for a fresh full base.
 */
import { UNCHANGED_GROUP } from '../task-contract.js';
import type { EpochClock } from './dirty-tracker.js';
import type { HeapState } from './heap-states.js';
import { shouldRebase, type IncrementalPlan } from './incremental-snapshots.js';
import type { ChunkTimer, KeyGroupChunkWriter } from './key-group-chunk.js';
import type { GroupChunk } from './key-group-snapshot.js';

/**
 * The delta of group offset `g` (key group `keyGroup`) since epoch `since`; undefined when nothing
 * changed after all (every change was older than the base).
 */
export function encodeDeltaChunk(
  writer: KeyGroupChunkWriter,
  keyGroup: number,
  g: number,
  since: number,
  states: ReadonlyArray<readonly [string, HeapState]>,
  timers: ReadonlyArray<readonly [string, ChunkTimer[]]> | undefined,
  clock: EpochClock,
  borrow: boolean,
): Uint8Array | undefined {
  writer.begin(keyGroup, true);
  for (const [name, state] of states) {
    const table = state.table;
    const changed = table.dirty === undefined ? [] : [...table.dirty.since(g, since)];
    if (changed.length === 0) continue;
    const now = changed.map((ref) => table.get(g, ref.canonicalKey, ref.namespace.nsKey));
    writer.writeState(name, state.descriptor.kind, state.codec, (visit) => {
      changed.forEach((ref, i) => {
        if (now[i] !== undefined) visit(ref.key, ref.namespace, now[i]);
      });
    });
    writer.writeRemovals(
      name,
      state.descriptor.kind,
      changed.filter((_, i) => now[i] === undefined),
    );
  }
  if (clock.timersChangedSince(g, since)) {
    writer.resetTimers();
    for (const [service, list] of timers ?? []) writer.writeTimers(service, list);
  }
  return writer.finish(borrow);
}

/** Group offset `g` of an incremental snapshot: unchanged, a delta, or a fresh base, with the chain shape it leaves recorded in `plan`. */
export function encodeGroupIncrementally(
  keyGroup: number,
  g: number,
  plan: IncrementalPlan,
  clock: EpochClock,
  encodeFull: (g: number, borrow: boolean) => Uint8Array | undefined,
  encodeDelta: (g: number, since: number, borrow: boolean) => Uint8Array | undefined,
  borrow: boolean,
): GroupChunk {
  const base = plan.base;
  if (base !== undefined) {
    const delta = clock.changedSince(g, base.epoch) ? encodeDelta(g, base.epoch, borrow) : undefined;
    if (delta === undefined) {
      plan.next.keep(base.stats, g);
      return UNCHANGED_GROUP;
    }
    const stats = base.stats;
    if (plan.deferRebase || !shouldRebase(keyGroup, stats.base[g]!, stats.deltas[g]!, stats.count[g]!, delta.byteLength)) {
      plan.next.addDelta(stats, g, delta.byteLength);
      return delta;
    }
  }
  // A borrowed delta is dropped here: the full encoding reuses its buffer.
  const full = encodeFull(g, borrow);
  plan.next.setFull(g, full?.byteLength ?? 0);
  return full;
}
