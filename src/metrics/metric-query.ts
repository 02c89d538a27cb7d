import type { JobId, ResourceId, VertexId } from '../core/ids.js';
import type { TaskManagerDetails } from '../rpc/gateways/dispatcher-gateway.js';
import type { MetricGroup, MetricValue } from './metric-group.js';
import { StatusMetricNames as S } from './metric-names.js';

/** Metrics by REST id, in the order they are listed. */
export type MetricEntries = ReadonlyArray<readonly [string, MetricValue]>;

/** One subtask's metrics (task metrics by name, operator metrics as `<operator>.<name>`). */
export interface SubtaskMetrics {
  readonly subtaskIndex: number;
  readonly metrics: MetricEntries;
}

/** A job's metrics as REST reads them. */
export interface JobMetricsView {
  /** Job-scope metrics of the JobManager (numRestarts, uptime, checkpoints, ...). */
  jobMetrics(): MetricEntries;
  /** Every reported subtask of the vertex's current (or last) run; undefined when the job has no such vertex. */
  subtaskMetrics(vertexId: VertexId): readonly SubtaskMetrics[] | undefined;
}

/**
 * The questions REST's metric endpoints ask. Unknown jobs, vertices and TaskManagers answer
 * undefined: Flink's handlers then return an empty list rather than an error.
 */
export interface MetricQuery {
  jobManagerMetrics(): MetricEntries;
  jobIds(): readonly JobId[];
  jobMetrics(jobId: JobId): MetricEntries | undefined;
  subtaskMetrics(jobId: JobId, vertexId: VertexId): readonly SubtaskMetrics[] | undefined;
  taskManagerIds(): readonly ResourceId[];
  taskManagerMetrics(taskManagerId: ResourceId): MetricEntries | undefined;
}

/** Where a JobManager's metric answers come from. */
export interface ClusterMetricSources {
  /** The JobManager's own group (`jobmanager` scope). */
  readonly jobManager: MetricGroup;
  jobIds(): readonly JobId[];
  job(jobId: JobId): JobMetricsView | undefined;
  taskManagers(): readonly TaskManagerDetails[];
}

/** The JobManager's MetricQuery: its own registry, its JobMasters' stores and the TaskManagers' heartbeats. */
export class ClusterMetricQuery implements MetricQuery {
  constructor(private readonly sources: ClusterMetricSources) {}

  jobManagerMetrics(): MetricEntries {
    return this.sources.jobManager.values();
  }

  jobIds(): readonly JobId[] {
    return this.sources.jobIds();
  }

  jobMetrics(jobId: JobId): MetricEntries | undefined {
    return this.sources.job(jobId)?.jobMetrics();
  }

  subtaskMetrics(jobId: JobId, vertexId: VertexId): readonly SubtaskMetrics[] | undefined {
    return this.sources.job(jobId)?.subtaskMetrics(vertexId);
  }

  taskManagerIds(): readonly ResourceId[] {
    return this.sources.taskManagers().map((tm) => tm.resourceId);
  }

  taskManagerMetrics(taskManagerId: ResourceId): MetricEntries | undefined {
    const details = this.sources.taskManagers().find((tm) => tm.resourceId === taskManagerId);
    return details === undefined ? undefined : taskManagerMetricEntries(details);
  }
}

/** A query that knows no metrics (REST routers built without a metrics subsystem). */
export const NO_METRIC_QUERY: MetricQuery = {
  jobManagerMetrics: () => [],
  jobIds: () => [],
  jobMetrics: () => undefined,
  subtaskMetrics: () => undefined,
  taskManagerIds: () => [],
  taskManagerMetrics: () => undefined,
};

/**
 * A TaskManager's metrics as the JobManager knows them: the process sample of its last heartbeat
 * (what Flink's metric fetcher would have pulled, at most heartbeat.interval old) and its slots.
 */
export function taskManagerMetricEntries(details: TaskManagerDetails): MetricEntries {
  const entries: Array<[string, MetricValue]> = [];
  const process = details.process;
  if (process !== undefined) {
    entries.push(
      [S.CPU_LOAD, process.cpuLoad],
      [S.HEAP_USED, process.heapUsed],
      [S.HEAP_COMMITTED, process.heapCommitted],
      [S.HEAP_MAX, process.heapMax],
      [S.RSS, process.rss],
    );
  }
  entries.push([S.SLOTS_TOTAL, details.slotsNumber], [S.SLOTS_AVAILABLE, details.freeSlots]);
  return entries;
}
