/** What a rich function may ask the runtime about: its subtask and its keyed state. */
import type {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from '../state/state-descriptors.js';
import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from '../state/state-types.js';

/** The runtime context of one parallel instance of a function (Flink's RuntimeContext). */
export interface RuntimeContext {
  getIndexOfThisSubtask(): number;
  getNumberOfParallelSubtasks(): number;
  getMaxNumberOfParallelSubtasks(): number;
  getAttemptNumber(): number;
  getTaskName(): string;
  /** `name (i/p)#attempt`, as Flink prints tasks. */
  getTaskNameWithSubtasks(): string;
  getJobId(): string;
  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T>;
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getMapState<K, V>(descriptor: MapStateDescriptor<K, V>): MapState<K, V>;
  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T>;
  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT>;
}
