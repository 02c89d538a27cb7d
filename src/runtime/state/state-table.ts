/** The storage of one keyed state: per key group, per key, per namespace, one entry. */
import type { Namespace } from './namespace.js';
import type { DirtyEntries } from './dirty-tracker.js';
import type { EntryKeeper } from './entry-keeper.js';
import type { StateKind } from './state-descriptors.js';

/** One stored value with the original key and namespace it belongs to, kept for snapshots. */
export interface StateEntry {
  readonly key: unknown;
  readonly namespace: Namespace;
  value: unknown;
}

type ScopedMap = Map<unknown, Map<string, StateEntry>>;

/** The entries of one key group: un-namespaced ones straight by key (the common case), the rest per key and namespace. */
interface GroupEntries {
  readonly plain: Map<unknown, StateEntry>;
  readonly scoped: ScopedMap;
}

const NO_ENTRIES: readonly StateEntry[] = [];

function* allOf(group: GroupEntries): IterableIterator<StateEntry> {
  yield* group.plain.values();
  for (const byNs of group.scoped.values()) yield* byNs.values();
}

/** The namespace key of VOID_NAMESPACE: state that is not scoped by a window. */
const VOID_NS_KEY = '';

/** All entries of one named state of one operator, indexed by key-group offset in the subtask's range. */
export class StateTable {
  private readonly groups: (GroupEntries | undefined)[];
  /** Bumped whenever an entry is added or removed, so a state may keep its last lookup until then. */
  version = 0;
  /** Changes recorded for incremental checkpoints; undefined until the backend starts tracking. */
  dirty: DirtyEntries | undefined = undefined;
  /** Running snapshots keeping barrier-time values of groups they froze; empty almost always. */
  readonly keepers: EntryKeeper[] = [];

  constructor(
    readonly name: string,
    readonly kind: StateKind,
    numKeyGroups: number,
  ) {
    this.groups = new Array<GroupEntries | undefined>(numKeyGroups);
  }

  get(groupIndex: number, canonicalKey: unknown, nsKey: string): StateEntry | undefined {
    const group = this.groups[groupIndex];
    if (group === undefined) return undefined;
    return nsKey === VOID_NS_KEY ? group.plain.get(canonicalKey) : group.scoped.get(canonicalKey)?.get(nsKey);
  }

  put(groupIndex: number, canonicalKey: unknown, key: unknown, namespace: Namespace, value: unknown): void {
    let group = this.groups[groupIndex];
    if (group === undefined) {
      group = { plain: new Map(), scoped: new Map() };
      this.groups[groupIndex] = group;
    }
    const nsKey = namespace.nsKey;
    let entries: Map<unknown, StateEntry>;
    if (nsKey === VOID_NS_KEY) {
      entries = group.plain;
    } else {
      let byNs = group.scoped.get(canonicalKey);
      if (byNs === undefined) {
        byNs = new Map();
        group.scoped.set(canonicalKey, byNs);
      }
      entries = byNs;
    }
    const slot = nsKey === VOID_NS_KEY ? canonicalKey : nsKey;
    const entry = entries.get(slot);
    if (entry !== undefined) {
      this.changing(groupIndex, entry);
      entry.value = value;
      return;
    }
    const added: StateEntry = { key, namespace, value };
    entries.set(slot, added);
    this.version++;
    for (const keeper of this.keepers) keeper.added(groupIndex, added);
  }

  /** `entry` of group offset `groupIndex` is about to be changed in place: snapshots keep its value first. */
  changing(groupIndex: number, entry: StateEntry): void {
    if (this.keepers.length === 0) return;
    for (const keeper of this.keepers) keeper.changing(groupIndex, entry);
  }

  remove(groupIndex: number, canonicalKey: unknown, nsKey: string): void {
    const group = this.groups[groupIndex];
    if (group === undefined) return;
    if (nsKey === VOID_NS_KEY) {
      if (this.keepers.length !== 0) this.removing(groupIndex, group.plain.get(canonicalKey));
      if (group.plain.delete(canonicalKey)) this.version++;
      return;
    }
    const byNs = group.scoped.get(canonicalKey);
    if (byNs !== undefined && this.keepers.length !== 0) this.removing(groupIndex, byNs.get(nsKey));
    if (byNs === undefined || !byNs.delete(nsKey)) return;
    this.version++;
    if (byNs.size === 0) group.scoped.delete(canonicalKey);
  }

  private removing(groupIndex: number, entry: StateEntry | undefined): void {
    if (entry !== undefined) for (const keeper of this.keepers) keeper.removing(groupIndex, entry);
  }

  /** Every entry of one key group, for a snapshot (the map's own iterator when nothing is scoped: a snapshot walks every entry). */
  entriesOfGroup(groupIndex: number): Iterable<StateEntry> {
    const group = this.groups[groupIndex];
    if (group === undefined) return NO_ENTRIES;
    if (group.scoped.size === 0) return group.plain.values();
    return allOf(group);
  }

  /** Every (canonical key, namespace key) pair with an entry, across all groups. */
  *allEntries(): IterableIterator<StateEntry> {
    for (let g = 0; g < this.groups.length; g++) yield* this.entriesOfGroup(g);
  }

  /** Number of key/namespace entries, for tests and metrics. */
  size(): number {
    let n = 0;
    for (const group of this.groups) {
      if (group === undefined) continue;
      n += group.plain.size;
      for (const byNs of group.scoped.values()) n += byNs.size;
    }
    return n;
  }
}
