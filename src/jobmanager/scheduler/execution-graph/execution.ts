import { newExecutionAttemptId, type ExecutionAttemptId } from '../../../core/ids.js';
import type { SerializedError } from '../../../core/errors.js';
import { isTerminalExecutionState, type ExecutionState } from '../../../rpc/gateways/job-master-gateway.js';
import type { Allocation } from '../../slotpool/slot-pool.js';
import type { ExecutionJobVertex } from './execution-job-vertex.js';

/** One attempt of one subtask: where it runs, its state, and when it entered each state. */
export class Execution {
  readonly attemptId: ExecutionAttemptId = newExecutionAttemptId();
  state: ExecutionState = 'CREATED';
  readonly stateTimestamps: Partial<Record<ExecutionState, number>> = { CREATED: Date.now() };
  allocation: Allocation | undefined;
  failure: SerializedError | undefined;
  /** Set by a source attempt when it ends: records emitted after the last completed checkpoint. */
  recordsSinceCheckpoint: number | undefined;

  constructor(
    readonly vertex: ExecutionJobVertex,
    readonly subtaskIndex: number,
    readonly attemptNumber: number,
  ) {}

  get isTerminal(): boolean {
    return isTerminalExecutionState(this.state);
  }

  /** Moves to `state` unless already terminal; returns whether it changed. */
  transitionTo(state: ExecutionState, failure?: SerializedError): boolean {
    if (this.isTerminal || this.state === state) return false;
    // As in Flink's Execution: a task that fails while it is being canceled (its upstream went
    // away first, say) completes the cancel; it is CANCELED, not FAILED.
    const next = state === 'FAILED' && this.state === 'CANCELING' ? 'CANCELED' : state;
    this.state = next;
    this.stateTimestamps[next] = Date.now();
    if (failure !== undefined && next === 'FAILED') this.failure = failure;
    return true;
  }

  /** Flink's task name for logs and exceptions. */
  get taskName(): string {
    return `${this.vertex.jobVertex.name} (${this.subtaskIndex + 1}/${this.vertex.parallelism})#${this.attemptNumber}`;
  }
}
