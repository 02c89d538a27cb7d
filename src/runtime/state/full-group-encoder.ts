/**
 * How a snapshot writes a key group in full: the registered states' entries, the sections a
 * restore left encoded (written on as they were read), the sections of states nobody registered
 * yet, and the group's timers. And, for states whose values are never changed in place, how a
 * group about to change is frozen (its entries kept copy-on-write), to be encoded later beside
 * processing.
 */
import { EntryKeeper } from './entry-keeper.js';
import type { HeapState } from './heap-states.js';
import type { ChunkTimer, EncodedStateSection, KeyGroupChunkWriter } from './key-group-chunk.js';
import type { GroupFreezer } from './key-group-snapshot.js';
import type { RestoredGroups, UnregisteredState } from './restored-groups.js';
import type { EntryVisitor } from './state-table.js';

/** What one snapshot writes its groups from, as it was at the barrier (timers are copied; the rest is copy-on-write). */
export interface GroupSources {
  /** The backend's first key group: group offset g is key group start + g. */
  readonly start: number;
  readonly states: ReadonlyArray<readonly [string, HeapState]>;
  readonly restored: RestoredGroups;
  /** Restored sections of states the operator has not registered. */
  readonly unregistered: ReadonlyArray<readonly [string, UnregisteredState]>;
  /** Timers by group offset, then by timer service. */
  readonly timers: ReadonlyMap<number, Array<[string, ChunkTimer[]]>>;
  readonly writer: KeyGroupChunkWriter;
}

/** One registered state's part of a key group in a snapshot. */
interface GroupPart {
  readonly name: string;
  readonly state: HeapState;
  /** Hands the part's entries to a visitor. */
  readonly entries: (visit: EntryVisitor) => void;
  readonly encoded: readonly EncodedStateSection[] | undefined;
}

/** A state's sections of group offset `g` not decoded since the restore, if any. */
function encodedOf(sources: GroupSources, state: HeapState, g: number): readonly EncodedStateSection[] | undefined {
  return sources.restored.deferredGroups === 0 ? undefined : sources.restored.sectionsOf(state, g);
}

function writeGroup(sources: GroupSources, g: number, parts: readonly GroupPart[], borrow: boolean): Uint8Array | undefined {
  const writer = sources.writer;
  writer.begin(sources.start + g);
  for (const { name, state, entries, encoded } of parts) {
    writer.writeState(name, state.descriptor.kind, state.codec, entries);
    // Bytes of a group not decoded since the restore go on as they were read.
    if (encoded !== undefined) writer.writeEncodedState(name, state.descriptor.kind, encoded);
  }
  for (const [name, stash] of sources.unregistered) {
    const sections = stash.byGroup.get(g);
    if (sections !== undefined) writer.writeEncodedState(name, stash.kind, sections);
  }
  for (const [service, list] of sources.timers.get(g) ?? []) writer.writeTimers(service, list);
  return writer.finish(borrow);
}

/** Encodes group offset `g` in full as it is now (undefined: nothing in it); `borrow` as KeyGroupChunkWriter.finish. */
export function fullGroupEncoder(sources: GroupSources): (g: number, borrow: boolean) => Uint8Array | undefined {
  return (g, borrow) =>
    writeGroup(
      sources,
      g,
      sources.states.map(([name, state]) => ({
        name,
        state,
        entries: (visit) => state.table.visitGroup(g, visit),
        encoded: encodedOf(sources, state, g),
      })),
      borrow,
    );
}

/**
 * Freezes groups when every state holds immutable values (undefined when one does not: its group
 * must be encoded at once). A frozen group costs nothing until an entry of it changes; the state
 * tables then keep that entry's value at the barrier (EntryKeeper) until the group is written.
 */
export function groupFreezer(sources: GroupSources): GroupFreezer | undefined {
  if (!sources.states.every(([, state]) => holdsImmutableValues(state))) return undefined;
  const keepers = sources.states.map(([, state]) => {
    const keeper = new EntryKeeper();
    state.table.keepers.push(keeper);
    return keeper;
  });
  return {
    freeze: (g) => {
      for (const keeper of keepers) keeper.track(g);
      // Sections still encoded since the restore are the group's barrier-time bytes; entries decoded
      // from them later count as added after the barrier.
      const encoded = sources.states.map(([, state]) => encodedOf(sources, state, g)?.slice());
      return (borrow) => {
        const parts = sources.states.map(([name, state], i): GroupPart => ({
          name,
          state,
          entries: (visit) => state.table.visitGroup(g, visit, keepers[i]!.barrierValues(g)),
          encoded: encoded[i],
        }));
        try {
          return writeGroup(sources, g, parts, borrow);
        } finally {
          for (const keeper of keepers) keeper.release(g);
        }
      };
    },
    dispose: () => {
      sources.states.forEach(([, state], i) => {
        const at = state.table.keepers.indexOf(keepers[i]!);
        if (at >= 0) state.table.keepers.splice(at, 1);
      });
    },
  };
}

/** Value types whose values are never changed in place: a held reference keeps the value as it was. */
const IMMUTABLE_KINDS: ReadonlySet<string> = new Set(['INT', 'LONG', 'DOUBLE', 'FLOAT', 'BOOLEAN', 'STRING']);

/** True for a value or reducing state of an immutable type: its values can be kept by reference instead of encoded. */
function holdsImmutableValues(state: HeapState): boolean {
  const descriptor = state.descriptor;
  return (
    (descriptor.kind === 'value' || descriptor.kind === 'reducing') &&
    descriptor.type !== undefined &&
    IMMUTABLE_KINDS.has(descriptor.type.kind)
  );
}
