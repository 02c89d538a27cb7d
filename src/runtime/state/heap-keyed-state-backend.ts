/**
 * Keyed state on the heap, organised by key group so a snapshot is one chunk per group of the
 * subtask's range and a restore can load any set of groups (Flink's "hashmap" backend).
 */
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import { assignToKeyGroup, type KeyGroupRange } from '../keygroups/index.js';
import { canonicalKey, type TypeSerializer } from '../serialization/index.js';
import { StateError } from '../runtime-errors.js';
import { createHeapState, type HeapState, type KeyContext } from './heap-states.js';
import { KeyGroupChunkWriter, readKeyGroupChunk } from './key-group-chunk.js';
import { DirtyEntries } from './dirty-tracker.js';
import { encodeDeltaChunk, encodeGroupIncrementally } from './delta-encoder.js';
import { ChainStats, IncrementalSnapshots } from './incremental-snapshots.js';
import { KeyGroupSnapshot, type GroupChunk } from './key-group-snapshot.js';
import { fullGroupEncoder, groupFreezer, type GroupSources } from './full-group-encoder.js';
import type { AnyStateDescriptor } from './state-descriptors.js';
import { StateTable } from './state-table.js';
import { serializerOf } from './state-value-codec.js';
import { ArrivingGroups } from './arriving-groups.js';
import { RestoredGroups, type RestoredTimer } from './restored-groups.js';
import { timersByGroup, type TimerSnapshotSource } from './snapshot-timers.js';
import type { RestoredIncrementalBase, SnapshotOptions } from '../task-contract.js';

export type { RestoredTimer } from './restored-groups.js';

/** The keyed state of one operator in one subtask. */
export class HeapKeyedStateBackend implements KeyContext {
  currentKey: unknown = undefined;
  currentCanonicalKey: unknown = undefined;
  currentGroupIndex = -1;
  readonly numKeyGroups: number;
  private readonly start: number;
  private readonly keySerializer: TypeSerializer<unknown>;
  private readonly states = new Map<string, HeapState>();
  /** What a restore read and has not decoded yet. */
  private readonly restored: RestoredGroups;
  private readonly timerSources: TimerSnapshotSource[] = [];
  /** Snapshots still being written: each keeps a group's bytes before the group changes. */
  private readonly snapshots: KeyGroupSnapshot[] = [];
  /**
   * The encoder of the last released snapshot, for the next: its buffer has grown to the largest
   * group, and a fresh one per checkpoint left that growth (32 MB at 1 GB of state) as external
   * garbage, which only a full collection frees.
   */
  private idleChunkWriter: KeyGroupChunkWriter | undefined;
  /** Change tracking and chain shapes, from the first incremental snapshot on. */
  private incremental: IncrementalSnapshots | undefined;
  /** Groups of a streamed restore still on their way; undefined when none were announced. */
  private arriving: ArrivingGroups | undefined;

  constructor(
    readonly keyType: TypeDescriptor | undefined,
    readonly maxParallelism: number,
    readonly keyGroupRange: KeyGroupRange,
  ) {
    this.start = keyGroupRange.startKeyGroup;
    this.numKeyGroups = keyGroupRange.size();
    this.keySerializer = serializerOf(keyType);
    this.restored = new RestoredGroups(this.numKeyGroups, this.keySerializer, keyType);
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
    // Every state access goes through the current key's group, so this is the one copy-on-write
    // point, and the point where a restored group is decoded (after a running snapshot kept it).
    if (this.snapshots.length !== 0) this.preserveGroup(index);
    if (this.restored.deferredGroups !== 0 && this.restored.isDeferred(index)) this.restored.load(index);
  }

  /** Makes a timer's key current; its group is already known. */
  setCurrentKeyOfTimer(key: unknown, ck: unknown, groupIndex: number): void {
    this.currentKey = key;
    this.currentCanonicalKey = ck;
    this.currentGroupIndex = groupIndex;
    if (this.snapshots.length !== 0) this.preserveGroup(groupIndex);
    if (this.restored.deferredGroups !== 0 && this.restored.isDeferred(groupIndex)) this.restored.load(groupIndex);
  }

