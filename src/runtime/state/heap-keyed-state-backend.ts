/**
 * Keyed state on the heap, organised by key group so a snapshot is one chunk per group of the
 * subtask's range and a restore can load any set of groups (Flink's "hashmap" backend).
 */
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import { assignToKeyGroup, type KeyGroupRange } from '../keygroups/index.js';
import { canonicalKey, decodeValue, encodeValue } from '../serialization/index.js';
import { StateError } from '../runtime-errors.js';
import { createHeapState, type HeapState, type KeyContext } from './heap-states.js';
import { decodeKeyGroupChunk, encodeKeyGroupChunk, type ChunkStateEntry, type ChunkTimer, type KeyGroupChunk } from './key-group-chunk.js';
import { namespaceFromPlain, namespaceToPlain, type Namespace } from './namespace.js';
import type { AnyStateDescriptor, StateKind } from './state-descriptors.js';
import { StateTable } from './state-table.js';

/** A timer read back from a snapshot, ready for its timer service. */
export interface RestoredTimer {
  readonly key: unknown;
  readonly canonicalKey: unknown;
  readonly groupIndex: number;
  readonly namespace: Namespace;
  readonly timestamp: number;
  readonly domain: number;
}

/** Something that keeps timers in this backend's snapshot (the timer services of the operator). */
export interface TimerSnapshotSource {
  readonly name: string;
  /** The service's timers grouped by key-group offset. */
  snapshotTimers(encodeKey: (key: unknown) => Uint8Array): Map<number, ChunkTimer[]>;
}

interface PendingState {
  readonly kind: StateKind;
  readonly byGroup: Map<number, ChunkStateEntry[]>;
}

/** The keyed state of one operator in one subtask. */
export class HeapKeyedStateBackend implements KeyContext {
  currentKey: unknown = undefined;
  currentCanonicalKey: unknown = undefined;
  currentGroupIndex = -1;
  readonly numKeyGroups: number;
  private readonly start: number;
  private readonly states = new Map<string, HeapState>();
  private readonly pending = new Map<string, PendingState>();
  private readonly pendingTimers = new Map<string, RestoredTimer[]>();
  private readonly timerSources: TimerSnapshotSource[] = [];

  constructor(readonly keyType: TypeDescriptor | undefined, readonly maxParallelism: number, readonly keyGroupRange: KeyGroupRange) {
    this.start = keyGroupRange.startKeyGroup;
    this.numKeyGroups = keyGroupRange.size();
  }

  /** Makes `key` the current key; every state access until the next call reads this key's state. */
  setCurrentKey(key: unknown): void {
    const kg = assignToKeyGroup(key, this.maxParallelism, this.keyType);
    const index = kg - this.start;
    if (index < 0 || index >= this.numKeyGroups) {
      throw new StateError(`Key group ${kg} of key ${String(key)} is not in ${this.keyGroupRange.toString()} of this subtask`, {
        suggestion: 'the key selector must be deterministic: the same record must always give an equal key',
      });
    }
    this.currentKey = key;
    this.currentCanonicalKey = canonicalKey(key, this.keyType);
    this.currentGroupIndex = index;
  }

  /** Makes a timer's key current; its group is already known. */
  setCurrentKeyOfTimer(key: unknown, ck: unknown, groupIndex: number): void {
    this.currentKey = key;
    this.currentCanonicalKey = ck;
    this.currentGroupIndex = groupIndex;
  }

  /** The state `descriptor` names, created on first use (and filled from a restore if one is pending). */
  getPartitionedState(descriptor: AnyStateDescriptor): HeapState {
    const existing = this.states.get(descriptor.name);
    if (existing !== undefined) {
      if (existing.descriptor.kind !== descriptor.kind) {
        throw new StateError(`State '${descriptor.name}' is a ${existing.descriptor.kind} state and cannot be used as a ${descriptor.kind} state`);
      }
      return existing;
    }
    const table = new StateTable(descriptor.name, descriptor.kind, this.numKeyGroups);
    const state = createHeapState(this, table, descriptor);
    this.materialize(descriptor, state);
    this.states.set(descriptor.name, state);
    return state;
  }

  private materialize(descriptor: AnyStateDescriptor, state: HeapState): void {
    const pending = this.pending.get(descriptor.name);
    if (pending === undefined) return;
    if (pending.kind !== descriptor.kind) {
      throw new StateError(`State '${descriptor.name}' was a ${pending.kind} state in the checkpoint and is now asked for as a ${descriptor.kind} state`);
    }
    this.pending.delete(descriptor.name);
    for (const [groupIndex, entries] of pending.byGroup) {
      for (const [keyBytes, ns, valueBytes] of entries) {
        const key = decodeValue(keyBytes, this.keyType);
        const value = state.codec.decode(valueBytes);
        state.table.put(groupIndex, canonicalKey(key, this.keyType), key, namespaceFromPlain(ns), value);
      }
    }
  }

