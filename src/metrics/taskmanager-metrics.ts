import type { ExecutionAttemptId, JobId, ResourceId } from '../core/ids.js';
import type { TaskMetricsReport, TaskMetricsSnapshot } from '../rpc/gateways/task-metrics-report.js';
import type { MetricGroup } from './metric-group.js';
import { StatusMetricNames } from './metric-names.js';
import { MetricRegistry } from './metric-registry.js';
import { ProcessSampler, registerProcessMetrics } from './process-metrics.js';
import { TaskMetrics, type TaskMetricProbe } from './task-metrics.js';

/** How often task rates are sampled and reports go to the JobMasters. */
export const TASK_METRICS_REPORT_INTERVAL_MS = 1_000;

/** What the TaskManager's metrics need to know about it. */
export interface TaskManagerMetricsSettings {
  readonly host: string;
  readonly resourceId: ResourceId;
  /** Slots of the TaskManager, and how many no job holds. */
  readonly slots: () => { readonly total: number; readonly available: number };
  /** Sends one job's report to its JobMaster; failures are the sender's to swallow. */
  readonly send: (report: TaskMetricsReport) => void;
  /** Monotonic milliseconds for rates; this.now() unless a test drives the clock. */
  readonly now?: () => number;
}

/** A TaskManager job group shared by that job's tasks here, closed with the last of them. */
interface JobGroupEntry {
  readonly group: MetricGroup;
  users: number;
}

/**
 * A TaskManager's metrics: the registry its reporters read (`taskmanager` scope with the process's
 * `Status.*`, `taskmanager.job.task` and `.operator` per subtask), and the once-a-second tick that
 * samples task rates and reports each job's task metrics to its JobMaster. A task that ends is
 * reported once more with its final counters.
 */
export class TaskManagerMetrics {
  readonly registry = new MetricRegistry();
  readonly group: MetricGroup;
  private readonly sampler = new ProcessSampler();
  private readonly jobs = new Map<string, JobGroupEntry>();
  private readonly tasks = new Map<string, TaskMetrics>();
  /** Final snapshots of ended tasks, by job, sent with the next tick. */
  private readonly finals = new Map<JobId, TaskMetricsSnapshot[]>();
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly settings: TaskManagerMetricsSettings) {
    this.now = settings.now ?? (() => performance.now());
    this.group = this.registry.addRoot('taskmanager', { host: settings.host, tm_id: settings.resourceId });
    registerProcessMetrics(this.group, this.sampler);
    this.group
      .gaugeAt(StatusMetricNames.SLOTS_TOTAL, () => settings.slots().total)
      .gaugeAt(StatusMetricNames.SLOTS_AVAILABLE, () => settings.slots().available);
  }

  /** Starts the periodic tick; it never keeps the process alive. */
  start(intervalMs = TASK_METRICS_REPORT_INTERVAL_MS): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const task of this.tasks.values()) task.close();
    this.tasks.clear();
  }

  /** A subtask began running: its metrics join the registry and the reports. */
  addTask(probe: TaskMetricProbe): void {
    const id = probe.identity;
    if (this.tasks.has(id.attemptId)) return;
    let job = this.jobs.get(id.jobId);
    if (job === undefined) {
      job = { group: this.group.addScopedGroup('job', { job_id: id.jobId, job_name: id.jobName }), users: 0 };
      this.jobs.set(id.jobId, job);
    }
    job.users++;
    const metrics = new TaskMetrics(job.group, probe);
    metrics.tick(this.now());
    this.tasks.set(id.attemptId, metrics);
  }

  /** A subtask ended: its final values go out with the next report, then its metrics are gone. */
  removeTask(attemptId: ExecutionAttemptId): void {
    const metrics = this.tasks.get(attemptId);
    if (metrics === undefined) return;
    this.tasks.delete(attemptId);
    metrics.tick(this.now());
    const jobId = metrics.probe.identity.jobId;
    this.finals.set(jobId, [...(this.finals.get(jobId) ?? []), metrics.snapshot()]);
    metrics.close();
    const job = this.jobs.get(jobId);
    if (job !== undefined && --job.users === 0) {
      job.group.close();
      this.jobs.delete(jobId);
    }
  }

  /** Samples every task's rates and sends one report per job (also called directly by tests). */
  tick(): void {
    this.sampler.sample();
    const now = this.now();
    const byJob = new Map<JobId, TaskMetricsSnapshot[]>(this.finals);
    this.finals.clear();
    for (const task of this.tasks.values()) {
      task.tick(now);
      const jobId = task.probe.identity.jobId;
      const list = byJob.get(jobId);
      if (list === undefined) byJob.set(jobId, [task.snapshot()]);
      else list.push(task.snapshot());
    }
    for (const [jobId, tasks] of byJob) this.settings.send({ jobId, resourceId: this.settings.resourceId, tasks });
  }
}
