import type { JobResourceRequirements, ParallelismBounds } from '../../../rpc/gateways/job-view-types.js';
import { JobRequestError } from '../../../rpc/gateways/job-gateway.js';
import { isGloballyTerminal } from '../../scheduler/execution-graph/job-status.js';
import type { AdaptiveScheduler } from '../../scheduler/adaptive/adaptive-scheduler.js';
import type { TrackedJob } from './tracked-job.js';

/**
 * Reads and changes a job's per-vertex parallelism bounds (Flink's externalized declarative
 * resource management, REST /jobs/:jobid/resource-requirements). Only the Adaptive Scheduler
 * outside Reactive Mode accepts changes; validation messages are Flink's, word for word.
 */
export class ResourceRequirementsService {
  private readonly pending = new Set<string>();

  /** The bounds the scheduler works with: per vertex the lower bound and the parallelism it aims for. */
  requirements(job: TrackedJob): JobResourceRequirements {
    const scheduler = requireAdaptive(job);
    return Object.fromEntries(scheduler.resources.bounds().map((b) => [b.vertexId, { lowerBound: b.lower, upperBound: b.upper }]));
  }

  /** Validates new bounds against the job's vertices and hands them to the Adaptive Scheduler, which rescales to them. */
  async update(job: TrackedJob, requested: JobResourceRequirements): Promise<void> {
    if (Object.keys(requested).length === 0)
      throw new JobRequestError('BAD_REQUEST', 'Request body does not specify resource requirements.');
    if (this.pending.has(job.jobId)) {
      // Flink leaves the placeholder unfilled in this message; clients match it as is.
      throw new JobRequestError('CONFLICT', 'Another update to the job [%s] resource requirements is in progress.');
    }
    this.pending.add(job.jobId);
    try {
      // The update is applied on a later turn, after the vertices were read; a second request meanwhile is refused above.
      const maxParallelism = await Promise.resolve(
        new Map(job.vertices().map((shape) => [shape.jobVertex.id as string, shape.maxParallelism])),
      );
      const errors = validateRequirements(requested, maxParallelism);
      if (errors.length > 0) throw new JobRequestError('BAD_REQUEST', errors.join('\n'));
      if (isGloballyTerminal(job.status))
        throw new JobRequestError(
          'BAD_REQUEST',
          `Job ${job.jobId} has already ended (${job.status}); its resource requirements can no longer change.`,
        );
      const scheduler = requireAdaptive(job);
      if (scheduler.resources.reactive)
        throw new JobRequestError('UNSUPPORTED', 'Cannot change the parallelism of a job running in reactive mode.');
      scheduler.updateResourceRequirements(
        new Map(Object.entries(requested).map(([vertexId, bounds]) => [vertexId, normalized(bounds, maxParallelism.get(vertexId)!)])),
      );
    } finally {
      this.pending.delete(job.jobId);
    }
  }
}

/** Flink's rules for new bounds: every vertex listed, none unknown, bounds positive, ordered and within the max parallelism. */
export function validateRequirements(requested: JobResourceRequirements, maxParallelism: ReadonlyMap<string, number>): string[] {
  const errors: string[] = [];
  const missing = new Set(maxParallelism.keys());
  for (const [vertexId, bounds] of Object.entries(requested)) {
    missing.delete(vertexId);
    const max = maxParallelism.get(vertexId);
    if (max === undefined) {
      errors.push(`Job vertex [${vertexId}] was not found in the JobGraph.`);
      continue;
    }
    const { lowerBound, upperBound } = normalized(bounds, max);
    if (lowerBound < 1 || upperBound < 1) {
      errors.push(
        `Both, the requested lower bound [${lowerBound}] and upper bound [${upperBound}] for job vertex [${vertexId}] must be greater than zero.`,
      );
      continue;
    }
    if (lowerBound > upperBound)
      errors.push(`The requested lower bound [${lowerBound}] for job vertex [${vertexId}] is higher than the upper bound [${upperBound}].`);
    if (max < upperBound)
      errors.push(`The newly requested parallelism ${upperBound} for the job vertex ${vertexId} exceeds its maximum parallelism ${max}.`);
  }
  for (const vertexId of missing) errors.push(`The request is incomplete, missing job vertex [${vertexId}] resource requirements.`);
  return errors;
}

/** -1 stands for the default: lower bound 1, upper bound the max parallelism. */
function normalized(bounds: ParallelismBounds, maxParallelism: number): ParallelismBounds {
  return {
    lowerBound: bounds.lowerBound === -1 ? 1 : bounds.lowerBound,
    upperBound: bounds.upperBound === -1 ? maxParallelism : bounds.upperBound,
  };
}

function requireAdaptive(job: TrackedJob): AdaptiveScheduler {
  const scheduler = job.adaptiveScheduler;
  if (scheduler === undefined) {
    throw new JobRequestError(
      'UNSUPPORTED',
      `The ${job.master.scheduler.schedulerType}Scheduler does not support changing the parallelism without a job restart. This feature is currently only expected to work with the AdaptiveScheduler.`,
    );
  }
  return scheduler;
}