  addTimerSnapshotSource(source: TimerSnapshotSource): void {
    this.timerSources.push(source);
  }

  /** Hands the restored timers of one timer service over, once. */
  takeRestoredTimers(service: string): RestoredTimer[] {
    const timers = this.pendingTimers.get(service) ?? [];
    this.pendingTimers.delete(service);
    return timers;
  }

  /** Every key group of the range as one encoded chunk, undefined for an empty group. */
  snapshot(): { start: number; chunks: (Uint8Array | undefined)[] } {
    const encodeKey = (key: unknown): Uint8Array => encodeValue(key, this.keyType);
    const timersBySource = this.timerSources.map((s) => ({ name: s.name, byGroup: s.snapshotTimers(encodeKey) }));
    const chunks: (Uint8Array | undefined)[] = [];
    for (let g = 0; g < this.numKeyGroups; g++) {
      const chunk = this.groupChunk(g, encodeKey, timersBySource);
      chunks.push(chunk === undefined ? undefined : encodeKeyGroupChunk(chunk));
    }
    return { start: this.start, chunks };
  }

  private groupChunk(
    g: number,
    encodeKey: (key: unknown) => Uint8Array,
    timersBySource: { name: string; byGroup: Map<number, ChunkTimer[]> }[],
  ): KeyGroupChunk | undefined {
    const states: { name: string; kind: StateKind; entries: ChunkStateEntry[] }[] = [];
    for (const [name, state] of this.states) {
      const entries: ChunkStateEntry[] = [];
      for (const e of state.table.entriesOfGroup(g)) {
        entries.push([encodeKey(e.key), namespaceToPlain(e.namespace), state.codec.encode(e.value)]);
      }
      if (entries.length > 0) states.push({ name, kind: state.descriptor.kind, entries });
    }
    for (const [name, pending] of this.pending) {
      const entries = pending.byGroup.get(g);
      if (entries !== undefined && entries.length > 0) states.push({ name, kind: pending.kind, entries });
    }
    const timers: { service: string; timers: ChunkTimer[] }[] = [];
    for (const source of timersBySource) {
      const t = source.byGroup.get(g);
      if (t !== undefined && t.length > 0) timers.push({ service: source.name, timers: t });
    }
    for (const [service, restored] of this.pendingTimers) {
      const t = restored.filter((r) => r.groupIndex === g).map((r): ChunkTimer => [encodeKey(r.key), namespaceToPlain(r.namespace), r.timestamp, r.domain]);
      if (t.length > 0) timers.push({ service, timers: t });
    }
    if (states.length === 0 && timers.length === 0) return undefined;
    return { keyGroup: this.start + g, states, timers };
  }

  /** Loads chunks of a checkpoint; chunks of groups outside this subtask's range are skipped. */
  restore(chunks: readonly Uint8Array[]): void {
    for (const bytes of chunks) {
      const chunk = decodeKeyGroupChunk(bytes);
      if (!this.keyGroupRange.contains(chunk.keyGroup)) continue;
      const g = chunk.keyGroup - this.start;
      for (const section of chunk.states) this.stashState(section.name, section.kind, g, section.entries);
      for (const section of chunk.timers) this.stashTimers(section.service, g, section.timers);
    }
  }

  private stashState(name: string, kind: StateKind, g: number, entries: readonly ChunkStateEntry[]): void {
    const live = this.states.get(name);
    if (live !== undefined) {
      this.pending.set(name, { kind, byGroup: new Map([[g, [...entries]]]) });
      this.materialize(live.descriptor, live);
      return;
    }
    let pending = this.pending.get(name);
    if (pending === undefined) {
      pending = { kind, byGroup: new Map() };
      this.pending.set(name, pending);
    }
    const list = pending.byGroup.get(g);
    if (list === undefined) pending.byGroup.set(g, [...entries]);
    else list.push(...entries);
  }

  private stashTimers(service: string, g: number, timers: readonly ChunkTimer[]): void {
    let list = this.pendingTimers.get(service);
    if (list === undefined) {
      list = [];
      this.pendingTimers.set(service, list);
    }
    for (const [keyBytes, ns, timestamp, domain] of timers) {
      const key = decodeValue(keyBytes, this.keyType);
      list.push({ key, canonicalKey: canonicalKey(key, this.keyType), groupIndex: g, namespace: namespaceFromPlain(ns), timestamp, domain });
    }
  }

  /** Number of stored entries of a state (registered or still pending), for tests. */
  entryCount(name: string): number {
    const s = this.states.get(name);
    if (s !== undefined) return s.table.size();
    let n = 0;
    for (const entries of this.pending.get(name)?.byGroup.values() ?? []) n += entries.length;
    return n;
  }
}
