import type { ExecutionAttemptId, ResourceId } from '../core/ids.js';
import type { IoMetrics } from '../rpc/gateways/job-view-types.js';
import type { TaskMetricsReport, TaskMetricsSnapshot } from '../rpc/gateways/task-metrics-report.js';
import type { MetricValue } from './metric-group.js';
import { MetricNames as N } from './metric-names.js';

/** The last report of one attempt, as the JobManager keeps it. */
export interface StoredTaskMetrics {
  readonly resourceId: ResourceId;
  readonly receivedAt: number;
  readonly snapshot: TaskMetricsSnapshot;
}

/**
 * The latest task metrics TaskManagers reported for one job, by attempt. Attempts of earlier runs
 * are dropped with `retainOnly` once a newer run exists, so a rescale shows the new attempts only.
 */
export class TaskMetricStore {
  private readonly attempts = new Map<ExecutionAttemptId, StoredTaskMetrics>();

  update(report: TaskMetricsReport, now = Date.now()): void {
    for (const snapshot of report.tasks)
      this.attempts.set(snapshot.attemptId, { resourceId: report.resourceId, receivedAt: now, snapshot });
  }

  get(attemptId: ExecutionAttemptId): StoredTaskMetrics | undefined {
    return this.attempts.get(attemptId);
  }

  /** Forgets every attempt `keep` rejects. */
  retainOnly(keep: (attemptId: ExecutionAttemptId) => boolean): void {
    for (const attemptId of [...this.attempts.keys()]) if (!keep(attemptId)) this.attempts.delete(attemptId);
  }

  get size(): number {
    return this.attempts.size;
  }
}

/** Flink's REST I/O counters of one attempt (read/write records and bytes, accumulated times). */
export function ioMetricsOf(snapshot: TaskMetricsSnapshot): IoMetrics {
  const m = snapshot.metrics;
  const value = (name: string): number => m[name] ?? 0;
  return {
    readBytes: value(N.NUM_BYTES_IN),
    readBytesComplete: true,
    writeBytes: value(N.NUM_BYTES_OUT),
    writeBytesComplete: true,
    readRecords: value(N.NUM_RECORDS_IN),
    readRecordsComplete: true,
    writeRecords: value(N.NUM_RECORDS_OUT),
    writeRecordsComplete: true,
    accumulatedBackpressuredTime: value(N.ACC_BACK_PRESSURED_TIME),
    accumulatedIdleTime: value(N.ACC_IDLE_TIME),
    accumulatedBusyTime: value(N.ACC_BUSY_TIME),
  };
}

/** Operator names as Flink's metric query service writes them in metric ids: space, `:`, `.` and `,` become `_`. */
export function metricIdComponent(name: string): string {
  return name.replace(/[ :.,]/g, '_');
}

/** One subtask's metrics as REST names them: task metrics by name, operator metrics as `<operator>.<name>`. */
export function subtaskMetricEntries(snapshot: TaskMetricsSnapshot): Array<[string, MetricValue]> {
  const out: Array<[string, MetricValue]> = Object.entries(snapshot.metrics);
  for (const operator of snapshot.operators) {
    const prefix = metricIdComponent(operator.name);
    for (const [name, value] of Object.entries(operator.metrics)) out.push([`${prefix}.${name}`, value]);
  }
  return out;
}
