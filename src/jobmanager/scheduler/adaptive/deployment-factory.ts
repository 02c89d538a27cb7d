import { serializeError } from '../../../core/errors.js';
import type { JobCheckpointing } from '../checkpointing/job-checkpointing.js';
import { GraphDeployment, type DeploymentEvents } from '../deployment/graph-deployment.js';
import { orderForLocality } from '../deployment/local-placement.js';
import { requiredSlots } from '../deployment/slot-sharing.js';
import { ExecutionGraph, type VertexParallelism } from '../execution-graph/execution-graph.js';
import type { SchedulerContext } from '../scheduler-context.js';
import type { AdaptiveResources } from './adaptive-resources.js';
import type { DeploymentPlanResult } from './states/creating-execution-graph.js';

/**
 * CreatingExecutionGraph's work: the parallelism the free slots allow, the slots reserved, a new
 * graph (attempt numbers one above the previous run's), and the latest checkpoint assigned to it.
 */
export function createDeployment(
  context: SchedulerContext,
  resources: AdaptiveResources,
  checkpointing: JobCheckpointing,
  previous: ExecutionGraph | undefined,
  events: DeploymentEvents,
): DeploymentPlanResult {
  const plan = resources.planForFreeSlots();
  if (plan === undefined) {
    return {
      kind: 'no-slots',
      reason: `Not enough resources available for scheduling: ${context.slotPool.freeSlots} free slot(s) is below the job's minimum.`,
    };
  }
  const attemptNumber = previous === undefined ? 0 : previous.latestAttemptNumber + 1;
  let parallelism = resources.vertexParallelism(plan);
  let graph = new ExecutionGraph(context.jobId, context.graph, parallelism, attemptNumber);
  let restore;
  try {
    restore = checkpointing.restoreInto(graph, (id) => resources.maxParallelismDerived(id));
    if (restore !== undefined && restore.adoptedMaxParallelism.size > 0) {
      // A derived max parallelism yields to the checkpoint's so key groups keep their meaning.
      parallelism = adopt(parallelism, restore.adoptedMaxParallelism);
      graph = new ExecutionGraph(context.jobId, context.graph, parallelism, attemptNumber);
      restore = checkpointing.restoreInto(graph, () => false);
    }
  } catch (error) {
    return { kind: 'failed', error: serializeError(error) };
  }
  const allocations = context.slotPool.allocate(context.jobId, requiredSlots(graph));
  if (allocations === undefined) return { kind: 'no-slots', reason: 'The planned slots are no longer free.' };
  // With restored state, subtasks go where their key groups were, so local copies can serve them.
  const placed = restore === undefined ? allocations : orderForLocality(graph, allocations, previous);
  return { kind: 'ready', deployment: new GraphDeployment(graph, placed, context.deployment, restore?.tasks, events) };
}

function adopt(plan: VertexParallelism, adopted: ReadonlyMap<string, number>): VertexParallelism {
  return new Map(
    [...plan].map(([vertexId, p]) => {
      const maxParallelism = adopted.get(vertexId) ?? p.maxParallelism;
      return [vertexId, { parallelism: Math.min(p.parallelism, maxParallelism), maxParallelism }];
    }),
  );
}
