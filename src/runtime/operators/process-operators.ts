/** Operators running ProcessFunction (non-keyed) and KeyedProcessFunction (with timers and keyed state). */
import type {
  KeyedProcessFunctionLike,
  OnTimerContext,
  ProcessFunctionLike,
  TimeDomain,
  TimerService,
} from '../functions/process-functions.js';
import { VOID_NAMESPACE } from '../state/namespace.js';
import type { InternalTimerService } from '../timers/internal-timer-service.js';
import type { InternalTimer } from '../timers/timer-heap.js';
import { UnsupportedOperationError } from '../runtime-errors.js';
import { AbstractUdfOperator } from './abstract-udf-operator.js';
import { TimestampedCollector } from './timestamped-collector.js';

/** Runs a ProcessFunction; timers are refused because the stream is not keyed. */
export class ProcessOperator extends AbstractUdfOperator<ProcessFunctionLike<unknown, unknown>> {
  private collector!: TimestampedCollector<unknown>;
  private currentTimestamp: number | undefined;
  private readonly ctx = {
    timestamp: (): number | undefined => this.currentTimestamp,
    timerService: (): TimerService => this.timers,
  };
  private readonly timers: TimerService = {
    currentProcessingTime: () => this.services.processingTime.now(),
    currentWatermark: () => this.currentWatermark,
    registerProcessingTimeTimer: () => refuseTimers(),
    registerEventTimeTimer: () => refuseTimers(),
    deleteProcessingTimeTimer: () => refuseTimers(),
    deleteEventTimeTimer: () => refuseTimers(),
  };

  protected override openOperator(): void {
    this.collector = new TimestampedCollector(this.output);
  }

  processElement(value: unknown, timestamp: number | undefined): void {
    this.currentTimestamp = timestamp;
    this.collector.timestamp = timestamp;
    this.userFunction.processElement(value, this.ctx, this.collector);
  }
}

function refuseTimers(): never {
  throw new UnsupportedOperationError('Setting timers is only supported on a keyed stream, i.e. after keyBy()');
}

/** Runs a KeyedProcessFunction with per-key timers; timer output carries the timer's time (event time) or none. */
export class KeyedProcessOperator extends AbstractUdfOperator<KeyedProcessFunctionLike<unknown, unknown, unknown>> {
  private collector!: TimestampedCollector<unknown>;
  private internalTimers!: InternalTimerService;
  private currentTimestamp: number | undefined;
  private domain: TimeDomain = 'EVENT_TIME';
  private readonly timers: TimerService = {
    currentProcessingTime: () => this.services.processingTime.now(),
    currentWatermark: () => this.internalTimers.currentWatermark,
    registerProcessingTimeTimer: (t) => this.internalTimers.registerProcessingTimeTimer(VOID_NAMESPACE, t),
    registerEventTimeTimer: (t) => this.internalTimers.registerEventTimeTimer(VOID_NAMESPACE, t),
    deleteProcessingTimeTimer: (t) => this.internalTimers.deleteProcessingTimeTimer(VOID_NAMESPACE, t),
    deleteEventTimeTimer: (t) => this.internalTimers.deleteEventTimeTimer(VOID_NAMESPACE, t),
  };
  private readonly ctx: OnTimerContext<unknown> = {
    timestamp: () => this.currentTimestamp,
    timerService: () => this.timers,
    getCurrentKey: () => this.keyedBackend!.currentKey,
    timeDomain: () => this.domain,
  };

  protected override openOperator(): void {
    this.collector = new TimestampedCollector(this.output);
    this.internalTimers = this.getInternalTimerService('user-timers', {
      onEventTime: (t) => this.fire(t, 'EVENT_TIME', t.timestamp),
      onProcessingTime: (t) => this.fire(t, 'PROCESSING_TIME', undefined),
    });
  }

  processElement(value: unknown, timestamp: number | undefined): void {
    this.currentTimestamp = timestamp;
    this.collector.timestamp = timestamp;
    this.userFunction.processElement(value, this.ctx, this.collector);
  }

  private fire(timer: InternalTimer, domain: TimeDomain, outputTimestamp: number | undefined): void {
    this.domain = domain;
    this.currentTimestamp = timer.timestamp;
    this.collector.timestamp = outputTimestamp;
    this.userFunction.onTimer?.(timer.timestamp, this.ctx, this.collector);
  }
}
