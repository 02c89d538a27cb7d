import type { OperatorChain } from '../../runtime/task-contract.js';
import type { SubtaskCheckpointer } from '../checkpoint/subtask-checkpointer.js';
import type { ChainOutputWriter } from '../network/chain-output-writer.js';
import { EndOfDataEvent, EndOfPartitionEvent, type CheckpointBarrier } from '../network/stream-elements.js';

/** What the protocol needs from its task. */
export interface EndOfInputHost {
  readonly chain: OperatorChain;
  readonly writer: ChainOutputWriter;
  readonly checkpointer: SubtaskCheckpointer;
  readonly checkpointingEnabled: boolean;
  isTerminal(): boolean;
  /** Runs more processing (barriers and the end of partitions still arrive while awaiting). */
  wake(): void;
  finished(): Promise<void>;
  fail(error: unknown): void;
}

/** Where a task is in ending. */
export type EndPhase = 'processing' | 'ending' | 'awaiting' | 'draining';

/**
 * How a task ends (Flink's end of data and final checkpoint): the operators flush, downstream learns
 * that no more records come, and with checkpointing the task waits for a checkpoint taken after that
 * point, which lets two-phase sinks commit their last output, before it ends its partitions and
 * waits until its consumers have read them.
 */
export class EndOfInput {
  /** `ending` while the operators flush; `awaiting` the final checkpoint (and the end of every input); `draining` while consumers read the end. */
  phase: EndPhase = 'processing';
  /** Completing a checkpoint with a higher id than this commits everything: the final checkpoint. */
  private finalCheckpointAfter = Number.POSITIVE_INFINITY;
  private finalCheckpointDone = false;
  private inputsEnded = false;
  /** A trigger that arrived while the operators were flushing; taken right after. */
  private deferredTrigger: CheckpointBarrier | undefined;

  constructor(private readonly host: EndOfInputHost) {}

  /** No more records will come (a source ended, or every input delivered its end of data). */
  async begin(): Promise<void> {
    if (this.phase !== 'processing') return;
    this.phase = 'ending';
    const host = this.host;
    try {
      await host.chain.endInput();
      if (host.isTerminal()) return;
      host.writer.broadcastEvent(EndOfDataEvent.INSTANCE);
      host.writer.flush();
      this.phase = 'awaiting';
      if (host.checkpointingEnabled) this.finalCheckpointAfter = host.checkpointer.lastCheckpointId;
      else this.finalCheckpointDone = true;
      const deferred = this.deferredTrigger;
      this.deferredTrigger = undefined;
      if (deferred !== undefined) host.checkpointer.perform(deferred, 0);
      this.maybeDrain();
      host.wake();
    } catch (error) {
      host.fail(error);
    }
  }

  /** A source trigger: taken now, or right after the operators finished flushing. */
  trigger(barrier: CheckpointBarrier): void {
    if (this.phase === 'ending') this.deferredTrigger = barrier;
    else this.host.checkpointer.perform(barrier, 0);
  }

  /** A checkpoint's commits are done; the first one after the end of input is the final one. */
  onCheckpointCommitted(checkpointId: number): void {
    if (this.phase !== 'awaiting' || checkpointId <= this.finalCheckpointAfter) return;
    this.finalCheckpointDone = true;
    this.maybeDrain();
  }

  /** True once every input partition has ended. */
  get hasInputsEnded(): boolean {
    return this.inputsEnded;
  }

  /** Every input partition has ended (a source has none). */
  onInputsEnded(): void {
    if (this.inputsEnded) return;
    this.inputsEnded = true;
    this.maybeDrain();
  }

  /** Ends the partitions once the final checkpoint is done and every input has ended. */
  private maybeDrain(): void {
    const host = this.host;
    if (this.phase !== 'awaiting' || !this.finalCheckpointDone || !this.inputsEnded || host.isTerminal()) return;
    this.phase = 'draining';
    host.writer.broadcastEvent(EndOfPartitionEvent.INSTANCE);
    host.writer.flush();
    host.writer.whenFullyConsumed().then(
      () => host.finished(),
      (error: unknown) => host.fail(error),
    );
  }
}
