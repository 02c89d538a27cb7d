/** The RuntimeContext handed to user functions: subtask identity and keyed state of the operator. */
import type { RuntimeContext } from '../functions/runtime-context.js';
import type { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.js';
import type {
  AggregatingStateDescriptor,
  AnyStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from '../state/state-descriptors.js';
import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from '../state/state-types.js';
import type { HeapState } from '../state/heap-states.js';
import { VOID_NAMESPACE } from '../state/namespace.js';
import { StateError } from '../runtime-errors.js';
import type { TaskServices } from '../task-contract.js';

/** One operator's runtime context; keyed state is available only on keyed input. */
export class StreamingRuntimeContext implements RuntimeContext {
  constructor(
    private readonly services: TaskServices,
    private readonly backend: HeapKeyedStateBackend | undefined,
  ) {}

  getIndexOfThisSubtask(): number {
    return this.services.subtaskIndex;
  }
  getNumberOfParallelSubtasks(): number {
    return this.services.parallelism;
  }
  getMaxNumberOfParallelSubtasks(): number {
    return this.services.maxParallelism;
  }
  getAttemptNumber(): number {
    return this.services.attemptNumber;
  }
  getTaskName(): string {
    return this.services.taskName;
  }
  getTaskNameWithSubtasks(): string {
    const s = this.services;
    return `${s.taskName} (${s.subtaskIndex + 1}/${s.parallelism})#${s.attemptNumber}`;
  }
  getJobId(): string {
    return this.services.jobId;
  }

  private state(descriptor: AnyStateDescriptor): HeapState {
    if (this.backend === undefined) {
      throw new StateError(`Keyed state '${descriptor.name}' can only be used on a keyed stream, i.e. after keyBy()`);
    }
    const state = this.backend.getPartitionedState(descriptor);
    state.setCurrentNamespace(VOID_NAMESPACE);
    return state;
  }

  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T> {
    return this.state(descriptor as AnyStateDescriptor) as unknown as ValueState<T>;
  }
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.state(descriptor as AnyStateDescriptor) as unknown as ListState<T>;
  }
  getMapState<K, V>(descriptor: MapStateDescriptor<K, V>): MapState<K, V> {
    return this.state(descriptor as AnyStateDescriptor) as unknown as MapState<K, V>;
  }
  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T> {
    return this.state(descriptor as AnyStateDescriptor) as unknown as ReducingState<T>;
  }
  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT> {
    return this.state(descriptor as AnyStateDescriptor) as unknown as AggregatingState<IN, OUT>;
  }
}