  private preserveGroup(index: number): void {
    // Backwards, without a copy on this per-record path: a snapshot that settles removes itself.
    for (let i = this.snapshots.length - 1; i >= 0; i--) this.snapshots[i]!.preserve(index);
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
    if (this.incremental !== undefined) table.dirty = new DirtyEntries(this.numKeyGroups, this.incremental.clock);
    const state = createHeapState(this, table, descriptor);
    // Its restored groups stay encoded until first used; running snapshots read them as they are.
    // The current key's group is in use already (a state may be first asked for while processing).
    this.restored.register(state);
    const current = this.currentGroupIndex;
    if (current >= 0 && this.restored.isDeferred(current)) {
      if (this.snapshots.length !== 0) this.preserveGroup(current);
      this.restored.load(current);
    }
    this.states.set(descriptor.name, state);
    return state;
  }

  addTimerSnapshotSource(source: TimerSnapshotSource): void {
    this.timerSources.push(source);
  }

  /** Hands the restored timers of one timer service over, once. */
  takeRestoredTimers(service: string): RestoredTimer[] {
    return this.restored.takeTimers(service);
  }

  /**
   * The keyed state as it is now, copy-on-write: timers are copied (they are few), state entries are
   * encoded group by group as the writer asks, or just before a group changes. An incremental
   * checkpoint (`options.incremental`, not a savepoint) of checkpoint `checkpointId` encodes, per
   * group, nothing when it is unchanged since the base, else a delta or a fresh full base.
   */
  snapshot(checkpointId = 0, options: SnapshotOptions = {}): KeyGroupSnapshot {
    if (this.groupsToArrive > 0)
      throw new StateError(`${this.groupsToArrive} restored key group(s) have not arrived yet; a snapshot would miss them`);
    const states = [...this.states];
    const sources: GroupSources = {
      start: this.start,
      states,
      restored: this.restored,
      unregistered: [...this.restored.unregistered],
      timers: timersByGroup(this.timerSources, this.restored.timers),
      writer: this.idleChunkWriter ?? new KeyGroupChunkWriter(this.keySerializer),
    };
    this.idleChunkWriter = undefined;
    const plan =
      options.incremental === true && options.savepoint !== true
        ? this.trackChanges().begin(checkpointId, options.deferRebase === true)
        : undefined;
    const encodeFull = fullGroupEncoder(sources);
    const encodeDelta = (g: number, since: number, borrow: boolean): Uint8Array | undefined =>
      encodeDeltaChunk(sources.writer, this.start + g, g, since, states, sources.timers.get(g), this.incremental!.clock, borrow);
    const clock = this.incremental?.clock;
    const encode =
      plan === undefined
        ? encodeFull
        : (g: number, borrow: boolean): GroupChunk =>
            encodeGroupIncrementally(this.start + g, g, plan, clock!, encodeFull, encodeDelta, borrow);
    // A full snapshot can keep a group that is about to change as copies of its entries, and encode
    // them later, beside processing, when no state's values are changed in place.
    const freeze = plan === undefined ? groupFreezer(sources) : undefined;
    const snapshot = new KeyGroupSnapshot(
      this.start,
      this.numKeyGroups,
      encode,
      (settled) => {
        const at = this.snapshots.indexOf(settled);
        if (at >= 0) this.snapshots.splice(at, 1);
      },
      {
        baseCheckpointId: plan?.base?.checkpointId,
        freezer: freeze,
        onReleased: () => {
          this.idleChunkWriter ??= sources.writer;
        },
      },
    );
    if (this.numKeyGroups > 0) this.snapshots.push(snapshot);
    return snapshot;
  }

  private trackChanges(): IncrementalSnapshots {
    if (this.incremental === undefined) {
      this.incremental = new IncrementalSnapshots(this.numKeyGroups);
      for (const state of this.states.values()) state.table.dirty = new DirtyEntries(this.numKeyGroups, this.incremental.clock);
    }
    return this.incremental;
  }

