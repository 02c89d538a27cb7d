import type { FailoverStrategy } from './region-failover.js';

/** Timeouts of the Adaptive Scheduler, with Reactive Mode's defaults already applied. */
export interface AdaptiveSchedulerSettings {
  readonly resourceWaitTimeoutMs: number;
  readonly resourceStabilizationTimeoutMs: number;
  readonly cooldownMs: number;
  readonly executingStabilizationMs: number;
  readonly scalingIntervalMaxMs: number | undefined;
  /** A scale-up waits this long for a fresh checkpoint to rescale from; undefined: rescale from the latest one at once (Flink 1.x). */
  readonly freshCheckpointDelayMs: number | undefined;
  /** `jobmanager.execution.failover-strategy`: whether a task failure restarts only its pipelined region. */
  readonly failoverStrategy: FailoverStrategy;
}
