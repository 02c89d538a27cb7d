import type { SerializedError } from '../../../core/errors.js';
import type { JobStatus } from '../../../rest/types/job-status.js';
import type { State } from './state.js';
import type { ToFinished } from './transitions.js';

/**
 * What the states before a graph exists (Created, WaitingForResources, CreatingExecutionGraph) share,
 * as Flink's StateWithoutExecutionGraph: with nothing deployed, a cancel, a suspend or a global
 * failure ends the job at once.
 */
export abstract class StateWithoutExecutionGraph implements State {
  abstract readonly name: string;
  abstract readonly jobStatus: JobStatus;

  constructor(protected readonly finisher: ToFinished) {}

  onLeave(): void {}

  cancel(): void {
    this.finisher.goToFinished({ status: 'CANCELED' });
  }

  suspend(): void {
    this.finisher.goToFinished({ status: 'SUSPENDED' });
  }

  handleGlobalFailure(error: SerializedError): void {
    this.finisher.goToFinished({ status: 'FAILED', error });
  }
}
