/**
 * Event-time and processing-time timers of one keyed operator, scoped by key and namespace. Timers
 * are keyed state: they go into the key groups' snapshot chunks and come back on restore.
 */
import { StateError } from '../runtime-errors.js';
import type { Cancellable, ProcessingTimeService } from '../task-contract.js';
import { MIN_WATERMARK } from '../task-contract.js';
import type { HeapKeyedStateBackend, RestoredTimer } from '../state/heap-keyed-state-backend.js';
import type { TimerSnapshotSource } from '../state/snapshot-timers.js';
import type { ChunkTimer } from '../state/key-group-chunk.js';
import type { Namespace } from '../state/namespace.js';
import { TimerHeap, type InternalTimer } from './timer-heap.js';

/** Receives the timers of a timer service when they fire, with their key already current. */
export interface Triggerable {
  onEventTime(timer: InternalTimer): void;
  onProcessingTime(timer: InternalTimer): void;
}

const EVENT_TIME = 0;
const PROCESSING_TIME = 1;

/** The timers of one operator (Flink's InternalTimerServiceImpl). */
export class InternalTimerService implements TimerSnapshotSource {
  private readonly eventTimers = new TimerHeap();
  private readonly processingTimers = new TimerHeap();
  private nextProcessingTimer: Cancellable | undefined;
  private nextProcessingTime = Number.POSITIVE_INFINITY;
  currentWatermark = MIN_WATERMARK;

  constructor(
    readonly name: string,
    private readonly backend: HeapKeyedStateBackend,
    private readonly processingTime: ProcessingTimeService,
    private readonly target: Triggerable,
  ) {
    backend.addTimerSnapshotSource(this);
    this.addRestoredTimers(backend.takeRestoredTimers(name));
  }

  addRestoredTimers(timers: readonly RestoredTimer[]): void {
    for (const t of timers) {
      const heap = t.domain === EVENT_TIME ? this.eventTimers : this.processingTimers;
      heap.add(t.timestamp, t.key, t.canonicalKey, t.groupIndex, t.namespace);
    }
    this.rescheduleProcessingTimer();
  }

  currentProcessingTime(): number {
    return this.processingTime.now();
  }

  registerEventTimeTimer(namespace: Namespace, timestamp: number): void {
    const b = this.keyedBackend();
    this.eventTimers.add(timestamp, b.currentKey, b.currentCanonicalKey, b.currentGroupIndex, namespace);
    b.timersChanged(b.currentGroupIndex);
  }

  deleteEventTimeTimer(namespace: Namespace, timestamp: number): void {
    this.eventTimers.remove(this.backend.currentCanonicalKey, namespace.nsKey, timestamp);
    this.backend.timersChanged(this.backend.currentGroupIndex);
  }

  registerProcessingTimeTimer(namespace: Namespace, timestamp: number): void {
    const b = this.keyedBackend();
    b.timersChanged(b.currentGroupIndex);
    if (
      this.processingTimers.add(timestamp, b.currentKey, b.currentCanonicalKey, b.currentGroupIndex, namespace) &&
      timestamp < this.nextProcessingTime
    ) {
      this.rescheduleProcessingTimer();
    }
  }

  deleteProcessingTimeTimer(namespace: Namespace, timestamp: number): void {
    this.processingTimers.remove(this.backend.currentCanonicalKey, namespace.nsKey, timestamp);
    this.backend.timersChanged(this.backend.currentGroupIndex);
  }

  private keyedBackend(): HeapKeyedStateBackend {
    if (this.backend.currentGroupIndex < 0)
      throw new StateError('Timers can only be registered while processing a record or timer of a keyed stream');
    return this.backend;
  }

  /** Fires every event-time timer at or before `watermark`, in time order. */
  advanceWatermark(watermark: number): void {
    this.currentWatermark = watermark;
    for (let t = this.eventTimers.peek(); t !== undefined && t.timestamp <= watermark; t = this.eventTimers.peek()) {
      this.eventTimers.poll();
      this.backend.timersChanged(t.groupIndex);
      this.backend.setCurrentKeyOfTimer(t.key, t.canonicalKey, t.groupIndex);
      this.target.onEventTime(t);
    }
  }

  private onProcessingTime(time: number): void {
    this.nextProcessingTimer = undefined;
    this.nextProcessingTime = Number.POSITIVE_INFINITY;
    for (let t = this.processingTimers.peek(); t !== undefined && t.timestamp <= time; t = this.processingTimers.peek()) {
      this.processingTimers.poll();
      this.backend.timersChanged(t.groupIndex);
      this.backend.setCurrentKeyOfTimer(t.key, t.canonicalKey, t.groupIndex);
      this.target.onProcessingTime(t);
    }
    this.rescheduleProcessingTimer();
  }

  private rescheduleProcessingTimer(): void {
    const head = this.processingTimers.peek();
    if (head === undefined || head.timestamp >= this.nextProcessingTime) return;
    this.nextProcessingTimer?.cancel();
    this.nextProcessingTime = head.timestamp;
    this.nextProcessingTimer = this.processingTime.registerTimer(head.timestamp, (ts) => this.onProcessingTime(ts));
  }

  /** Withdraws the pending wall-clock callback (on close). */
  dispose(): void {
    this.nextProcessingTimer?.cancel();
    this.nextProcessingTimer = undefined;
  }

  numEventTimeTimers(): number {
    return this.eventTimers.size;
  }

  numProcessingTimeTimers(): number {
    return this.processingTimers.size;
  }

  snapshotTimers(): Map<number, ChunkTimer[]> {
    const byGroup = new Map<number, ChunkTimer[]>();
    const add = (t: InternalTimer, domain: number): void => {
      let list = byGroup.get(t.groupIndex);
      if (list === undefined) byGroup.set(t.groupIndex, (list = []));
      list.push({ key: t.key, namespace: t.namespace, timestamp: t.timestamp, domain });
    };
    for (const t of this.eventTimers.values()) add(t, EVENT_TIME);
    for (const t of this.processingTimers.values()) add(t, PROCESSING_TIME);
    return byGroup;
  }
}
