/**
 * Copy-on-write per entry, as Flink's CopyOnWriteStateMap does it: while a snapshot has not yet
 * written a group it froze, the first change to one of the group's entries records the value the
 * entry had at the barrier. Freezing a group costs nothing, and a snapshot keeps only what changed,
 * where copying every entry of a group at its first change made a 1 GB checkpoint copy 2 million
 * entries and left them to the garbage collector.
 *
 * An entry is named by its slot: the canonical key of a value without a namespace, the entry
 * object of a namespaced one (the state table's two layouts).
 */
import type { Namespace } from './namespace.js';
import type { StateEntry } from './state-table.js';

/** Marks an entry added after the barrier: the snapshot leaves it out. */
export const ADDED_AFTER_BARRIER: unique symbol = Symbol('added after the barrier');

/** The barrier-time values of one frozen group's changed entries, and its entries removed since. */
export interface BarrierValues {
  /** Slot → its value at the barrier, or ADDED_AFTER_BARRIER. */
  readonly values: Map<unknown, unknown>;
  /** Entries the group held at the barrier and no longer holds, with their values then. */
  readonly removed: StateEntry[];
}

/** What one snapshot keeps of one state table, for the groups it froze and has not written yet. */
export class EntryKeeper {
  private readonly groups = new Map<number, BarrierValues>();

  /** Group offset `g` is frozen: from now on its changes are recorded until `release(g)`. */
  track(g: number): void {
    if (!this.groups.has(g)) this.groups.set(g, { values: new Map(), removed: [] });
  }

  /** The group was written (or the snapshot dropped it): nothing more is kept for it. */
  release(g: number): void {
    this.groups.delete(g);
  }

  /** The entry at `slot` of group `g`, which holds `value`, is about to get a new one. */
  changing(g: number, slot: unknown, value: unknown): void {
    const kept = this.groups.get(g);
    if (kept !== undefined && !kept.values.has(slot)) kept.values.set(slot, value);
  }

  /** An entry at `slot` is about to be added to group `g`. */
  added(g: number, slot: unknown): void {
    const kept = this.groups.get(g);
    if (kept !== undefined && !kept.values.has(slot)) kept.values.set(slot, ADDED_AFTER_BARRIER);
  }

  /** The entry at `slot` of group `g`, (key, namespace) holding `value`, is about to be removed. */
  removing(g: number, slot: unknown, key: unknown, namespace: Namespace, value: unknown): void {
    const kept = this.groups.get(g);
    if (kept === undefined) return;
    const atBarrier = kept.values.has(slot) ? kept.values.get(slot) : value;
    // The slot may be filled again: that is an entry added after the barrier.
    kept.values.delete(slot);
    if (atBarrier !== ADDED_AFTER_BARRIER) kept.removed.push({ key, namespace, value: atBarrier });
  }

  /** What changed in group `g` since the barrier, when the group is frozen. */
  barrierValues(g: number): BarrierValues | undefined {
    return this.groups.get(g);
  }
}
