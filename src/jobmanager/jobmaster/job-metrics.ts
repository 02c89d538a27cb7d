import type { JobId, VertexId } from '../../core/ids.js';
import type { IoMetrics } from '../../rpc/gateways/job-view-types.js';
import type { TaskMetricsReport } from '../../rpc/gateways/task-metrics-report.js';
import { registerJobMetrics, type CheckpointMetricValues, type JobMetricSource } from '../../metrics/job-metric-gauges.js';
import { JobStatusClock } from '../../metrics/job-status-clock.js';
import type { MetricGroup } from '../../metrics/metric-group.js';
import type { JobMetricsView, MetricEntries, SubtaskMetrics } from '../../metrics/metric-query.js';
import { ioMetricsOf, subtaskMetricEntries, TaskMetricStore } from '../../metrics/task-metric-store.js';
import type { CheckpointStatsTracker } from '../checkpoint/checkpoint-stats-tracker.js';
import type { AttemptKey } from '../dispatcher/views/io-metrics.js';
import type { ExecutionGraph } from '../scheduler/execution-graph/execution-graph.js';
import type { JobStatusTracker } from './job-status-tracker.js';
import type { RescaleTimeline } from './rescale-timeline.js';

/** What a job's metrics read from its JobMaster; all of it outlives every execution graph. */
export interface JobMetricsContext {
  readonly jobId: JobId;
  readonly jobName: string;
  readonly schedulerType: 'Default' | 'Adaptive';
  readonly status: JobStatusTracker;
  readonly timeline: RescaleTimeline;
  readonly checkpointStats: CheckpointStatsTracker;
  /** The job graph's vertex ids, known before any run exists. */
  readonly vertexIds: readonly string[];
  currentGraph(): ExecutionGraph | undefined;
}

/**
 * One job's metrics on the JobManager: its `jobmanager.job` group (restarts, rescales, uptime,
 * downtime, restarting time, checkpoint counts) kept over the job's whole life, and the task
 * metrics its TaskManagers report, answered per subtask for REST.
 */
export class JobMetrics implements JobMetricSource, JobMetricsView {
  readonly group: MetricGroup;
  readonly tasks = new TaskMetricStore();
  private readonly clock: JobStatusClock;
  /** Entries into RESTARTING: the default scheduler's restart count. */
  private restartingEntries = 0;
  private lastGraph: ExecutionGraph | undefined;

  constructor(
    jobManagerGroup: MetricGroup,
    private readonly context: JobMetricsContext,
  ) {
    this.group = jobManagerGroup.addScopedGroup('job', { job_id: context.jobId, job_name: context.jobName });
    const history = context.status.history;
    this.clock = new JobStatusClock(context.status.status, history[history.length - 1]?.timestamp ?? Date.now());
    context.status.addListener((status, _previous, timestamp) => {
      this.clock.onTransition(status, timestamp);
      if (status === 'RESTARTING') this.restartingEntries++;
      this.graph();
    });
    registerJobMetrics(this.group, this);
  }

  numRestarts(): number {
    return this.context.schedulerType === 'Adaptive' ? this.context.timeline.numRestarts : this.restartingEntries;
  }

  numRescales(): number {
    return this.context.timeline.numRescales;
  }

  uptime(): number {
    return this.clock.uptime();
  }

  downtime(): number {
    return this.clock.downtime();
  }

  restartingTime(): number {
    return this.clock.restartingTime();
  }

  checkpoints(): CheckpointMetricValues {
    return this.context.checkpointStats.metrics();
  }

  /** Takes a TaskManager's report; attempts of runs before the current one are forgotten. */
  report(report: TaskMetricsReport): void {
    const graph = this.context.currentGraph();
    this.tasks.update(report);
    if (graph !== undefined) this.tasks.retainOnly((attemptId) => graph.execution(attemptId) !== undefined);
  }

  /** The I/O counters REST shows for one attempt, undefined until it reported. */
  ioMetrics(attempt: AttemptKey): IoMetrics | undefined {
    const stored = this.tasks.get(attempt.attemptId);
    return stored === undefined ? undefined : ioMetricsOf(stored.snapshot);
  }

  jobMetrics(): MetricEntries {
    return this.group.values();
  }

  subtaskMetrics(vertexId: VertexId): readonly SubtaskMetrics[] | undefined {
    const graph = this.graph();
    if (graph === undefined) return this.context.vertexIds.includes(vertexId) ? [] : undefined;
    const vertex = graph.vertex(vertexId);
    if (vertex === undefined) return undefined;
    const out: SubtaskMetrics[] = [];
    for (const execution of vertex.executions) {
      const stored = this.tasks.get(execution.attemptId);
      if (stored !== undefined) out.push({ subtaskIndex: execution.subtaskIndex, metrics: subtaskMetricEntries(stored.snapshot) });
    }
    return out;
  }

  /** Leaves the reporters' view (the job ended); its last values stay readable through REST. */
  close(): void {
    this.group.close();
  }

  /** The current run's graph, else the last one seen (a job that ended or is between runs). */
  private graph(): ExecutionGraph | undefined {
    const current = this.context.currentGraph();
    if (current !== undefined) this.lastGraph = current;
    return this.lastGraph;
  }
}