  /** Checkpoint `checkpointId` completed: the chains of this backend's snapshot of it become the base. */
  notifyCheckpointComplete(checkpointId: number): void {
    this.incremental?.confirm(checkpointId);
  }

  /** Timers of group offset `groupIndex` changed (registered, deleted or fired): an incremental snapshot rewrites them. */
  timersChanged(groupIndex: number): void {
    this.incremental?.clock.markTimers(groupIndex);
  }

  /** True when the backend holds no entry and no timer, so a snapshot would be all empty groups. */
  isEmpty(): boolean {
    if (this.restored.holdsAny || this.groupsToArrive > 0) return false;
    for (const state of this.states.values()) if (state.table.size() > 0) return false;
    return this.timerSources.every((source) => source.snapshotTimers().size === 0);
  }

  /**
   * Reads chunks of a checkpoint (decoding a group waits for its first use); chunks of groups outside
   * this subtask's range are skipped. With `base` (the restored checkpoint's chains, one per group of
   * the range), changes are tracked from now on and the first incremental snapshot builds on it.
   */
  restore(chunks: readonly Uint8Array[], base?: RestoredIncrementalBase): void {
    for (const bytes of chunks) {
      const chunk = readKeyGroupChunk(bytes, this.keySerializer);
      if (!this.keyGroupRange.contains(chunk.keyGroup)) continue;
      const g = chunk.keyGroup - this.start;
      if (chunk.timersReset) this.restored.dropTimers(g);
      for (const section of chunk.states) this.restored.add(g, section, this.states.get(section.name));
      for (const section of chunk.timers) this.restored.addTimers(section.service, g, section.timers);
    }
    if (base === undefined || base.groups.length !== this.numKeyGroups) return;
    const stats = new ChainStats(this.numKeyGroups);
    base.groups.forEach((shape, g) => {
      stats.base[g] = shape.baseBytes;
      stats.deltas[g] = shape.deltaBytes;
      stats.count[g] = shape.deltas;
    });
    this.trackChanges().seed(base.checkpointId, stats);
  }

  /**
   * A streamed restore: group offsets `offsets` arrive later, each through `restoreGroup`. Until a
   * group is here, records of its keys must wait (`missingGroupOf`), and no snapshot may be taken.
   */
  expectGroups(offsets: Iterable<number>): void {
    this.arriving ??= new ArrivingGroups(this.numKeyGroups);
    this.arriving.expect(offsets);
  }

  /** The group offset of `key` while its restored state has not arrived; undefined when it can be used. */
  missingGroupOf(key: unknown): number | undefined {
    const arriving = this.arriving;
    if (arriving === undefined || arriving.count === 0) return undefined;
    const g = assignToKeyGroup(key, this.maxParallelism, this.keyType) - this.start;
    return g >= 0 && g < this.numKeyGroups && arriving.isMissing(g) ? g : undefined;
  }

  /** Groups of a streamed restore still to arrive. */
  get groupsToArrive(): number {
    return this.arriving?.count ?? 0;
  }

  /** Group offset `g` of a streamed restore arrived: its chunks (base, then deltas), read and checked. */
  restoreGroup(g: number, chunks: readonly Uint8Array[]): void {
    this.restore(chunks);
    this.arriving?.arrived(g);
    // Timer services created at open took what was restored then; this group's timers join them now.
    for (const source of this.timerSources) {
      const timers = this.restored.takeTimers(source.name);
      if (timers.length > 0) source.addRestoredTimers(timers);
    }
  }

  /** Restored key groups not decoded yet: each decodes on its first access. */
  get undecodedGroups(): number {
    return this.restored.deferredGroups;
  }

  /** Number of stored entries of a state (registered or still pending), for tests. */
  entryCount(name: string): number {
    const s = this.states.get(name);
    if (s !== undefined) return s.table.size() + this.restored.deferredEntries(s);
    let n = 0;
    for (const sections of this.restored.unregistered.get(name)?.byGroup.values() ?? []) for (const section of sections) n += section.count;
    return n;
  }
}
