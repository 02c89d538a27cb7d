import type { Configuration } from '../config/configuration.js';
import * as O from '../config/options/autoscaler-options.js';

/** The decision engine's knobs, resolved once from the job.autoscaler.* options (durations in ms). */
export interface AutoscalerSettings {
  readonly scalingEnabled: boolean;
  readonly metricsWindowMs: number;
  readonly stabilizationIntervalMs: number;
  readonly targetUtilization: number;
  readonly targetUtilizationBoundary: number;
  readonly scaleUpMaxFactor: number;
  readonly scaleDownMaxFactor: number;
  readonly scaleDownIntervalMs: number;
  readonly catchUpDurationMs: number;
  readonly restartTimeMs: number;
  readonly backlogLagThresholdMs: number;
  readonly vertexMinParallelism: number;
  readonly vertexMaxParallelism: number;
  readonly busyTimeAggregator: 'MAX' | 'AVG' | 'MIN';
  readonly keyGroupAdjustMode: 'EVENLY_SPREAD' | 'MAXIMIZE_UTILISATION';
}

/** The settings a configuration names, defaults filled in. */
export function autoscalerSettings(config: Configuration): AutoscalerSettings {
  return {
    scalingEnabled: config.get(O.AUTOSCALER_SCALING_ENABLED),
    metricsWindowMs: config.get(O.AUTOSCALER_METRICS_WINDOW),
    stabilizationIntervalMs: config.get(O.AUTOSCALER_STABILIZATION_INTERVAL),
    targetUtilization: config.get(O.AUTOSCALER_TARGET_UTILIZATION),
    targetUtilizationBoundary: config.get(O.AUTOSCALER_TARGET_UTILIZATION_BOUNDARY),
    scaleUpMaxFactor: config.get(O.AUTOSCALER_SCALE_UP_MAX_FACTOR),
    scaleDownMaxFactor: config.get(O.AUTOSCALER_SCALE_DOWN_MAX_FACTOR),
    scaleDownIntervalMs: config.get(O.AUTOSCALER_SCALE_DOWN_INTERVAL),
    catchUpDurationMs: config.get(O.AUTOSCALER_CATCH_UP_DURATION),
    restartTimeMs: config.get(O.AUTOSCALER_RESTART_TIME),
    backlogLagThresholdMs: config.get(O.AUTOSCALER_BACKLOG_LAG_THRESHOLD),
    vertexMinParallelism: config.get(O.AUTOSCALER_VERTEX_MIN_PARALLELISM),
    vertexMaxParallelism: config.get(O.AUTOSCALER_VERTEX_MAX_PARALLELISM),
    busyTimeAggregator: config.get(O.AUTOSCALER_BUSY_TIME_AGGREGATOR),
    keyGroupAdjustMode: config.get(O.AUTOSCALER_KEY_GROUP_ADJUST_MODE),
  };
}
