import type { JobId, VertexId } from '../../../core/ids.js';
import { describeError, serializeError, type SerializedError } from '../../../core/errors.js';
import { getLogger } from '../../../core/logging.js';
import { CheckpointCoordinator } from '../../checkpoint/checkpoint-coordinator.js';
import type { CheckpointCoordinatorContext } from '../../checkpoint/checkpoint-coordinator-context.js';
import type { JobCheckpointServices } from '../../checkpoint/checkpoint-services.js';
import { restoreLatestCheckpoint } from '../../checkpoint/checkpoint-services.js';
import type { CheckpointSettings } from '../../checkpoint/checkpoint-settings.js';
import type { CompletedCheckpoint } from '../../checkpoint/completed-checkpoint.js';
import type { StateAssignment, VertexRestorePlan } from '../../checkpoint/state-assignment.js';
import type { RunCheckpointing } from '../adaptive/run-checkpointing.js';
import type { GraphDeployment } from '../deployment/graph-deployment.js';
import type { ExecutionGraph } from '../execution-graph/execution-graph.js';

const log = getLogger('jobmaster');

/** Told of checkpoint outcomes for metrics and rescale timing. */
export interface CheckpointOutcomeListener {
  onCheckpointCompleted?(checkpoint: CompletedCheckpoint): void;
}

/**
 * A job's checkpointing across all its runs: the store, id counter and statistics are shared, a
 * coordinator is made per run, and each new run restores the latest completed checkpoint.
 */
export class JobCheckpointing {
  /** The checkpoint the current run restored from, if any (marked corrupt when its state does not read back). */
  restoredCheckpointId: number | undefined;

  constructor(
    readonly jobId: JobId,
    readonly settings: CheckpointSettings,
    readonly services: JobCheckpointServices,
    private readonly allowNonRestoredState: boolean,
    private readonly outcomes: CheckpointOutcomeListener = {},
  ) {}

  get enabled(): boolean {
    return this.settings.intervalMs !== undefined;
  }

  /** What each subtask of `graph` restores from the latest checkpoint; undefined when there is none. Throws StateAssignmentError. */
  restoreInto(graph: ExecutionGraph, maxParallelismDerived: (vertexId: VertexId) => boolean): StateAssignment | undefined {
    const plan: VertexRestorePlan[] = graph.vertices.map((vertex) => ({
      vertexId: vertex.id,
      parallelism: vertex.parallelism,
      maxParallelism: vertex.maxParallelism,
      maxParallelismDerived: maxParallelismDerived(vertex.id),
      operatorIds: vertex.jobVertex.operators.map((operator) => operator.id),
    }));
    const restored = restoreLatestCheckpoint(this.services, plan, { allowNonRestoredState: this.allowNonRestoredState });
    this.restoredCheckpointId = restored?.checkpoint.id;
    return restored?.assignment;
  }

  /** A restore read corrupt state: drop that checkpoint so the next attempt falls back to the previous one. */
  async markRestoredCorrupt(reason: string): Promise<void> {
    const id = this.restoredCheckpointId;
    if (id === undefined) return;
    this.restoredCheckpointId = undefined;
    const fallback = await this.services.store.markCorrupt(id, reason);
    log.warn(
      `Checkpoint ${id} of job ${this.jobId} is corrupt (${reason}); the next restore uses ${fallback === undefined ? 'no checkpoint' : `checkpoint ${fallback.id}`}.`,
    );
  }

  /** The checkpointing of one run: a coordinator over the deployment's executions. */
  createRun(deployment: GraphDeployment, onGlobalFailure: (error: SerializedError) => void): RunCheckpointing {
    const coordinator = new CheckpointCoordinator({
      context: coordinatorContext(this.jobId, deployment),
      settings: this.settings,
      store: this.services.store,
      idCounter: this.services.idCounter,
      statsTracker: this.services.statsTracker,
      listener: {
        onCheckpointCompleted: (checkpoint) => this.outcomes.onCheckpointCompleted?.(checkpoint),
        failJob: (error) => onGlobalFailure(serializeError(error)),
      },
    });
    const periodic = this.enabled;
    const statsTracker = this.services.statsTracker;
    let stopped = false;
    return {
      start: () => {
        if (periodic && !stopped) coordinator.startScheduler();
      },
      stop: (reason) => {
        if (stopped) return;
        stopped = true;
        coordinator.stopScheduler(reason);
        coordinator.shutdown();
      },
      pause: (reason) => {
        if (!stopped) coordinator.stopScheduler(reason);
      },
      // Pending checkpoints are aborted by pause and stop; what is left is being finalized.
      get finalizing() {
        return coordinator.numberOfPendingCheckpoints > 0;
      },
      get lastCompletedDurationMs() {
        const duration = statsTracker.metrics().lastCheckpointDuration;
        return duration >= 0 ? duration : undefined;
      },
      acknowledge: (ack) => coordinator.receiveAcknowledge(ack),
      decline: (decline) => coordinator.receiveDecline(decline),
      triggerRescaleCheckpoint: async () => (await coordinator.triggerCheckpoint(true)).id,
      triggerSavepoint: async (targetDirectory, kind, drain = false) => {
        const savepoint = await coordinator.triggerSavepoint(targetDirectory, kind, drain);
        return savepoint.externalPath ?? savepoint.directory ?? '';
      },
    };
  }
}

/**
 * The coordinator's view of a run. Tasks that already finished (after their final checkpoint) are
 * left out: they need no more barriers, and their partitions have been fully read.
 */
function coordinatorContext(jobId: JobId, deployment: GraphDeployment): CheckpointCoordinatorContext {
  const graph = deployment.graph;
  const live = () => graph.executions().filter((e) => e.state !== 'FINISHED');
  return {
    jobId,
    tasksToTrigger: () =>
      live()
        .filter((e) => e.state === 'RUNNING' && (e.vertex.jobVertex.isSource || graph.producersOf(e).every((p) => p.state === 'FINISHED')))
        .map((e) => ({
          attemptId: e.attemptId,
          trigger: (trigger) => e.allocation?.taskManager.gateway.triggerCheckpoint(trigger),
        })),
    allTasks: () =>
      live().map((e) => ({
        attemptId: e.attemptId,
        vertexId: e.vertex.id,
        subtaskIndex: e.subtaskIndex,
        notifyComplete: (id) => e.allocation?.taskManager.gateway.notifyCheckpointComplete(e.attemptId, id),
        notifyAborted: (id) => e.allocation?.taskManager.gateway.notifyCheckpointAborted(e.attemptId, id),
      })),
    allTasksRunning: () => {
      const executions = graph.executions();
      return executions.every((e) => e.state === 'RUNNING' || e.state === 'FINISHED') && executions.some((e) => e.state === 'RUNNING');
    },
    vertices: () =>
      graph.vertices.map((vertex) => ({
        vertexId: vertex.id,
        parallelism: vertex.parallelism,
        maxParallelism: vertex.maxParallelism,
        operatorIds: vertex.jobVertex.operators.map((operator) => operator.id),
      })),
  };
}

/** Logs and swallows: checkpoint bookkeeping must never take the scheduler down. */
export function logCheckpointProblem(what: string, error: unknown): void {
  log.warn(`${what}: ${describeError(error)}`);
}
