/** The heap implementations of keyed state, bound to the backend's current key and a namespace. */
import { StateError } from '../runtime-errors.js';
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import { canonicalKey } from '../serialization/index.js';
import { asCallable2 } from '../functions/function-types.js';
import type { AggregateFunction } from '../functions/function-types.js';
import { flattened } from './flat-strings.js';
import { VOID_NAMESPACE, type Namespace } from './namespace.js';
import type { AnyStateDescriptor } from './state-descriptors.js';
import type { StateTable } from './state-table.js';
import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from './state-types.js';
import { stateValueCodec, type StateValueCodec } from './state-value-codec.js';

/** The current key as the backend tracks it; states read it on every access. */
export interface KeyContext {
  readonly currentKey: unknown;
  readonly currentCanonicalKey: unknown;
  /** Offset of the current key's group in the subtask's range; -1 when no key is set. */
  readonly currentGroupIndex: number;
}

const EMPTY_LIST: readonly never[] = Object.freeze([]);

/** Common part of every heap state: where the current entry lives. */
export abstract class AbstractHeapState {
  namespace: Namespace = VOID_NAMESPACE;
  readonly codec: StateValueCodec;
  /** The last table lookup, valid while the table's version and the key and namespace are unchanged. */
  private readonly lookup: { version: number; group: number; key: unknown; nsKey: string | undefined; value: unknown } = {
    version: -1,
    group: -1,
    key: undefined,
    nsKey: undefined,
    value: undefined,
  };

  constructor(
    protected readonly keyContext: KeyContext,
    readonly table: StateTable,
    readonly descriptor: AnyStateDescriptor,
  ) {
    this.codec = stateValueCodec(descriptor);
  }

  setCurrentNamespace(namespace: Namespace): void {
    this.namespace = namespace;
  }

  /** The value of the current key in the current namespace; undefined when there is none. */
  protected current(): unknown {
    const k = this.keyContext;
    if (k.currentGroupIndex < 0) throw noKeyError();
    const nsKey = this.namespace.nsKey;
    const cache = this.lookup;
    // A read followed by a write of the same key (every reduce, every count) looks up once.
    if (
      cache.version === this.table.version &&
      cache.group === k.currentGroupIndex &&
      cache.key === k.currentCanonicalKey &&
      cache.nsKey === nsKey
    )
      return cache.value;
    const value = this.table.get(k.currentGroupIndex, k.currentCanonicalKey, nsKey);
    this.remember(value);
    return value;
  }

  private remember(value: unknown): void {
    const k = this.keyContext;
    const cache = this.lookup;
    cache.version = this.table.version;
    cache.group = k.currentGroupIndex;
    cache.key = k.currentCanonicalKey;
    cache.nsKey = this.namespace.nsKey;
    cache.value = value;
  }

  /** Records that the current entry changed (incremental checkpoints); every write path calls it. */
  protected touch(): void {
    const dirty = this.table.dirty;
    if (dirty === undefined) return;
    const k = this.keyContext;
    dirty.mark(k.currentGroupIndex, k.currentCanonicalKey, k.currentKey, this.namespace);
  }

  /** Sets the current key's value in the current namespace. */
  protected store(value: unknown): void {
    const k = this.keyContext;
    if (k.currentGroupIndex < 0) throw noKeyError();
    this.touch();
    this.table.put(k.currentGroupIndex, k.currentCanonicalKey, k.currentKey, this.namespace, value);
    this.remember(value);
  }

  clear(): void {
    const k = this.keyContext;
    if (k.currentGroupIndex < 0) throw noKeyError();
    this.touch();
    this.table.remove(k.currentGroupIndex, k.currentCanonicalKey, this.namespace.nsKey);
  }
}

function noKeyError(): Error {
  return new StateError('No key set: keyed state can only be used while processing a record or timer of a keyed stream');
}

/** ValueState on the heap. */
export class HeapValueState<T> extends AbstractHeapState implements ValueState<T> {
  value(): T | undefined {
    const value = this.current();
    return value === undefined && this.descriptor.kind === 'value'
      ? (this.descriptor.defaultValue as T | undefined)
      : (value as T | undefined);
  }

  update(value: T | undefined | null): void {
    if (value === undefined || value === null) this.clear();
    else this.store(flattened(value));
  }
}

/** ListState on the heap; the stored array is owned by the state. */
export class HeapListState<T> extends AbstractHeapState implements ListState<T> {
  get(): readonly T[] {
    return (this.current() as T[] | undefined) ?? EMPTY_LIST;
  }

  // The stored array grows in place: list state is never frozen by a snapshot (its values change in place).
  add(value: T): void {
    const list = this.current() as T[] | undefined;
    if (list === undefined) {
      this.store([value]);
      return;
    }
    this.touch();
    list.push(value);
  }

