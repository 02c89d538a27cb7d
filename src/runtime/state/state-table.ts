/** The storage of one keyed state: per key group, per key, per namespace, one entry. */
import type { Namespace } from './namespace.js';
import type { StateKind } from './state-descriptors.js';

/** One stored value with the original key and namespace it belongs to, kept for snapshots. */
export interface StateEntry {
  readonly key: unknown;
  readonly namespace: Namespace;
  value: unknown;
}

type KeyMap = Map<unknown, Map<string, StateEntry>>;

/** All entries of one named state of one operator, indexed by key-group offset in the subtask's range. */
export class StateTable {
  private readonly groups: (KeyMap | undefined)[];

  constructor(readonly name: string, readonly kind: StateKind, numKeyGroups: number) {
    this.groups = new Array<KeyMap | undefined>(numKeyGroups);
  }

  get(groupIndex: number, canonicalKey: unknown, nsKey: string): StateEntry | undefined {
    return this.groups[groupIndex]?.get(canonicalKey)?.get(nsKey);
  }

  put(groupIndex: number, canonicalKey: unknown, key: unknown, namespace: Namespace, value: unknown): void {
    let keys = this.groups[groupIndex];
    if (keys === undefined) {
      keys = new Map();
      this.groups[groupIndex] = keys;
    }
    let byNs = keys.get(canonicalKey);
    if (byNs === undefined) {
      byNs = new Map();
      keys.set(canonicalKey, byNs);
    }
    const entry = byNs.get(namespace.nsKey);
    if (entry === undefined) byNs.set(namespace.nsKey, { key, namespace, value });
    else entry.value = value;
  }

  remove(groupIndex: number, canonicalKey: unknown, nsKey: string): void {
    const keys = this.groups[groupIndex];
    const byNs = keys?.get(canonicalKey);
    if (byNs === undefined) return;
    byNs.delete(nsKey);
    if (byNs.size === 0) keys!.delete(canonicalKey);
  }

  /** Every entry of one key group, for a snapshot. */
  *entriesOfGroup(groupIndex: number): IterableIterator<StateEntry> {
    const keys = this.groups[groupIndex];
    if (keys === undefined) return;
    for (const byNs of keys.values()) yield* byNs.values();
  }

  /** Every (canonical key, namespace key) pair with an entry, across all groups. */
  *allEntries(): IterableIterator<StateEntry> {
    for (let g = 0; g < this.groups.length; g++) yield* this.entriesOfGroup(g);
  }

  /** Number of key/namespace entries, for tests and metrics. */
  size(): number {
    let n = 0;
    for (const keys of this.groups) if (keys !== undefined) for (const byNs of keys.values()) n += byNs.size;
    return n;
  }
}
