/**
 * Keyed state a restore has read but not decoded yet. A restore reads and checks every key group's
 * bytes, but rebuilds a group's entries only on the group's first access; a snapshot taken before
 * then writes the bytes on as they are. So a subtask runs again as soon as its state is read, not
 * once every entry is rebuilt (at 1 GB that is seconds), and groups no record touches stay compact.
 */
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import { canonicalKey, type TypeSerializer } from '../serialization/index.js';
import { StateError } from '../runtime-errors.js';
import type { HeapState } from './heap-states.js';
import { readStateSection, type ChunkTimer, type EncodedStateSection } from './key-group-chunk.js';
import type { Namespace } from './namespace.js';
import type { StateKind } from './state-descriptors.js';

/** A timer read back from a snapshot, ready for its timer service. */
export interface RestoredTimer {
  readonly key: unknown;
  readonly canonicalKey: unknown;
  readonly groupIndex: number;
  readonly namespace: Namespace;
  readonly timestamp: number;
  readonly domain: number;
}

/** Restored entries of a state the operator has not registered yet: its value type is still unknown. */
export interface UnregisteredState {
  readonly kind: StateKind;
  readonly byGroup: Map<number, EncodedStateSection[]>;
}

/** One registered state's sections of one group, in the order they apply (a base, then deltas). */
interface DeferredSections {
  readonly state: HeapState;
  readonly sections: EncodedStateSection[];
}

/** The restored, not yet decoded keyed state of one backend, by key-group offset in its range. */
export class RestoredGroups {
  /** Sections of states nobody registered yet, by state name. */
  readonly unregistered = new Map<string, UnregisteredState>();
  /** Restored timers, by timer service, until the service takes them. */
  readonly timers = new Map<string, RestoredTimer[]>();
  private readonly deferred: (DeferredSections[] | undefined)[];
  /** Groups with sections still to decode: zero keeps the per-record check to one comparison. */
  deferredGroups = 0;

  constructor(
    numKeyGroups: number,
    private readonly keySerializer: TypeSerializer<unknown>,
    private readonly keyType: TypeDescriptor | undefined,
  ) {
    this.deferred = new Array<DeferredSections[] | undefined>(numKeyGroups);
  }

  /** True when group offset `g` has sections still to decode. */
  isDeferred(g: number): boolean {
    return this.deferred[g] !== undefined;
  }

  /** A restored section of a state: kept for its group's first access (registered) or its registration. */
  add(g: number, section: EncodedStateSection, live: HeapState | undefined): void {
    if (live !== undefined) {
      if (live.descriptor.kind !== section.kind) {
        throw new StateError(
          `State '${section.name}' was a ${section.kind} state in the checkpoint and is now used as a ${live.descriptor.kind} state`,
        );
      }
      this.defer(live, g, [section]);
      return;
    }
    let stash = this.unregistered.get(section.name);
    if (stash === undefined) {
      stash = { kind: section.kind, byGroup: new Map() };
      this.unregistered.set(section.name, stash);
    }
    const list = stash.byGroup.get(g);
    if (list === undefined) stash.byGroup.set(g, [section]);
    else list.push(section);
  }

  /** The operator registered `state`: what was restored for it waits for each group's first access. */
  register(state: HeapState): void {
    const name = state.descriptor.name;
    const stash = this.unregistered.get(name);
    if (stash === undefined) return;
    if (stash.kind !== state.descriptor.kind) {
      throw new StateError(
        `State '${name}' was a ${stash.kind} state in the checkpoint and is now asked for as a ${state.descriptor.kind} state`,
      );
    }
    this.unregistered.delete(name);
    for (const [g, sections] of stash.byGroup) this.defer(state, g, sections);
  }

  /** The sections of `state` in group offset `g` still encoded; undefined once decoded or when there are none. */
  sectionsOf(state: HeapState, g: number): EncodedStateSection[] | undefined {
    return this.deferred[g]?.find((d) => d.state === state)?.sections;
  }

  /** Decodes every deferred section of group offset `g` into its state's table: the group is about to be used. */
  load(g: number): void {
    const list = this.deferred[g];
    if (list === undefined) return;
    this.deferred[g] = undefined;
    this.deferredGroups--;
    for (const { state, sections } of list) for (const section of sections) this.decode(state, g, section);
  }

  /** Entries of `state` still encoded, counted from the sections (puts only; for tests). */
  deferredEntries(state: HeapState): number {
    let n = 0;
    for (const list of this.deferred)
      for (const d of list ?? []) if (d.state === state) for (const s of d.sections) if (s.removed !== true) n += s.count;
    return n;
  }

  /** True while anything restored is still held here rather than in a state table or timer service. */
  get holdsAny(): boolean {
    return this.deferredGroups > 0 || this.unregistered.size > 0 || this.timers.size > 0;
  }

  addTimers(service: string, g: number, timers: readonly ChunkTimer[]): void {
    let list = this.timers.get(service);
    if (list === undefined) {
      list = [];
      this.timers.set(service, list);
    }
    for (const { key, namespace, timestamp, domain } of timers) {
      list.push({ key, canonicalKey: canonicalKey(key, this.keyType), groupIndex: g, namespace, timestamp, domain });
    }
  }

  /** A delta replaces group offset `g`'s timers: those restored from earlier chunks go. */
  dropTimers(g: number): void {
    for (const [service, list] of this.timers) {
      this.timers.set(
        service,
        list.filter((timer) => timer.groupIndex !== g),
      );
    }
  }

  /** Hands the restored timers of one timer service over, once. */
  takeTimers(service: string): RestoredTimer[] {
    const timers = this.timers.get(service) ?? [];
    this.timers.delete(service);
    return timers;
  }

  private defer(state: HeapState, g: number, sections: readonly EncodedStateSection[]): void {
    let list = this.deferred[g];
    if (list === undefined) {
      list = [];
      this.deferred[g] = list;
      this.deferredGroups++;
    }
    const existing = list.find((d) => d.state === state);
    if (existing === undefined) list.push({ state, sections: [...sections] });
    else existing.sections.push(...sections);
  }

  /** Applies one section to its table: puts, or a delta's removals. */
  private decode(state: HeapState, g: number, section: EncodedStateSection): void {
    const table = state.table;
    const keyType = this.keyType;
    readStateSection(
      section,
      this.keySerializer,
      state.codec,
      (key, namespace, value) => table.put(g, canonicalKey(key, keyType), key, namespace, value),
      (key, namespace) => table.remove(g, canonicalKey(key, keyType), namespace.nsKey),
    );
  }
}