  addAll(values: readonly T[]): void {
    if (values.length === 0) return;
    const list = this.current() as T[] | undefined;
    if (list === undefined) {
      this.store([...values]);
      return;
    }
    this.touch();
    list.push(...values);
  }

  update(values: readonly T[]): void {
    if (values.length === 0) this.clear();
    else this.store([...values]);
  }
}

/** ReducingState on the heap. */
export class HeapReducingState<T> extends AbstractHeapState implements ReducingState<T> {
  private readonly reduce: (a: T, b: T) => T;

  constructor(keys: KeyContext, table: StateTable, descriptor: AnyStateDescriptor) {
    super(keys, table, descriptor);
    if (descriptor.kind !== 'reducing') throw new TypeError('HeapReducingState needs a ReducingStateDescriptor');
    this.reduce = asCallable2(descriptor.reduceFunction as (a: T, b: T) => T, 'reduce');
  }

  get(): T | undefined {
    return this.current() as T | undefined;
  }

  add(value: T): void {
    const current = this.current();
    this.store(flattened(current === undefined ? value : this.reduce(current as T, value)));
  }
}

/** AggregatingState on the heap; the stored value is the accumulator. */
export class HeapAggregatingState<IN, ACC, OUT> extends AbstractHeapState implements AggregatingState<IN, OUT> {
  private readonly fn: AggregateFunction<IN, ACC, OUT>;

  constructor(keys: KeyContext, table: StateTable, descriptor: AnyStateDescriptor) {
    super(keys, table, descriptor);
    if (descriptor.kind !== 'aggregating') throw new TypeError('HeapAggregatingState needs an AggregatingStateDescriptor');
    this.fn = descriptor.aggregateFunction as AggregateFunction<IN, ACC, OUT>;
  }

  get(): OUT | undefined {
    const accumulator = this.current();
    return accumulator === undefined ? undefined : this.fn.getResult(accumulator as ACC);
  }

  add(value: IN): void {
    const accumulator = this.current();
    this.store(this.fn.add(value, accumulator === undefined ? this.fn.createAccumulator() : (accumulator as ACC)));
  }

  /** The raw accumulator, for window functions that merge. */
  getAccumulator(): ACC | undefined {
    return this.current() as ACC | undefined;
  }
}

/** MapState on the heap: user keys are compared by value through their canonical key. */
export class HeapMapState<K, V> extends AbstractHeapState implements MapState<K, V> {
  private readonly userKeyType: TypeDescriptor | undefined;

  constructor(keys: KeyContext, table: StateTable, descriptor: AnyStateDescriptor) {
    super(keys, table, descriptor);
    this.userKeyType = descriptor.kind === 'map' ? descriptor.keyType : undefined;
  }

  private map(create: boolean): Map<unknown, [K, V]> | undefined {
    const existing = this.current() as Map<unknown, [K, V]> | undefined;
    if (existing !== undefined) return existing;
    if (!create) return undefined;
    const m = new Map<unknown, [K, V]>();
    this.store(m);
    return m;
  }

  get(key: K): V | undefined {
    return this.map(false)?.get(canonicalKey(key, this.userKeyType))?.[1];
  }

  put(key: K, value: V): void {
    this.touch();
    this.map(true)!.set(canonicalKey(key, this.userKeyType), [key, value]);
  }

  putAll(entries: Iterable<readonly [K, V]>): void {
    for (const [k, v] of entries) this.put(k, v);
  }

  remove(key: K): void {
    const m = this.map(false);
    if (m === undefined) return;
    this.touch();
    m.delete(canonicalKey(key, this.userKeyType));
    if (m.size === 0) this.clear();
  }

  contains(key: K): boolean {
    return this.map(false)?.has(canonicalKey(key, this.userKeyType)) ?? false;
  }

  *entries(): IterableIterator<[K, V]> {
    const m = this.map(false);
    if (m !== undefined) for (const [k, v] of [...m.values()]) yield [k, v];
  }

  *keys(): IterableIterator<K> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): IterableIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  isEmpty(): boolean {
    const m = this.map(false);
    return m === undefined || m.size === 0;
  }
}

/** Any heap state. */
export type HeapState =
  | HeapValueState<unknown>
  | HeapListState<unknown>
  | HeapReducingState<unknown>
  | HeapAggregatingState<unknown, unknown, unknown>
  | HeapMapState<unknown, unknown>;

/** Creates the heap state a descriptor asks for. */
export function createHeapState(keys: KeyContext, table: StateTable, descriptor: AnyStateDescriptor): HeapState {
  switch (descriptor.kind) {
    case 'value':
      return new HeapValueState(keys, table, descriptor);
    case 'list':
      return new HeapListState(keys, table, descriptor);
    case 'reducing':
      return new HeapReducingState(keys, table, descriptor);
    case 'aggregating':
      return new HeapAggregatingState(keys, table, descriptor);
    case 'map':
      return new HeapMapState(keys, table, descriptor);
  }
}
