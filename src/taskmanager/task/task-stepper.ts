import type { OperatorChain } from '../../runtime/task-contract.js';
import type { EndOfInput } from './end-of-input.js';
import type { RecordActivity } from './record-activity.js';
import type { StreamInputProcessor } from './stream-input-processor.js';
import type { TaskIo } from './task-io.js';
import type { TaskMailbox } from './task-mailbox.js';
import type { TaskTimeAccounting } from './task-time-accounting.js';

/** Records a task processes per mailbox step before other tasks get the event loop. */
const STEP_RECORDS = 2048;

/** What the stepper drives and reports to: the parts of a running task it works with. */
export interface StepperParts {
  readonly chain: OperatorChain;
  readonly io: TaskIo;
  /** Undefined for a source task, which emits instead of reading input. */
  readonly processor: StreamInputProcessor | undefined;
  readonly ending: EndOfInput;
  readonly mailbox: TaskMailbox;
  readonly accounting: TaskTimeAccounting;
  readonly activity: RecordActivity;
  /** Flush after every step rather than on the buffer timeout. */
  readonly flushEveryStep: boolean;
  isRunning(): boolean;
  /** A planned rescale's checkpoint after which the source emits nothing more; undefined when none. */
  haltedAfter(): number | undefined;
  fail(error: unknown): void;
}

/**
 * One task's mailbox step: reads input or emits from the source, a bounded amount at a time, and
 * parks the task when its output has no room or its source has nothing, waking it when that changes.
 * Kept apart from Task, which owns the lifecycle and the checkpoint calls around this loop.
 */
export class TaskStepper {
  /** Waiting for room in an output subpartition (credit or queue space). */
  waitingForOutput = false;
  private waitingForSource = false;
  /** Steps in which the source emitted: a source chained to its sink has no other record count. */
  sourceBursts = 0;

  constructor(private readonly parts: StepperParts) {}

  /** Produces or processes a bounded amount, then tells the mailbox whether to go on. */
  stepOnce(): boolean {
    const { parts } = this;
    const phase = parts.ending.phase;
    if (!parts.isRunning() || phase === 'ending' || phase === 'draining') return false;
    if (parts.chain.source !== undefined && (phase === 'awaiting' || parts.haltedAfter() !== undefined)) return false;
    const writer = parts.io.writer;
    if (!writer.isWritable) return this.waitForOutput();
    const more = parts.processor !== undefined ? this.processInput(parts.processor) : this.emitFromSource();
    if (parts.flushEveryStep) writer.flush();
    return more;
  }

  private processInput(processor: StreamInputProcessor): boolean {
    const { io, ending } = this.parts;
    const writer = io.writer;
    const result = processor.step(STEP_RECORDS, () => writer.isWritable);
    // The state a record waits for wakes the task when it arrives.
    if (result.waitingForState) return false;
    if (result.endOfData && ending.phase === 'processing') {
      ending.begin().catch((error: unknown) => this.parts.fail(error));
      return false;
    }
    if (result.endOfPartitions) {
      ending.onInputsEnded();
      return false;
    }
    return io.gate.hasReady || !writer.isWritable;
  }

  private emitFromSource(): boolean {
    const { chain, io, ending, activity } = this.parts;
    const source = chain.source!;
    const written = io.writer.numRecordsOut;
    const status = source.emitNext(STEP_RECORDS);
    if (status === 'MORE_AVAILABLE' || io.writer.numRecordsOut !== written) {
      this.sourceBursts++;
      activity.sourceEmitted();
    }
    if (status === 'END_OF_INPUT') {
      ending.onInputsEnded();
      ending.begin().catch((error: unknown) => this.parts.fail(error));
      return false;
    }
    if (status === 'NOTHING_AVAILABLE') {
      activity.sourceIdle();
      if (!this.waitingForSource) {
        this.waitingForSource = true;
        source.whenAvailable().then(
          () => {
            this.waitingForSource = false;
            this.parts.mailbox.wake();
          },
          (error: unknown) => this.parts.fail(error),
        );
      }
      return false;
    }
    return true;
  }

  private waitForOutput(): boolean {
    if (this.waitingForOutput) return false;
    const { accounting, io, mailbox } = this.parts;
    this.waitingForOutput = true;
    accounting.startBackPressure();
    io.writer.whenWritable().then(
      () => {
        this.waitingForOutput = false;
        accounting.endBackPressure();
        mailbox.wake();
      },
      (error: unknown) => this.parts.fail(error),
    );
    return false;
  }
}
