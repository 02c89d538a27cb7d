import type { JobId } from '../../../core/ids.js';
import type { JobVertex } from '../../../jobgraph/job-graph.js';
import type { JobMaster } from '../../jobmaster/job-master.js';
import { AdaptiveScheduler } from '../../scheduler/adaptive/adaptive-scheduler.js';
import type { Execution } from '../../scheduler/execution-graph/execution.js';
import type { ExecutionGraph } from '../../scheduler/execution-graph/execution-graph.js';
import type { JobStatus } from '../../../rest/types/job-status.js';
import { configuredPlan } from '../../scheduler/parallelism-plan.js';

/** A vertex as REST shows it: its parallelism in the run shown, and that run's attempts (none before the first run). */
export interface VertexShape {
  readonly jobVertex: JobVertex;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly executions: readonly Execution[];
  /**
   * True while an Adaptive Scheduler job waits for its first graph: as Flink's sparse archived graph,
   * the vertex shows its initial parallelism but has no subtasks yet, so it counts no tasks.
   */
  readonly sparse?: boolean;
}

/**
 * A job the dispatcher runs, seen from REST. It remembers the last execution graph of the job, so
 * a job that ended (or is restarting) still shows its last run, as Flink's archived graph does.
 */
export class TrackedJob {
  private lastGraph: ExecutionGraph | undefined;

  constructor(
    readonly master: JobMaster,
    private readonly clusterDefaultParallelism: number,
  ) {
    // Each run enters RUNNING (or ends) through a status change, so this sees every graph.
    master.status.addListener(() => this.remember());
    this.remember();
  }

  get jobId(): JobId {
    return this.master.jobId;
  }

  get status(): JobStatus {
    return this.master.status.status;
  }

  /** The Adaptive Scheduler of the job, if it has one. */
  get adaptiveScheduler(): AdaptiveScheduler | undefined {
    const scheduler = this.master.scheduler;
    return scheduler instanceof AdaptiveScheduler ? scheduler : undefined;
  }

  /**
   * The graph to show: the current run's; none while a new run is being prepared (CREATED,
   * INITIALIZING: Flink then shows the vertices at their initial parallelism); otherwise the last run's.
   */
  graph(): ExecutionGraph | undefined {
    this.remember();
    const current = this.master.scheduler.currentGraph();
    if (current !== undefined) return current;
    const status = this.status;
    return status === 'CREATED' || status === 'INITIALIZING' ? undefined : this.lastGraph;
  }

  /** Every vertex in topological order, with the attempts of the graph shown. */
  vertices(): VertexShape[] {
    const graph = this.graph();
    if (graph !== undefined) {
      return graph.vertices.map((v) => ({
        jobVertex: v.jobVertex,
        parallelism: v.parallelism,
        maxParallelism: v.maxParallelism,
        executions: v.executions,
      }));
    }
    const initial = this.initialParallelism();
    const sparse = this.adaptiveScheduler !== undefined;
    return this.master.submission.graph.vertices.map((jobVertex) => {
      const planned = initial.get(jobVertex.id) ?? { parallelism: 1, maxParallelism: 1 };
      return { jobVertex, parallelism: planned.parallelism, maxParallelism: planned.maxParallelism, executions: [], sparse };
    });
  }

  /** Before a run exists: the Adaptive Scheduler's upper bounds (Reactive Mode: the max parallelism), else the configured plan. */
  private initialParallelism(): ReadonlyMap<string, { parallelism: number; maxParallelism: number }> {
    const adaptive = this.adaptiveScheduler;
    if (adaptive !== undefined) {
      return new Map(adaptive.resources.bounds().map((b) => [b.vertexId, { parallelism: b.upper, maxParallelism: b.maxParallelism }]));
    }
    return configuredPlan(this.master.submission.graph, this.clusterDefaultParallelism);
  }

  private remember(): void {
    const current = this.master.scheduler.currentGraph();
    if (current !== undefined) this.lastGraph = current;
  }
}
