import type { AggregatedTaskDetails, SubtaskStats } from '../types/responses.js';
import type { SubtaskAttemptDetails } from '../../rpc/gateways/job-view-types.js';

/** Min, max, mean, sum and percentiles of one number over subtasks, all integral as Flink reports them. */
export function statsOf(values: readonly number[]): SubtaskStats {
  if (values.length === 0) return { min: 0, max: 0, avg: 0, sum: 0, median: 0, p25: 0, p75: 0, p95: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    min: Math.round(sorted[0]!),
    max: Math.round(sorted[sorted.length - 1]!),
    avg: Math.round(sum / sorted.length),
    sum: Math.round(sum),
    median: percentile(sorted, 50),
    p25: percentile(sorted, 25),
    p75: percentile(sorted, 75),
    p95: percentile(sorted, 95),
  };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return Math.round(sorted[rank - 1]!);
}

const METRIC_FIELDS = {
  'read-bytes': (s: SubtaskAttemptDetails) => s.metrics.readBytes,
  'write-bytes': (s: SubtaskAttemptDetails) => s.metrics.writeBytes,
  'read-records': (s: SubtaskAttemptDetails) => s.metrics.readRecords,
  'write-records': (s: SubtaskAttemptDetails) => s.metrics.writeRecords,
  'accumulated-backpressured-time': (s: SubtaskAttemptDetails) => s.metrics.accumulatedBackpressuredTime,
  'accumulated-idle-time': (s: SubtaskAttemptDetails) => s.metrics.accumulatedIdleTime,
  'accumulated-busy-time': (s: SubtaskAttemptDetails) => s.metrics.accumulatedBusyTime,
} as const;

/** Flink's AggregatedTaskDetailsInfo: statistics of the I/O metrics and of the time spent per state. */
export function aggregatedJson(subtasks: readonly SubtaskAttemptDetails[]): AggregatedTaskDetails {
  const metrics = Object.fromEntries(Object.entries(METRIC_FIELDS).map(([name, read]) => [name, statsOf(subtasks.map(read))]));
  const states = [...new Set(subtasks.flatMap((subtask) => Object.keys(subtask.statusDurations)))];
  const statusDuration = Object.fromEntries(
    states.map((state) => [state, statsOf(subtasks.map((subtask) => (subtask.statusDurations as Record<string, number>)[state] ?? 0))]),
  );
  return { metrics, 'status-duration': statusDuration };
}
