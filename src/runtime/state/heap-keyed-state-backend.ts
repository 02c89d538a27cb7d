/**
 * Keyed state on the heap, organised by key group so a snapshot is one chunk per group of the
 * subtask's range and a restore can load any set of groups (Flink's "hashmap" backend).
 */
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import { assignToKeyGroup, type KeyGroupRange } from '../keygroups/index.js';
import { canonicalKey, type TypeSerializer } from '../serialization/index.js';
import { StateError } from '../runtime-errors.js';
import { createHeapState, type HeapState, type KeyContext } from './heap-states.js';
import { KeyGroupChunkWriter, readKeyGroupChunk, readStateSection, type ChunkTimer, type EncodedStateSection } from './key-group-chunk.js';
import type { Namespace } from './namespace.js';
import type { AnyStateDescriptor, StateKind } from './state-descriptors.js';
import { StateTable } from './state-table.js';
import { serializerOf } from './state-value-codec.js';

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
  snapshotTimers(): Map<number, ChunkTimer[]>;
}

/** Restored entries of a state the operator has not registered yet: its value type is still unknown. */
interface PendingState {
  readonly kind: StateKind;
  readonly byGroup: Map<number, EncodedStateSection[]>;
}

/** The keyed state of one operator in one subtask. */
export class HeapKeyedStateBackend implements KeyContext {
  currentKey: unknown = undefined;
  currentCanonicalKey: unknown = undefined;
  currentGroupIndex = -1;
  readonly numKeyGroups: number;
  private readonly start: number;
  private readonly keySerializer: TypeSerializer<unknown>;
  private readonly states = new Map<string, HeapState>();
  private readonly pending = new Map<string, PendingState>();
  private readonly pendingTimers = new Map<string, RestoredTimer[]>();
  private readonly timerSources: TimerSnapshotSource[] = [];

  constructor(
    readonly keyType: TypeDescriptor | undefined,
    readonly maxParallelism: number,
    readonly keyGroupRange: KeyGroupRange,
  ) {
    this.start = keyGroupRange.startKeyGroup;
    this.numKeyGroups = keyGroupRange.size();
    this.keySerializer = serializerOf(keyType);
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
        throw new StateError(
          `State '${descriptor.name}' is a ${existing.descriptor.kind} state and cannot be used as a ${descriptor.kind} state`,
        );
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
      throw new StateError(
        `State '${descriptor.name}' was a ${pending.kind} state in the checkpoint and is now asked for as a ${descriptor.kind} state`,
      );
    }
    this.pending.delete(descriptor.name);
    for (const [groupIndex, sections] of pending.byGroup) {
      for (const section of sections) this.load(state, groupIndex, section);
    }
  }

  private load(state: HeapState, groupIndex: number, section: EncodedStateSection): void {
    const table = state.table;
    const keyType = this.keyType;
    readStateSection(section, this.keySerializer, state.codec, (key, namespace, value) => {
      table.put(groupIndex, canonicalKey(key, keyType), key, namespace, value);
    });
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
    const timersBySource = this.timerSources.map((s) => ({ name: s.name, byGroup: s.snapshotTimers() }));
    const writer = new KeyGroupChunkWriter(this.keySerializer);
    const chunks: (Uint8Array | undefined)[] = [];
    for (let g = 0; g < this.numKeyGroups; g++) {
      writer.begin(this.start + g);
      for (const [name, state] of this.states) writer.writeState(name, state.descriptor.kind, state.codec, state.table.entriesOfGroup(g));
      for (const [name, pending] of this.pending) {
        const sections = pending.byGroup.get(g);
        if (sections !== undefined) writer.writeEncodedState(name, pending.kind, sections);
      }
      for (const source of timersBySource) {
        const timers = source.byGroup.get(g);
        if (timers !== undefined) writer.writeTimers(source.name, timers);
      }
      for (const [service, restored] of this.pendingTimers)
        writer.writeTimers(
          service,
          restored.filter((r) => r.groupIndex === g),
        );
      chunks.push(writer.finish());
    }
    return { start: this.start, chunks };
  }

  /** Loads chunks of a checkpoint; chunks of groups outside this subtask's range are skipped. */
  restore(chunks: readonly Uint8Array[]): void {
    for (const bytes of chunks) {
      const chunk = readKeyGroupChunk(bytes, this.keySerializer);
      if (!this.keyGroupRange.contains(chunk.keyGroup)) continue;
      const g = chunk.keyGroup - this.start;
      for (const section of chunk.states) this.stashState(g, section);
      for (const section of chunk.timers) this.stashTimers(section.service, g, section.timers);
    }
  }

  private stashState(g: number, section: EncodedStateSection): void {
    const live = this.states.get(section.name);
    if (live !== undefined) {
      if (live.descriptor.kind !== section.kind) {
        throw new StateError(
          `State '${section.name}' was a ${section.kind} state in the checkpoint and is now used as a ${live.descriptor.kind} state`,
        );
      }
      this.load(live, g, section);
      return;
    }
    let pending = this.pending.get(section.name);
    if (pending === undefined) {
      pending = { kind: section.kind, byGroup: new Map() };
      this.pending.set(section.name, pending);
    }
    const list = pending.byGroup.get(g);
    if (list === undefined) pending.byGroup.set(g, [section]);
    else list.push(section);
  }

  private stashTimers(service: string, g: number, timers: readonly ChunkTimer[]): void {
    let list = this.pendingTimers.get(service);
    if (list === undefined) {
      list = [];
      this.pendingTimers.set(service, list);
    }
    for (const { key, namespace, timestamp, domain } of timers) {
      list.push({ key, canonicalKey: canonicalKey(key, this.keyType), groupIndex: g, namespace, timestamp, domain });
    }
  }

  /** Number of stored entries of a state (registered or still pending), for tests. */
  entryCount(name: string): number {
    const s = this.states.get(name);
    if (s !== undefined) return s.table.size();
    let n = 0;
    for (const sections of this.pending.get(name)?.byGroup.values() ?? []) for (const section of sections) n += section.count;
    return n;
  }
}
