import type { JobId, VertexId } from '../../../core/ids.js';
import type { JobGraph } from '../../../jobgraph/job-graph.js';
import type { SlotPool } from '../../slotpool/slot-pool.js';
import type { ShareDemand } from '../../slotpool/slot-shares.js';
import type { ExecutionGraph, VertexParallelism } from '../execution-graph/execution-graph.js';
import { desiredSlots, determineParallelism, minimumSlots, type ParallelismPlan } from './allocator/slot-sharing-slot-allocator.js';
import { vertexBounds, type ResourceRequirements, type VertexBounds } from './allocator/vertex-bounds.js';
import type { RescaleVerdict } from './states/executing.js';

/**
 * The Adaptive Scheduler's view of resources: each vertex's bounds (Reactive Mode, configured
 * parallelism or REST requirements), and what the slots a job could use would buy it.
 */
export class AdaptiveResources {
  /** Per-vertex bounds set through REST `PUT /jobs/:jobid/resource-requirements`. */
  requirements: ResourceRequirements | undefined;

  constructor(
    private readonly graph: JobGraph,
    private readonly slotPool: SlotPool,
    private readonly jobId: JobId,
    readonly reactive: boolean,
    private readonly defaultParallelism: number,
    readonly minParallelismIncrease: number,
  ) {}

  bounds(): VertexBounds[] {
    return vertexBounds(this.graph, this.reactive, this.defaultParallelism, this.requirements);
  }

  /** Slots free plus those the job holds now, within its share when other elastic jobs share the cluster. */
  get usableSlots(): number {
    const available = this.slotPool.availableTo(this.jobId);
    const share = this.slotPool.shareOf(this.jobId);
    return share === undefined ? available : Math.min(available, share);
  }

  /** What this job asks of the shared slots: weighted by its max parallelism, bounded by its vertices. */
  shareDemand(): ShareDemand {
    const bounds = this.bounds();
    return {
      weight: Math.max(1, ...bounds.map((b) => b.maxParallelism)),
      desired: desiredSlots(bounds),
      minimum: minimumSlots(bounds),
    };
  }

  /** All the job wants, or all its share allows when that is less: more will not come while the others run. */
  hasDesiredResources(): boolean {
    const desired = desiredSlots(this.bounds());
    const share = this.slotPool.shareOf(this.jobId);
    return this.usableSlots >= (share === undefined ? desired : Math.min(desired, Math.max(share, minimumSlots(this.bounds()))));
  }

  hasSufficientResources(): boolean {
    return this.usableSlots >= minimumSlots(this.bounds());
  }

  /** The plan for the currently free slots (the job holds none while it creates a graph). */
  planForFreeSlots(): ParallelismPlan | undefined {
    const share = this.slotPool.shareOf(this.jobId);
    return determineParallelism(this.bounds(), share === undefined ? this.slotPool.freeSlots : Math.min(this.slotPool.freeSlots, share));
  }

  /** Parallelism and max parallelism per vertex for a plan. */
  vertexParallelism(plan: ParallelismPlan): VertexParallelism {
    return new Map(
      this.bounds().map((b) => [b.vertexId, { parallelism: plan.parallelism.get(b.vertexId)!, maxParallelism: b.maxParallelism }]),
    );
  }

  /** Whether a vertex's max parallelism was derived rather than set (then it may adopt a checkpoint's). */
  maxParallelismDerived(vertexId: VertexId): boolean {
    const vertex = this.graph.vertices.find((v) => v.id === vertexId);
    return vertex !== undefined && vertex.maxParallelism <= 0 && this.graph.settings.maxParallelism <= 0;
  }

  /**
   * Flink 1.13-1.17's rule for a running job: rescale when the aggregate parallelism would grow by at
   * least min-parallelism-increase, or when any vertex must shrink (its bounds were lowered).
   */
  judgeRescale(current: ExecutionGraph): RescaleVerdict {
    const plan = determineParallelism(this.bounds(), this.usableSlots);
    if (plan === undefined) return 'unchanged';
    let currentTotal = 0;
    let newTotal = 0;
    let shrinks = false;
    for (const vertex of current.vertices) {
      const next = plan.parallelism.get(vertex.id) ?? vertex.parallelism;
      currentTotal += vertex.parallelism;
      newTotal += next;
      if (next < vertex.parallelism) shrinks = true;
    }
    if (shrinks) return 'rescale';
    if (newTotal - currentTotal >= this.minParallelismIncrease) return 'rescale';
    return newTotal > currentTotal ? 'too-small-increase' : 'unchanged';
  }
}
