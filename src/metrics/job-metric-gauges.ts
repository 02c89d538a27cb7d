import type { MetricGroup } from './metric-group.js';
import { CHECKPOINT_METRIC_NAMES, MetricNames as N } from './metric-names.js';

/** Flink's checkpoint job metrics, cumulative over the job's life (the checkpoint stats tracker gives them). */
export type CheckpointMetricValues = Readonly<Record<(typeof CHECKPOINT_METRIC_NAMES)[number], number | string>>;

/** Where a job's JobManager-side metrics come from. */
export interface JobMetricSource {
  numRestarts(): number;
  numRescales(): number;
  uptime(): number;
  downtime(): number;
  restartingTime(): number;
  checkpoints(): CheckpointMetricValues;
}

/** Registers Flink's job metrics (`jobmanager.job` scope) on a job's group. */
export function registerJobMetrics(group: MetricGroup, source: JobMetricSource): void {
  group
    .gauge(N.NUM_RESTARTS, () => source.numRestarts())
    .gauge(N.NUM_RESCALES, () => source.numRescales())
    .gauge(N.UPTIME, () => source.uptime())
    .gauge(N.DOWNTIME, () => source.downtime())
    .gauge(N.RESTARTING_TIME, () => source.restartingTime());
  for (const name of CHECKPOINT_METRIC_NAMES) group.gauge(name, () => source.checkpoints()[name]);
}

/** What the JobManager's own metrics read: the cluster as REST's /overview counts it. */
export interface JobManagerMetricSource {
  readonly taskManagers: number;
  readonly slotsTotal: number;
  readonly slotsAvailable: number;
  readonly jobsRunning: number;
}

/** Registers Flink's JobManager metrics (`jobmanager` scope): TaskManagers, slots and running jobs. */
export function registerJobManagerMetrics(group: MetricGroup, overview: () => JobManagerMetricSource): void {
  group
    .gauge(N.NUM_REGISTERED_TASK_MANAGERS, () => overview().taskManagers)
    .gauge(N.NUM_RUNNING_JOBS, () => overview().jobsRunning)
    .gauge(N.TASK_SLOTS_AVAILABLE, () => overview().slotsAvailable)
    .gauge(N.TASK_SLOTS_TOTAL, () => overview().slotsTotal);
}
