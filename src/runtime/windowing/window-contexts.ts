/** The contexts the window operator hands to triggers, window functions and evictors, re-pointed per window. */
import type { RuntimeContext } from '../functions/runtime-context.js';
import type { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.js';
import { VOID_NAMESPACE, type Namespace } from '../state/namespace.js';
import type { AnyStateDescriptor } from '../state/state-descriptors.js';
import type { InternalTimerService } from '../timers/internal-timer-service.js';
import type { TriggerContext } from './trigger.js';
import type { KeyedStateStore, ProcessWindowContext } from './window-functions.js';
import type { Window } from './windows.js';

/** Keyed state in a fixed or changing namespace, as a KeyedStateStore. */
export function keyedStateStore(backend: HeapKeyedStateBackend, namespace: () => Namespace): KeyedStateStore {
  const get = (d: AnyStateDescriptor): unknown => {
    const s = backend.getPartitionedState(d);
    s.setCurrentNamespace(namespace());
    return s;
  };
  return {
    getState: get as RuntimeContext['getState'],
    getListState: get as RuntimeContext['getListState'],
    getMapState: get as RuntimeContext['getMapState'],
    getReducingState: get as RuntimeContext['getReducingState'],
    getAggregatingState: get as RuntimeContext['getAggregatingState'],
  };
}

/** The trigger context of the window operator; `window` is set before each trigger call. */
export class WindowTriggerContext implements TriggerContext {
  window!: Window;
  constructor(
    private readonly backend: HeapKeyedStateBackend,
    private readonly timers: InternalTimerService,
  ) {}
  getCurrentProcessingTime(): number {
    return this.timers.currentProcessingTime();
  }
  getCurrentWatermark(): number {
    return this.timers.currentWatermark;
  }
  registerProcessingTimeTimer(time: number): void {
    this.timers.registerProcessingTimeTimer(this.window, time);
  }
  registerEventTimeTimer(time: number): void {
    this.timers.registerEventTimeTimer(this.window, time);
  }
  deleteProcessingTimeTimer(time: number): void {
    this.timers.deleteProcessingTimeTimer(this.window, time);
  }
  deleteEventTimeTimer(time: number): void {
    this.timers.deleteEventTimeTimer(this.window, time);
  }
  getPartitionedState<S>(descriptor: AnyStateDescriptor): S {
    const s = this.backend.getPartitionedState(descriptor);
    s.setCurrentNamespace(this.window);
    return s as unknown as S;
  }
}

/** The context of a window function call; `window` is set before each evaluation. */
export class WindowProcessContext implements ProcessWindowContext {
  current!: Window;
  private readonly perWindow: KeyedStateStore;
  private readonly global: KeyedStateStore;
  constructor(
    backend: HeapKeyedStateBackend,
    private readonly timers: InternalTimerService,
  ) {
    this.perWindow = keyedStateStore(backend, () => this.current);
    this.global = keyedStateStore(backend, () => VOID_NAMESPACE);
  }
  window(): Window {
    return this.current;
  }
  currentProcessingTime(): number {
    return this.timers.currentProcessingTime();
  }
  currentWatermark(): number {
    return this.timers.currentWatermark;
  }
  windowState(): KeyedStateStore {
    return this.perWindow;
  }
  globalState(): KeyedStateStore {
    return this.global;
  }
}
