/** The state handles a function reads and writes; each is bound to the current key (and window). */

/** Every state can be cleared for the current key. */
export interface State {
  clear(): void;
}

/** A single value; undefined when nothing is stored. */
export interface ValueState<T> extends State {
  value(): T | undefined;
  /** Stores `value`; undefined or null clears, as null does in Flink. */
  update(value: T | undefined | null): void;
}

/** State that values are added to and read back from as one result. */
export interface AppendingState<IN, OUT> extends State {
  get(): OUT;
  add(value: IN): void;
}

/** A list of values; get() is empty when nothing is stored. */
export interface ListState<T> extends AppendingState<T, readonly T[]> {
  update(values: readonly T[]): void;
  addAll(values: readonly T[]): void;
}

/** The running reduction of everything added; undefined when nothing was added. */
export type ReducingState<T> = AppendingState<T, T | undefined>;

/** The result of the accumulator everything was added to; undefined when nothing was added. */
export type AggregatingState<IN, OUT> = AppendingState<IN, OUT | undefined>;

/** A map of user keys to values. */
export interface MapState<K, V> extends State {
  get(key: K): V | undefined;
  put(key: K, value: V): void;
  putAll(entries: Iterable<readonly [K, V]>): void;
  remove(key: K): void;
  contains(key: K): boolean;
  entries(): IterableIterator<[K, V]>;
  keys(): IterableIterator<K>;
  values(): IterableIterator<V>;
  isEmpty(): boolean;
}
