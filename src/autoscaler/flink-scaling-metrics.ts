import type { ScalingMetricValue } from '../rest/types/responses.js';
import type { VertexDecision } from './scaling-decision.js';

/**
 * The per-vertex metrics Flink's autoscaler reports (its ScalingMetric.REPORTED_VERTEX_METRICS), in
 * Flink's names and order, less NUM_SOURCE_PARTITIONS (Kafka partitions; tsflink's sources have
 * none). Each has a `Current` value; the three Flink averages over the metric window also have an
 * `Average`.
 */
export const FLINK_SCALING_METRICS = [
  'LOAD',
  'TRUE_PROCESSING_RATE',
  'TARGET_DATA_RATE',
  'CATCH_UP_DATA_RATE',
  'LAG',
  'PARALLELISM',
  'RECOMMENDED_PARALLELISM',
  'MAX_PARALLELISM',
  'SCALE_UP_RATE_THRESHOLD',
  'SCALE_DOWN_RATE_THRESHOLD',
  'EXPECTED_PROCESSING_RATE',
] as const;

/** One of Flink's reported scaling metrics. */
export type FlinkScalingMetric = (typeof FLINK_SCALING_METRICS)[number];

const value = (n: number | undefined): number | null => (n === undefined || !Number.isFinite(n) ? null : Math.round(n * 1000) / 1000);

/**
 * A vertex decision's figures as Flink's scaling metrics. Where tsflink keeps only the window's
 * figure (thresholds, catch-up rate), that is the `Current` value, as Flink's evaluator also gives
 * those once per evaluation. EXPECTED_PROCESSING_RATE is the true processing rate scaled to the
 * recommended parallelism, Flink's linear-scaling assumption.
 */
export function flinkScalingMetrics(v: VertexDecision): Record<FlinkScalingMetric, ScalingMetricValue> {
  const expected = (v.trueProcessingRate * v.recommendedParallelism) / v.currentParallelism;
  return {
    LOAD: { current: value(v.current.load), average: value(v.load) },
    TRUE_PROCESSING_RATE: { current: value(v.current.trueProcessingRate), average: value(v.trueProcessingRate) },
    TARGET_DATA_RATE: { current: value(v.current.targetDataRate), average: value(v.targetDataRate) },
    CATCH_UP_DATA_RATE: { current: value(v.catchUpDataRate) },
    LAG: { current: value(v.pendingRecords) },
    PARALLELISM: { current: v.currentParallelism },
    RECOMMENDED_PARALLELISM: { current: v.recommendedParallelism },
    MAX_PARALLELISM: { current: v.maxParallelism },
    SCALE_UP_RATE_THRESHOLD: { current: value(v.scaleUpThreshold) },
    SCALE_DOWN_RATE_THRESHOLD: { current: value(v.scaleDownThreshold) },
    EXPECTED_PROCESSING_RATE: { current: value(expected) },
  };
}
