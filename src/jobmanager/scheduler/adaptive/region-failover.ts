import { detach } from '../../../core/detach.js';
import { describeError, serializeError, type SerializedError } from '../../../core/errors.js';
import { getLogger } from '../../../core/logging.js';
import type { GraphDeployment, RestoreAssignment } from '../deployment/graph-deployment.js';
import type { Execution } from '../execution-graph/execution.js';
import type { ExecutionGraph } from '../execution-graph/execution-graph.js';
import { regionOf } from '../execution-graph/pipelined-regions.js';
import type { RunCheckpointing } from './run-checkpointing.js';
import type { State, StateTimers } from './state.js';

const log = getLogger('jobmaster');

/** How often a region waiting for a checkpoint's finalization looks again; writing metadata takes milliseconds. */
const FINALIZING_RECHECK_MS = 10;

/** `jobmanager.execution.failover-strategy`: restart every task, or only the failed task's pipelined region. */
export type FailoverStrategy = 'full' | 'region';

/** What a region restart needs from the scheduler. */
export interface RegionFailoverContext extends StateTimers {
  readonly failoverStrategy: FailoverStrategy;
  /** What every subtask of `graph` restores from the latest completed checkpoint; throws when it cannot be assigned. */
  restoreFor(graph: ExecutionGraph): RestoreAssignment | undefined;
  /** Counts a region restart: Flink's numRestarts counts fine-grained restarts as well as full ones. */
  countRegionRestart(): void;
}

/**
 * Restarts only the pipelined region of a failed task while the rest of the run goes on (Flink's
 * RestartPipelinedRegionFailoverStrategy, for the Adaptive Scheduler). The region's attempts are
 * canceled; once all are terminal and the restart strategy's back-off has passed, new attempts
 * (attempt number + 1) go into the same slots with the latest completed checkpoint's state of just
 * those subtasks. Periodic checkpoints pause meanwhile and resume when every task runs again, so
 * no checkpoint mixes old and new attempts. A lost TaskManager, a failure that spans the whole job,
 * or a second failure while a region restarts is left to the full restart.
 */
export class RegionFailover {
  /** The region being restarted, until its new attempts are deployed. */
  private restarting: readonly Execution[] | undefined;

  constructor(
    private readonly context: RegionFailoverContext,
    private readonly state: State,
    private readonly deployment: GraphDeployment,
    private readonly checkpointing: RunCheckpointing,
    /** Hands a failure the region restart cannot recover from to the full restart. */
    private readonly escalate: (error: SerializedError) => void,
  ) {}

  /** A region is canceled or waiting for its back-off: its tasks are not deployed again yet. */
  get inProgress(): boolean {
    return this.restarting !== undefined;
  }

  /** Restarts `execution`'s region after `backoffMs`; false when the whole job must restart instead. */
  tryRestart(execution: Execution | undefined, error: SerializedError, backoffMs: number): boolean {
    if (this.context.failoverStrategy !== 'region' || execution === undefined || this.restarting !== undefined) return false;
    // A lost TaskManager changes the slots, and with them the parallelism: that is a rescale.
    if (error.name === 'TaskManagerLostException') return false;
    const graph = this.deployment.graph;
    const region = regionOf(graph, execution);
    if (region.length === graph.executions().length) return false;
    if (region.some((e) => e.allocation === undefined || e.allocation.taskManager.connection.isClosed)) return false;
    this.restarting = region;
    this.checkpointing.pause(`${execution.taskName} failed; its region restarts`);
    this.deployment.beginRegionRestart(region);
    this.context.countRegionRestart();
    log.info(
      `Restarting the ${region.length} task(s) of the pipelined region of ${execution.taskName} in ${backoffMs} ms; the other ${graph.executions().length - region.length} keep running.`,
    );
    let canceled = false;
    let backoffPassed = false;
    const proceed = (): void => {
      if (canceled && backoffPassed) this.redeploy(region);
    };
    const whenCanceled = (): void =>
      this.context.runIfState(
        this.state,
        () => {
          canceled = true;
          proceed();
        },
        0,
      );
    const canceling = this.deployment.cancelExecutions(region).then(whenCanceled, (cancelError: unknown) => {
      log.warn(
        `Canceling the region of ${execution.taskName} failed (${describeError(cancelError)}); going on as if its tasks had stopped.`,
      );
      whenCanceled();
    });
    detach(canceling, (detached) =>
      log.error(`The region of ${execution.taskName} could not be restarted: ${describeError(detached)}`, detached),
    );
    this.context.runIfState(
      this.state,
      () => {
        backoffPassed = true;
        proceed();
      },
      backoffMs,
    );
    return true;
  }

  private redeploy(region: readonly Execution[]): void {
    if (this.checkpointing.finalizing) {
      // Restoring the checkpoint before one about to complete would delete the region's part files
      // that the newer one lists as pending, and a later restore from the newer one would lose them.
      this.context.runIfState(this.state, () => this.redeploy(region), FINALIZING_RECHECK_MS);
      return;
    }
    this.restarting = undefined;
    if (region.some((e) => e.allocation!.taskManager.connection.isClosed)) {
      this.escalate(serializeError(new Error('A TaskManager of the restarting region went away; restarting the whole job.')));
      return;
    }
    let restore: RestoreAssignment | undefined;
    try {
      restore = this.context.restoreFor(this.deployment.graph);
    } catch (error) {
      this.escalate(serializeError(error));
      return;
    }
    const fresh = region.map((execution) => this.deployment.graph.newAttempt(execution));
    this.deployment.deployExecutions(fresh, restore);
  }
}
