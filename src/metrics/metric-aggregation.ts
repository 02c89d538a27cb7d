import type { MetricValue } from './metric-group.js';
import type { MetricEntries } from './metric-query.js';

/** Flink's AggregationMode, as REST's `agg` parameter names them. */
export type AggregationMode = 'min' | 'max' | 'sum' | 'avg' | 'skew';

/** Every mode, in the order Flink writes them. */
export const AGGREGATION_MODES: readonly AggregationMode[] = ['min', 'max', 'avg', 'sum', 'skew'];

/** One aggregated metric as REST returns it: the id and the requested aggregates. */
export type AggregatedMetric = { readonly id: string } & Partial<Record<AggregationMode, number>>;

/** Flink's long bounds: a double cannot hold them, so the extremes are written out. */
const LONG_MIN_TEXT = '-9223372036854775808';
const LONG_MAX_TEXT = '9223372036854775807';

/**
 * A metric value as REST's `value` string: integers in full (watermarks at Flink's Long bounds
 * print as Flink prints them), other numbers as JavaScript writes them, text as is.
 */
export function formatMetricValue(value: MetricValue): string {
  if (typeof value === 'string') return value;
  if (value <= -(2 ** 63)) return LONG_MIN_TEXT;
  if (value >= 2 ** 63) return LONG_MAX_TEXT;
  if (Number.isInteger(value) && Math.abs(value) > Number.MAX_SAFE_INTEGER) return BigInt(value).toString();
  return String(value);
}

/** A value as a number for aggregation; text that is not numeric counts as absent. */
function numeric(value: MetricValue): number | undefined {
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(number) && !(typeof value === 'string' && value.trim() === '') ? number : undefined;
}

/**
 * Aggregates each requested metric over the components that have it (Flink's
 * AbstractAggregatingMetricsHandler); a metric none of them has is left out. Skew is how far the
 * maximum lies above the mean, as a percentage of the maximum (0 when the maximum is 0).
 */
export function aggregateMetrics(
  components: readonly MetricEntries[],
  names: readonly string[],
  modes: readonly AggregationMode[],
): AggregatedMetric[] {
  const lookups = components.map((entries) => new Map(entries));
  const out: AggregatedMetric[] = [];
  for (const id of names) {
    const values: number[] = [];
    for (const lookup of lookups) {
      const raw = lookup.get(id);
      const value = raw === undefined ? undefined : numeric(raw);
      if (value !== undefined) values.push(value);
    }
    if (values.length === 0) continue;
    const sum = values.reduce((total, value) => total + value, 0);
    const min = Math.min(...values);
    const max = Math.max(...values);
    const avg = sum / values.length;
    const all: Record<AggregationMode, number> = { min, max, avg, sum, skew: max === 0 ? 0 : ((max - avg) / Math.abs(max)) * 100 };
    const metric: Record<string, number | string> = { id };
    for (const mode of AGGREGATION_MODES) if (modes.includes(mode)) metric[mode] = all[mode];
    out.push(metric as AggregatedMetric);
  }
  return out;
}

/** The distinct metric ids over several components, in order of first appearance. */
export function availableMetricIds(components: readonly MetricEntries[]): string[] {
  const ids = new Set<string>();
  for (const entries of components) for (const [id] of entries) ids.add(id);
  return [...ids];
}
