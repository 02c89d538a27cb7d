import { StateWithoutExecutionGraph } from '../state-without-execution-graph.js';
import type { ToFinished, ToWaitingForResources } from '../transitions.js';

/** Where Created may go. */
export interface CreatedContext extends ToWaitingForResources, ToFinished {}

/** The job exists but scheduling has not started. */
export class Created extends StateWithoutExecutionGraph {
  readonly name = 'Created';
  readonly jobStatus = 'INITIALIZING' as const;

  constructor(private readonly context: CreatedContext) {
    super(context);
  }

  startScheduling(): void {
    this.context.goToWaitingForResources(undefined, 'initial-schedule');
  }
}
