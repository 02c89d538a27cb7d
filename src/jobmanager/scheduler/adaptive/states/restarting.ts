import type { SerializedError } from '../../../../core/errors.js';
import { cancelThen } from '../../deployment/cancel-then.js';
import type { GraphDeployment } from '../../deployment/graph-deployment.js';
import type { State, StateTimers } from '../state.js';
import type { RescaleCause, ToCanceling, ToCreatingExecutionGraph, ToFinished, ToWaitingForResources } from '../transitions.js';

/** What Restarting may ask and where it may go. */
export interface RestartingContext extends ToCreatingExecutionGraph, ToWaitingForResources, ToCanceling, ToFinished, StateTimers {
  hasDesiredResources(): boolean;
  releaseSlots(deployment: GraphDeployment): void;
  /** The stopped run's sources said how much they emitted after the last completed checkpoint. */
  reportReplay(records: number | undefined): void;
}

/**
 * The current run is canceled; once every task has stopped and the backoff has passed (0 for a
 * rescale), the job goes on with a new graph, or waits for slots first.
 */
export class Restarting implements State {
  readonly name = 'Restarting';
  readonly jobStatus = 'RESTARTING' as const;
  private canceled = false;
  private backoffPassed = false;

  constructor(
    private readonly context: RestartingContext,
    readonly deployment: GraphDeployment,
    backoffMs: number,
    private readonly cause: RescaleCause,
  ) {
    cancelThen(deployment, () => {
      context.releaseSlots(deployment);
      context.reportReplay(deployment.recordsSinceCheckpoint);
      context.runIfState(
        this,
        () => {
          this.canceled = true;
          this.proceed();
        },
        0,
      );
    });
    context.runIfState(
      this,
      () => {
        this.backoffPassed = true;
        this.proceed();
      },
      backoffMs,
    );
  }

  onLeave(): void {}

  cancel(): void {
    // Canceling waits for the cancellation already under way and reports CANCELLING meanwhile.
    this.context.goToCanceling(this.deployment);
  }

  suspend(): void {
    this.context.goToFinished({ status: 'SUSPENDED' });
  }

  handleGlobalFailure(_error: SerializedError): void {
    // Further failures are ignored: the job is restarting anyway.
  }

  private proceed(): void {
    if (!this.canceled || !this.backoffPassed) return;
    if (this.context.hasDesiredResources()) this.context.goToCreatingExecutionGraph(this.deployment.graph, this.cause);
    else this.context.goToWaitingForResources(this.deployment.graph, this.cause);
  }
}
