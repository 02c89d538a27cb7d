import type { SerializedError } from '../../../../core/errors.js';
import type { State } from '../state.js';
import type { ToFinished, ToWaitingForResources } from '../transitions.js';

/** Where Created may go. */
export interface CreatedContext extends ToWaitingForResources, ToFinished {}

/** The job exists but scheduling has not started. */
export class Created implements State {
  readonly name = 'Created';
  readonly jobStatus = 'INITIALIZING' as const;

  constructor(private readonly context: CreatedContext) {}

  startScheduling(): void {
    this.context.goToWaitingForResources(undefined, 'initial-schedule');
  }

  onLeave(): void {}

  cancel(): void {
    this.context.goToFinished({ status: 'CANCELED' });
  }

  suspend(): void {
    this.context.goToFinished({ status: 'SUSPENDED' });
  }

  handleGlobalFailure(error: SerializedError): void {
    this.context.goToFinished({ status: 'FAILED', error });
  }
}
