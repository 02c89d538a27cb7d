import type { SerializedError } from '../../../../core/errors.js';
import { cancelThen } from '../../deployment/cancel-then.js';
import type { GraphDeployment } from '../../deployment/graph-deployment.js';
import type { State, StateTimers } from '../state.js';
import type { ToFinished } from '../transitions.js';

/** What Canceling may ask and where it may go. */
export interface CancelingContext extends ToFinished, StateTimers {
  releaseSlots(deployment: GraphDeployment): void;
}

/** Every task is being canceled; the job ends CANCELED once they have stopped. */
export class Canceling implements State {
  readonly name = 'Canceling';
  readonly jobStatus = 'CANCELLING' as const;

  constructor(
    private readonly context: CancelingContext,
    readonly deployment: GraphDeployment,
  ) {
    cancelThen(deployment, () => {
      context.releaseSlots(deployment);
      context.runIfState(this, () => context.goToFinished({ status: 'CANCELED' }), 0);
    });
  }

  onLeave(): void {}
  cancel(): void {}
  suspend(): void {}
  handleGlobalFailure(_error: SerializedError): void {}
}
