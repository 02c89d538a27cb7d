/**
 * The window operator (Flink's WindowOperator and EvictingWindowOperator, non-merging windows):
 * contents and trigger state are keyed state scoped by window; event-time timers fire on watermarks;
 * windows are cleaned up at their end plus allowed lateness; late elements are dropped and counted.
 */
import { closeUserFunction, openUserFunction } from '../functions/function-lifecycle.js';
import { StreamingRuntimeContext } from '../operators/streaming-runtime-context.js';
import { AbstractStreamOperator } from '../operators/abstract-stream-operator.js';
import { TimestampedCollector } from '../operators/timestamped-collector.js';
import type { HeapState } from '../state/heap-states.js';
import type { AnyStateDescriptor } from '../state/state-descriptors.js';
import { MAX_WATERMARK } from '../task-contract.js';
import type { InternalTimerService } from '../timers/internal-timer-service.js';
import type { InternalTimer } from '../timers/timer-heap.js';
import { TimestampedValue, type Evictor, type EvictorContext } from './evictors.js';
import { isFire, isPurge, type Trigger, type TriggerResult } from './trigger.js';
import type { WindowAssigner, WindowAssignerContext } from './window-assigners.js';
import { WindowProcessContext, WindowTriggerContext } from './window-contexts.js';
import type { InternalWindowFunction } from './window-functions.js';
import type { Window } from './windows.js';

/** Everything that defines one window operator. */
export interface WindowOperatorSpec {
  readonly assigner: WindowAssigner;
  readonly trigger: Trigger<unknown, Window>;
  /** With an evictor the contents are a list of [value, timestamp] and the function reduces at firing time. */
  readonly evictor: Evictor | undefined;
  readonly allowedLatenessMs: number;
  /** The state holding a window's contents: list, reducing or aggregating (list of [value, ts] when evicting). */
  readonly contentsDescriptor: AnyStateDescriptor;
  readonly windowFunction: InternalWindowFunction;
}

/** Windows of a keyed stream. */
export class WindowOperator extends AbstractStreamOperator {
  /** Elements dropped because every window they belonged to was already cleaned up. */
  numLateRecordsDropped = 0;
  private contents!: HeapState;
  private timers!: InternalTimerService;
  private triggerCtx!: WindowTriggerContext;
  private processCtx!: WindowProcessContext;
  private collector!: TimestampedCollector<unknown>;
  private readonly assignerCtx: WindowAssignerContext = { getCurrentProcessingTime: () => this.services.processingTime.now() };
  private readonly evictorCtx: EvictorContext = {
    getCurrentProcessingTime: () => this.services.processingTime.now(),
    getCurrentWatermark: () => this.currentWatermark,
  };

  constructor(private readonly spec: WindowOperatorSpec) {
    super();
  }

  override async open(): Promise<void> {
    const backend = this.keyedBackend!;
    const ctx = new StreamingRuntimeContext(this.services, backend);
    for (const fn of this.spec.windowFunction.userFunctions) await openUserFunction(fn, ctx);
    this.collector = new TimestampedCollector(this.output);
    this.timers = this.getInternalTimerService('window-timers', {
      onEventTime: (t) => this.onTimer(t, true),
      onProcessingTime: (t) => this.onTimer(t, false),
    });
    this.contents = backend.getPartitionedState(this.spec.contentsDescriptor);
    this.triggerCtx = new WindowTriggerContext(backend, this.timers);
    this.processCtx = new WindowProcessContext(backend, this.timers);
  }

  processElement(value: unknown, timestamp: number | undefined): void {
    const windows = this.spec.assigner.assignWindows(value, timestamp, this.assignerCtx);
    const stored = this.spec.evictor === undefined ? value : [value, timestamp];
    let skipped = true;
    for (const window of windows) {
      if (this.isWindowLate(window)) continue;
      skipped = false;
      this.contents.setCurrentNamespace(window);
      (this.contents as { add(v: unknown): void }).add(stored);
      this.triggerCtx.window = window;
      const result = this.spec.trigger.onElement(value, timestamp, window, this.triggerCtx);
      this.applyTriggerResult(window, result);
      this.registerCleanupTimer(window);
    }
    if (skipped && this.isElementLate(timestamp)) this.numLateRecordsDropped++;
  }

