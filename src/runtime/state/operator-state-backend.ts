/**
 * Non-keyed operator state: named lists whose entries the JobManager redistributes on rescale
 * (SPLIT_DISTRIBUTE: an even split; UNION: everything to everyone; BROADCAST: a copy each).
 */
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import { decodeValue, encodeValue } from '../serialization/index.js';
import type { ListStateMode } from '../task-contract.js';
import { StateError } from '../runtime-errors.js';

/** A named list of entries kept by one operator instance. */
export interface OperatorListState<T> {
  get(): readonly T[];
  add(value: T): void;
  update(values: readonly T[]): void;
  clear(): void;
}

/** The encoded form of one named list state, as snapshots carry it. */
export interface EncodedListState {
  readonly name: string;
  readonly mode: ListStateMode;
  readonly entries: readonly Uint8Array[];
}

class HeapOperatorListState<T> implements OperatorListState<T> {
  entries: T[] = [];
  constructor(
    readonly mode: ListStateMode,
    readonly type: TypeDescriptor | undefined,
  ) {}
  get(): readonly T[] {
    return this.entries;
  }
  add(value: T): void {
    this.entries.push(value);
  }
  update(values: readonly T[]): void {
    this.entries = [...values];
  }
  clear(): void {
    this.entries = [];
  }
}

/** The list states of one operator in one subtask. */
export class OperatorStateBackend {
  private readonly states = new Map<string, HeapOperatorListState<unknown>>();
  private readonly restored = new Map<string, EncodedListState>();
  private wasRestored = false;

  /** True when the operator started from a checkpoint (even one holding no list state for it). */
  get isRestored(): boolean {
    return this.wasRestored;
  }

  /** The list state `name`, filled with this subtask's share of the restored entries on first use. */
  getListState<T>(name: string, mode: ListStateMode = 'SPLIT_DISTRIBUTE', type?: TypeDescriptor): OperatorListState<T> {
    const existing = this.states.get(name);
    if (existing !== undefined) {
      if (existing.mode !== mode) throw new StateError(`Operator state '${name}' is ${existing.mode} and cannot be used as ${mode}`);
      return existing as HeapOperatorListState<T>;
    }
    const state = new HeapOperatorListState<T>(mode, type);
    const restored = this.restored.get(name);
    if (restored !== undefined) {
      if (restored.mode !== mode) {
        throw new StateError(`Operator state '${name}' was ${restored.mode} in the checkpoint and is now asked for as ${mode}`);
      }
      state.entries = restored.entries.map((b) => decodeValue(b, type) as T);
      this.restored.delete(name);
    }
    this.states.set(name, state);
    return state;
  }

  /** Every list state with its entries encoded one by one; untouched restored states pass through. */
  snapshot(): EncodedListState[] {
    const out: EncodedListState[] = [];
    for (const [name, s] of this.states) {
      out.push({ name, mode: s.mode, entries: s.entries.map((e) => encodeValue(e, s.type)) });
    }
    for (const r of this.restored.values()) out.push(r);
    return out;
  }

  restore(listStates: readonly EncodedListState[]): void {
    this.wasRestored = true;
    for (const s of listStates) {
      const prior = this.restored.get(s.name);
      this.restored.set(s.name, prior === undefined ? s : { ...s, entries: [...prior.entries, ...s.entries] });
    }
  }
}
