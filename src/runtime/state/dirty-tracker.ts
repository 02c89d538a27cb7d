/**
 * Exact change tracking for incremental checkpoints. Every write through a keyed state (an update,
 * an add, a map put or remove, a clear) records its (key, namespace) with the current epoch; the
 * epoch advances at each incremental snapshot. A later snapshot relative to base checkpoint b then
 * writes, per key group, only the entries changed after b's epoch: the value they hold now, or a
 * removal when they are gone.
 */
import type { Namespace } from './namespace.js';

/** The epoch counter of one backend and, per key group, the epoch of its last change. */
export class EpochClock {
  /** Writes are stamped with this; a snapshot takes it and moves it on. */
  epoch = 1;
  /** Per group offset: the epoch of the last change of any entry or timer (0: none since tracking began). */
  readonly groupEpoch: Uint32Array;
  /** Per group offset: the epoch of the last change of a timer. */
  readonly timerEpoch: Uint32Array;

  constructor(numKeyGroups: number) {
    this.groupEpoch = new Uint32Array(numKeyGroups);
    this.timerEpoch = new Uint32Array(numKeyGroups);
  }

  /** Takes the epoch of a snapshot: changes after this call belong to the next one. */
  advance(): number {
    return this.epoch++;
  }

  markTimers(groupIndex: number): void {
    this.groupEpoch[groupIndex] = this.epoch;
    this.timerEpoch[groupIndex] = this.epoch;
  }

  /** Whether anything in group `groupIndex` changed after epoch `since`. */
  changedSince(groupIndex: number, since: number): boolean {
    return this.groupEpoch[groupIndex]! > since;
  }

  timersChangedSince(groupIndex: number, since: number): boolean {
    return this.timerEpoch[groupIndex]! > since;
  }
}

/** One changed (key, namespace) of a state: the originals, so a removal can be written. */
export interface DirtyRef {
  readonly canonicalKey: unknown;
  readonly key: unknown;
  readonly namespace: Namespace;
  epoch: number;
}

/** The changed entries of one state table, per key group. */
export class DirtyEntries {
  /** Per group: un-namespaced changes by canonical key, the rest by canonical key and namespace key. */
  private readonly plain: (Map<unknown, DirtyRef> | undefined)[];
  private readonly scoped: (Map<unknown, Map<string, DirtyRef>> | undefined)[];

  constructor(
    numKeyGroups: number,
    private readonly clock: EpochClock,
  ) {
    this.plain = new Array<Map<unknown, DirtyRef> | undefined>(numKeyGroups);
    this.scoped = new Array<Map<unknown, Map<string, DirtyRef>> | undefined>(numKeyGroups);
  }

  /** The entry (canonicalKey, namespace) of group `groupIndex` changed now. */
  mark(groupIndex: number, canonicalKey: unknown, key: unknown, namespace: Namespace): void {
    const epoch = this.clock.epoch;
    this.clock.groupEpoch[groupIndex] = epoch;
    let refs: Map<unknown, DirtyRef>;
    let slot: unknown;
    if (namespace.nsKey === '') {
      refs = this.plain[groupIndex] ??= new Map();
      slot = canonicalKey;
    } else {
      const byKey = (this.scoped[groupIndex] ??= new Map());
      let byNs = byKey.get(canonicalKey) as Map<string, DirtyRef> | undefined;
      if (byNs === undefined) {
        byNs = new Map();
        byKey.set(canonicalKey, byNs);
      }
      refs = byNs;
      slot = namespace.nsKey;
    }
    const ref = refs.get(slot);
    if (ref !== undefined) ref.epoch = epoch;
    else refs.set(slot, { canonicalKey, key, namespace, epoch });
  }

  /**
   * The entries of group `groupIndex` changed after epoch `since`. Older marks are dropped on the
   * way: the base only moves forward, so they are never asked for again.
   */
  *since(groupIndex: number, since: number): IterableIterator<DirtyRef> {
    const plain = this.plain[groupIndex];
    if (plain !== undefined) {
      for (const [slot, ref] of plain) {
        if (ref.epoch > since) yield ref;
        else plain.delete(slot);
      }
      if (plain.size === 0) this.plain[groupIndex] = undefined;
    }
    const scoped = this.scoped[groupIndex];
    if (scoped !== undefined) {
      for (const [ck, byNs] of scoped) {
        for (const [nsKey, ref] of byNs) {
          if (ref.epoch > since) yield ref;
          else byNs.delete(nsKey);
        }
        if (byNs.size === 0) scoped.delete(ck);
      }
      if (scoped.size === 0) this.scoped[groupIndex] = undefined;
    }
  }

  /** Number of changed entries held, for tests. */
  size(): number {
    let n = 0;
    for (const m of this.plain) n += m?.size ?? 0;
    for (const m of this.scoped) for (const byNs of m?.values() ?? []) n += byNs.size;
    return n;
  }
}
