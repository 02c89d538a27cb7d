import { getLogger } from '../../core/logging.js';
import type { Configuration } from '../../config/configuration.js';
import {
  ADAPTIVE_SCHEDULER_COOLDOWN_AFTER_RESCALING,
  ADAPTIVE_SCHEDULER_EXECUTING_RESOURCE_STABILIZATION_TIMEOUT,
  ADAPTIVE_SCHEDULER_MIN_PARALLELISM_INCREASE,
  ADAPTIVE_SCHEDULER_RESCALE_TRIGGER_FRESH_CHECKPOINT,
  ADAPTIVE_SCHEDULER_RESCALE_TRIGGER_MAX_DELAY,
  ADAPTIVE_SCHEDULER_RESOURCE_STABILIZATION_TIMEOUT,
  ADAPTIVE_SCHEDULER_RESOURCE_WAIT_TIMEOUT,
  ADAPTIVE_SCHEDULER_SCALING_INTERVAL_MAX,
  JOB_MANAGER_SCHEDULER,
  SCHEDULER_MODE,
} from '../../config/options/scheduler-options.js';
import { JOB_MANAGER_EXECUTION_FAILOVER_STRATEGY } from '../../config/options/jobmanager-options.js';
import { AdaptiveResources } from '../scheduler/adaptive/adaptive-resources.js';
import { AdaptiveScheduler } from '../scheduler/adaptive/adaptive-scheduler.js';
import type { AdaptiveSchedulerSettings } from '../scheduler/adaptive/adaptive-scheduler-settings.js';
import type { JobCheckpointing } from '../scheduler/checkpointing/job-checkpointing.js';
import { DefaultScheduler } from '../scheduler/default/default-scheduler.js';
import type { SchedulerContext } from '../scheduler/scheduler-context.js';
import type { SchedulerNG } from '../scheduler/scheduler-ng.js';
import type { RescaleTimeline } from './rescale-timeline.js';

const log = getLogger('jobmaster');

/** Whether the job runs under Reactive Mode (scheduler-mode: reactive). */
export function isReactive(configuration: Configuration): boolean {
  return configuration.get(SCHEDULER_MODE) === 'REACTIVE';
}

/** Reactive Mode implies the Adaptive Scheduler, whatever jobmanager.scheduler says. */
export function usesAdaptiveScheduler(configuration: Configuration): boolean {
  return isReactive(configuration) || configuration.get(JOB_MANAGER_SCHEDULER) === 'Adaptive';
}

/** Flink's default rescale-trigger.max-delay is (max-checkpoint-failures + 1) × interval, with 2 failures by default. */
const DEFAULT_MAX_DELAY_INTERVALS = 3;

/**
 * How long a scale-up waits for its fresh checkpoint: rescale-trigger.max-delay, or three checkpoint
 * intervals; undefined when fresh checkpoints are off or there is no checkpointing (rescale at once).
 */
export function freshCheckpointDelay(configuration: Configuration, checkpointIntervalMs: number | undefined): number | undefined {
  if (!configuration.get(ADAPTIVE_SCHEDULER_RESCALE_TRIGGER_FRESH_CHECKPOINT) || checkpointIntervalMs === undefined) return undefined;
  return configuration.get(ADAPTIVE_SCHEDULER_RESCALE_TRIGGER_MAX_DELAY) ?? DEFAULT_MAX_DELAY_INTERVALS * checkpointIntervalMs;
}

/** The Adaptive Scheduler's timeouts and failover strategy, with Reactive Mode's defaults where the user set nothing. */
export function adaptiveSettings(configuration: Configuration, checkpointIntervalMs?: number): AdaptiveSchedulerSettings {
  const reactive = isReactive(configuration);
  const unlessSet = (option: typeof ADAPTIVE_SCHEDULER_RESOURCE_WAIT_TIMEOUT, reactiveDefault: number): number =>
    reactive && !configuration.isExplicitlySet(option) ? reactiveDefault : configuration.get(option);
  return {
    resourceWaitTimeoutMs: unlessSet(ADAPTIVE_SCHEDULER_RESOURCE_WAIT_TIMEOUT, -1),
    resourceStabilizationTimeoutMs: unlessSet(ADAPTIVE_SCHEDULER_RESOURCE_STABILIZATION_TIMEOUT, 0),
    cooldownMs: configuration.get(ADAPTIVE_SCHEDULER_COOLDOWN_AFTER_RESCALING),
    executingStabilizationMs: configuration.get(ADAPTIVE_SCHEDULER_EXECUTING_RESOURCE_STABILIZATION_TIMEOUT),
    scalingIntervalMaxMs: configuration.get(ADAPTIVE_SCHEDULER_SCALING_INTERVAL_MAX),
    freshCheckpointDelayMs: freshCheckpointDelay(configuration, checkpointIntervalMs),
    failoverStrategy: configuration.get(JOB_MANAGER_EXECUTION_FAILOVER_STRATEGY),
  };
}

/** Builds the job's scheduler: Default, or Adaptive (Reactive Mode or jobmanager.scheduler: adaptive). */
export function createScheduler(
  configuration: Configuration,
  context: SchedulerContext,
  checkpointing: JobCheckpointing,
  timeline: RescaleTimeline,
): SchedulerNG {
  if (!usesAdaptiveScheduler(configuration)) return new DefaultScheduler(context, checkpointing);
  const reactive = isReactive(configuration);
  if (reactive) {
    log.info(
      `Reactive Mode: the configured parallelism of job ${context.jobId} and its operators is ignored; each vertex runs with as many slots as the cluster offers, up to its max parallelism.`,
    );
    if (!checkpointing.enabled) {
      log.warn(
        `Reactive Mode without checkpointing: job ${context.jobId} loses its state at every rescale, and a lost TaskManager fails it (no restart strategy). Set execution.checkpointing.interval to keep state across rescales.`,
      );
    }
  }
  const resources = new AdaptiveResources(
    context.graph,
    context.slotPool,
    context.jobId,
    reactive,
    context.defaultParallelism,
    configuration.get(ADAPTIVE_SCHEDULER_MIN_PARALLELISM_INCREASE),
  );
  return new AdaptiveScheduler(
    context,
    resources,
    checkpointing,
    adaptiveSettings(configuration, checkpointing.settings.intervalMs),
    timeline,
  );
}
