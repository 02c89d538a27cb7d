import type { SerializedError } from '../../../../core/errors.js';
import { getLogger } from '../../../../core/logging.js';
import type { GraphDeployment } from '../../deployment/graph-deployment.js';
import type { ExecutionGraph } from '../../execution-graph/execution-graph.js';
import { StateWithoutExecutionGraph } from '../state-without-execution-graph.js';
import { errorOf, type StateTimers } from '../state.js';
import type { RescaleCause, ToExecuting, ToFinished, ToWaitingForResources } from '../transitions.js';

const log = getLogger('jobmaster');

/** What building a run produced. */
export type DeploymentPlanResult =
  | { readonly kind: 'ready'; readonly deployment: GraphDeployment }
  | { readonly kind: 'no-slots'; readonly reason: string }
  | { readonly kind: 'failed'; readonly error: SerializedError };

/** What CreatingExecutionGraph may ask and where it may go. */
export interface CreatingExecutionGraphContext extends ToExecuting, ToWaitingForResources, ToFinished, StateTimers {
  /** Computes the parallelism from the free slots, reserves them, builds the graph and restores the latest checkpoint into it. */
  createDeployment(previous: ExecutionGraph | undefined): DeploymentPlanResult;
}

/** Plans the next run from the slots available and restores state into it; then it executes. */
export class CreatingExecutionGraph extends StateWithoutExecutionGraph {
  readonly name = 'CreatingExecutionGraph';
  readonly jobStatus = 'CREATED' as const;

  constructor(
    private readonly context: CreatingExecutionGraphContext,
    previous: ExecutionGraph | undefined,
    private readonly cause: RescaleCause,
    private readonly lastChance = false,
  ) {
    super(context);
    context.runIfState(this, () => this.create(previous), 0);
  }

  private create(previous: ExecutionGraph | undefined): void {
    const result = this.context.createDeployment(previous);
    if (result.kind === 'ready') this.context.goToExecuting(result.deployment, this.cause);
    else if (result.kind === 'no-slots' && !this.lastChance) {
      // Slots can go between the decision to run and this turn (TaskManagers lost while the
      // process was frozen, say): a reason to wait again. Only once the resource wait timed out
      // is a shortfall the job's end, as in Flink.
      log.info(`${result.reason} Waiting for resources again.`);
      this.context.goToWaitingForResources(previous, this.cause);
    } else {
      const error = result.kind === 'no-slots' ? errorOf('NoResourceAvailableException', result.reason) : result.error;
      this.context.goToFinished({ status: 'FAILED', error });
    }
  }
}
