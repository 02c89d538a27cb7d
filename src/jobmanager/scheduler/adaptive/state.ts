import type { SerializedError } from '../../../core/errors.js';
import type { JobStatus } from '../../../rest/types/job-status.js';

/**
 * One state of the Adaptive Scheduler. A state never transitions from its constructor (follow-up
 * work is scheduled with delay 0, guarded by "still in this state"), and `onLeave` cancels whatever
 * it started. Events a state does not handle are simply not offered to it.
 */
export interface State {
  readonly name: string;
  /** The job status REST reports while in this state. */
  readonly jobStatus: JobStatus;
  onLeave(): void;
  cancel(): void;
  suspend(reason: string): void;
  /** A failure of the whole job (not of one task), e.g. a checkpoint tolerance breach. */
  handleGlobalFailure(error: SerializedError): void;
}

/** Timers a state schedules run only while the scheduler is still in that exact state object. */
export interface StateTimers {
  runIfState(state: State, action: () => void, delayMs: number): void;
}

/** What is wrong with a job that cannot go on. */
export function errorOf(name: string, message: string): SerializedError {
  return { name, message, stack: `${name}: ${message}` };
}
