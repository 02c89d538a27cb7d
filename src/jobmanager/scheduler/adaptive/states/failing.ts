import type { SerializedError } from '../../../../core/errors.js';
import { cancelThen } from '../../deployment/cancel-then.js';
import type { GraphDeployment } from '../../deployment/graph-deployment.js';
import type { State, StateTimers } from '../state.js';
import type { ToCanceling, ToFinished } from '../transitions.js';

/** What Failing may ask and where it may go. */
export interface FailingContext extends ToFinished, ToCanceling, StateTimers {
  releaseSlots(deployment: GraphDeployment): void;
}

/** The job cannot restart: its remaining tasks are stopped and it ends FAILED. */
export class Failing implements State {
  readonly name = 'Failing';
  readonly jobStatus = 'FAILING' as const;

  constructor(
    private readonly context: FailingContext,
    readonly deployment: GraphDeployment,
    private readonly error: SerializedError,
  ) {
    cancelThen(deployment, () => {
      context.releaseSlots(deployment);
      context.runIfState(this, () => context.goToFinished({ status: 'FAILED', error: this.error }), 0);
    });
  }

  onLeave(): void {}

  cancel(): void {
    this.context.goToCanceling(this.deployment);
  }

  suspend(): void {}
  handleGlobalFailure(_error: SerializedError): void {}
}