  private applyTriggerResult(window: Window, result: TriggerResult): void {
    if (isFire(result)) {
      const contents = (this.contents as { get(): unknown }).get();
      const empty = contents === undefined || (this.contents.descriptor.kind === 'list' && (contents as unknown[]).length === 0);
      if (!empty) this.emitWindowContents(window, contents);
    }
    if (isPurge(result)) this.contents.clear();
  }

  private onTimer(timer: InternalTimer, eventTime: boolean): void {
    const window = timer.namespace as Window;
    this.contents.setCurrentNamespace(window);
    this.triggerCtx.window = window;
    const t = this.spec.trigger;
    const result = eventTime
      ? t.onEventTime(timer.timestamp, window, this.triggerCtx)
      : t.onProcessingTime(timer.timestamp, window, this.triggerCtx);
    this.applyTriggerResult(window, result);
    if (this.spec.assigner.isEventTime() === eventTime && this.cleanupTime(window) === timer.timestamp) this.clearAllState(window);
  }

  private emitWindowContents(window: Window, contents: unknown): void {
    this.collector.timestamp = window.maxTimestamp();
    this.processCtx.current = window;
    const key = this.keyedBackend!.currentKey;
    if (this.spec.evictor === undefined) {
      this.spec.windowFunction.process(key, this.processCtx, contents, this.collector);
      return;
    }
    this.emitEvicting(window, key, contents as [unknown, number | undefined][]);
  }

  private emitEvicting(window: Window, key: unknown, stored: [unknown, number | undefined][]): void {
    const evictor = this.spec.evictor!;
    const elements = stored.map(([v, ts]) => new TimestampedValue(v, ts));
    const size = elements.length;
    evictor.evictBefore(elements, size, window, this.evictorCtx);
    this.spec.windowFunction.process(
      key,
      this.processCtx,
      elements.map((e) => e.value),
      this.collector,
    );
    evictor.evictAfter(elements, elements.length, window, this.evictorCtx);
    // The eviction is persisted: the window keeps only what survived.
    (this.contents as { update(v: unknown[]): void }).update(elements.map((e) => [e.value, e.timestamp]));
  }

  private clearAllState(window: Window): void {
    this.contents.clear();
    this.triggerCtx.window = window;
    this.spec.trigger.clear(window, this.triggerCtx);
    this.processCtx.current = window;
    this.spec.windowFunction.clear(this.processCtx);
  }

  private cleanupTime(window: Window): number {
    if (!this.spec.assigner.isEventTime()) return window.maxTimestamp();
    const t = window.maxTimestamp() + this.spec.allowedLatenessMs;
    return t >= window.maxTimestamp() ? t : MAX_WATERMARK;
  }

  private registerCleanupTimer(window: Window): void {
    const t = this.cleanupTime(window);
    if (t >= MAX_WATERMARK) return;
    if (this.spec.assigner.isEventTime()) this.timers.registerEventTimeTimer(window, t);
    else this.timers.registerProcessingTimeTimer(window, t);
  }

  private isWindowLate(window: Window): boolean {
    return this.spec.assigner.isEventTime() && this.cleanupTime(window) <= this.currentWatermark;
  }

  private isElementLate(timestamp: number | undefined): boolean {
    return this.spec.assigner.isEventTime() && timestamp !== undefined && timestamp + this.spec.allowedLatenessMs <= this.currentWatermark;
  }

  override async close(): Promise<void> {
    await super.close();
    for (const fn of this.spec.windowFunction.userFunctions) await closeUserFunction(fn);
  }
}
