import { describeError, serializeError } from '../../core/errors.js';
import { getLogger, type Logger } from '../../core/logging.js';
import type { ExecutionAttemptId } from '../../core/ids.js';
import { isTerminalExecutionState, type ExecutionState } from '../../rpc/gateways/job-master-gateway.js';
import type { TaskDeploymentDescriptor } from '../../rpc/gateways/task-deployment-descriptor.js';
import type { JobProgram, OperatorChain } from '../../runtime/task-contract.js';
import { AlignedBarrierHandler } from '../checkpoint/aligned-barrier-handler.js';
import { SubtaskCheckpointer } from '../checkpoint/subtask-checkpointer.js';
import { TrackingBarrierHandler } from '../checkpoint/tracking-barrier-handler.js';
import { CheckpointBarrier } from '../network/stream-elements.js';
import { EndOfInput } from './end-of-input.js';
import { StreamInputProcessor } from './stream-input-processor.js';
import { createTaskIo, type TaskIo } from './task-io.js';
import { taskNameOf, type TaskEnvironment } from './task-environment.js';
import { buildTaskServices } from './task-services.js';
import { TaskRestore } from './task-restore.js';
import { MailboxProcessingTimeService, TaskMailbox } from './task-mailbox.js';
import { TaskCheckpointCalls } from './task-checkpoint-calls.js';
import { TaskStepper } from './task-stepper.js';
import { TaskTimeAccounting } from './task-time-accounting.js';
import { RecordActivity } from './record-activity.js';

/**
 * One attempt of one subtask: builds its chain and channels, restores state, then runs the chain
 * from its mailbox until the input ends, it fails, or it is canceled, and reports each state change.
 */
export class Task {
  readonly name: string;
  readonly log: Logger;
  state: ExecutionState = 'DEPLOYING';
  readonly accounting = new TaskTimeAccounting();
  /** When the task first and last processed a record, for the JobMaster's downtime figure. */
  private readonly activity: RecordActivity;
  /** No downstream: the task is one of the job's sinks, whose records date the job's outages. */
  private isOutput = false;
  readonly mailbox: TaskMailbox;
  readonly processingTime: MailboxProcessingTimeService;
  io: TaskIo | undefined;
  chain: OperatorChain | undefined;
  private checkpointer: SubtaskCheckpointer | undefined;
  private processor: StreamInputProcessor | undefined;
  /** The processing loop, once the task runs. */
  private stepper: TaskStepper | undefined;
  /** Set once the task runs; how it ends. */
  private ending: EndOfInput | undefined;
  /** Reads the restored state, part of it while the task runs (a streamed restore). */
  private readonly restore: TaskRestore;
  /** The JobManager's checkpoint calls, and the commits, halt and held-back failure they leave. */
  private readonly checkpointCalls: TaskCheckpointCalls;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly terminated: Promise<ExecutionState>;
  private resolveTerminated!: (state: ExecutionState) => void;

  constructor(
    readonly tdd: TaskDeploymentDescriptor,
    readonly program: JobProgram,
    private readonly env: TaskEnvironment,
  ) {
    this.name = taskNameOf(tdd);
    this.log = getLogger('task');
    this.mailbox = new TaskMailbox(
      () => this.step(),
      (error) => this.fail(error),
    );
    this.processingTime = new MailboxProcessingTimeService(this.mailbox);
    this.terminated = new Promise((resolve) => {
      this.resolveTerminated = resolve;
    });
    // Getters, because the chain, checkpointer and ending appear only as the task initializes.
    const task = this;
    this.checkpointCalls = new TaskCheckpointCalls({
      name: this.name,
      tdd,
      mailbox: this.mailbox,
      log: this.log,
      checkpointResponder: env.checkpointResponder,
      localState: env.localState,
      get chain() {
        return task.chain;
      },
      get checkpointer() {
        return task.checkpointer;
      },
      get ending() {
        return task.ending;
      },
      get isRunning() {
        return task.state === 'RUNNING';
      },
      fail: (error) => this.fail(error),
    });
    this.activity = new RecordActivity((first) => {
      if (!this.isTerminal()) env.reportFirstActivity?.({ jobId: tdd.jobId, attemptId: tdd.attemptId, at: first.at, kind: first.kind });
    });
    this.restore = new TaskRestore({
      tdd,
      name: this.name,
      log: this.log,
      env,
      inMailbox: (action) => this.mailbox.execute(action),
      fail: (error) => this.fail(error),
    });
  }

  /** Where the restored state came from: this TaskManager's local copies, or checkpoint storage. */
  get restoredBytesLocal(): number {
    return this.restore.bytesLocal;
  }

  get restoredBytesFromStorage(): number {
    return this.restore.bytesFromStorage;
  }

  get attemptId(): ExecutionAttemptId {
    return this.tdd.attemptId;
  }

  /** Settles with the final state once the task has fully stopped. */
  whenTerminated(): Promise<ExecutionState> {
    return this.terminated;
  }

  get isRunning(): boolean {
    return this.state === 'RUNNING';
  }

  /** Starts the task's life in the background; failures end up as a FAILED report, never as a throw. */
  start(): void {
    this.initialize().catch((error: unknown) => this.fail(error));
  }

  /** Stops processing, releases everything, and reports CANCELED. */
  async cancel(): Promise<void> {
    if (this.isTerminal()) return;
    this.log.info(`Canceling ${this.name} (${this.attemptId}).`);
    // A savepoint that stops the job is followed by a cancel; its commits must not be lost.
    for (const error of this.mailbox.drain()) {
      this.log.warn(`An action queued before the cancel of ${this.name} failed: ${describeError(error)}`);
    }
    await this.checkpointCalls.whenCommitted();
    await this.terminate('CANCELED', undefined);
  }

  /** Starts checkpoint `barrier.checkpointId` in a source or ended task (see TaskCheckpointCalls.trigger). */
  triggerCheckpoint(barrier: CheckpointBarrier, drain = false, halt = false): void {
    this.checkpointCalls.trigger(barrier, drain, halt);
  }

  notifyCheckpointComplete(checkpointId: number): void {
    this.checkpointCalls.complete(checkpointId);
  }

  notifyCheckpointAborted(checkpointId: number): void {
    this.checkpointCalls.abort(checkpointId);
  }

  /** Records the task saw on its input and produced on its output. */
  get counters(): { numRecordsIn: number; numRecordsOut: number } {
    return { numRecordsIn: this.chain?.counters.numRecordsIn ?? 0, numRecordsOut: this.io?.writer.numRecordsOut ?? 0 };
  }

  get currentInputWatermark(): number | undefined {
    return this.processor?.currentWatermark;
  }

  /** Waiting for room in an output subpartition (credit or queue space). */
  get isBackPressured(): boolean {
    return this.stepper?.waitingForOutput ?? false;
  }

  private async initialize(): Promise<void> {
    this.transition('INITIALIZING');
    const io = createTaskIo(this.tdd, this.program, this.env);
    this.io = io;
    this.isOutput = io.partitions.length === 0;
    io.gate.onAvailable = () => this.mailbox.wake();
    io.gate.onFailure = (error) => this.mailbox.execute(() => this.checkpointCalls.onInputFailure(error));
    const services = buildTaskServices(this.tdd, this.name, this.processingTime, this.env.stdout, this.log);
    const chain = this.program.createChain(this.tdd.vertexId, services, io.writer);
    this.chain = chain;
    await this.restore.initialize(chain);
    // Operators register their states in open(), which is when restored entries become live state.
    await chain.open();
    if (this.isTerminal()) return;
    const checkpointer = new SubtaskCheckpointer(this.tdd, chain, io.writer, this.env.checkpointResponder, this.env.localState);
    this.checkpointer = checkpointer;
    this.ending = new EndOfInput({
      chain,
      writer: io.writer,
      checkpointer,
      checkpointingEnabled: this.tdd.checkpointing.enabled,
      isTerminal: () => this.isTerminal(),
      wake: () => this.mailbox.wake(),
      finished: async () => {
        if (!this.isTerminal()) await this.terminate('FINISHED', undefined);
      },
      fail: (error) => this.fail(error),
    });
    if (chain.source === undefined) {
      const aligned = (barrier: CheckpointBarrier, alignmentMs: number): void => checkpointer.perform(barrier, alignmentMs);
      const barriers =
        this.tdd.checkpointing.mode === 'AT_LEAST_ONCE'
          ? new TrackingBarrierHandler(io.gate, aligned)
          : new AlignedBarrierHandler(io.gate, aligned);
      this.processor = new StreamInputProcessor(io.gate, chain, barriers, this.restore.arriving);
    }
    this.stepper = new TaskStepper({
      chain,
      io,
      processor: this.processor,
      ending: this.ending,
      mailbox: this.mailbox,
      accounting: this.accounting,
      activity: this.activity,
      flushEveryStep: this.tdd.bufferTimeoutMs <= 0,
      isRunning: () => this.state === 'RUNNING',
      haltedAfter: () => this.checkpointCalls.haltedAfter,
      fail: (error) => this.fail(error),
    });
    io.gate.start();
    this.startFlushing();
    this.accounting.start();
    this.transition('RUNNING');
    this.restore.start();
    this.mailbox.wake();
  }

  private startFlushing(): void {
    const timeout = this.tdd.bufferTimeoutMs;
    if (timeout <= 0) return; // flushed after every step instead
    this.flushTimer = setInterval(() => this.mailbox.execute(() => this.io?.writer.flush()), timeout);
  }

  /** One mailbox step; a step that finds nothing to do (and is not backpressured) starts idle time. */
  private step(): boolean {
    this.accounting.markBusy();
    if (this.isOutput) this.activity.beforeStep();
    const stepper = this.stepper;
    const more = stepper?.stepOnce() ?? false;
    const counters = this.chain?.counters;
    if (this.isOutput && counters !== undefined)
      this.activity.afterStep(counters.numRecordsIn + counters.numRecordsOut + (stepper?.sourceBursts ?? 0));
    if (!more && stepper?.waitingForOutput !== true) this.accounting.markIdle();
    return more;
  }

  /** Fails the task with `error` (a user function threw, a channel broke, a restore failed). */
  fail(error: unknown): void {
    if (this.isTerminal()) return;
    this.log.error(`${this.name} (${this.attemptId}) switched from ${this.state} to FAILED: ${describeError(error)}`, error);
    this.terminate('FAILED', error).catch((failure: unknown) =>
      this.log.error(`${this.name} (${this.attemptId}) could not finish failing: ${describeError(failure)}`, failure),
    );
  }

  private isTerminal(): boolean {
    return isTerminalExecutionState(this.state);
  }

  private async terminate(state: 'FINISHED' | 'FAILED' | 'CANCELED', error: unknown): Promise<void> {
    const previous = this.state;
    this.state = state;
    this.mailbox.close();
    this.processingTime.shutdown();
    // A finished task's last snapshots still count; a canceled or failed one's never will.
    if (state !== 'FINISHED') this.checkpointer?.stopWriting();
    this.restore.stop();
    clearInterval(this.flushTimer);
    this.io?.gate.release();
    for (const partition of this.io?.partitions ?? []) this.env.partitions.release(partition.key);
    this.env.partitions.failPending(`${this.attemptId}#`, `${this.name} ended ${state}`);
    try {
      await this.chain?.close();
    } catch (closeError) {
      this.log.warn(`Closing the operators of ${this.name} failed: ${describeError(closeError)}`);
    }
    const { numRecordsIn, numRecordsOut } = this.counters;
    const bytesOut = (this.io?.partitions ?? []).reduce((sum, p) => sum + p.bytesSent, 0);
    this.log.info(
      `${this.name} (${this.attemptId}) switched from ${previous} to ${state} (records in: ${numRecordsIn}, out: ${numRecordsOut}; bytes sent: ${bytesOut}; busy ${Math.round(this.accounting.busyMs)} ms, backpressured ${Math.round(this.accounting.backPressuredMs)} ms).`,
    );
    // What a source emitted after the last completed checkpoint is what the next run replays.
    const sinceCheckpoint =
      this.chain?.source !== undefined && this.tdd.checkpointing.enabled && this.checkpointer !== undefined
        ? { recordsSinceCheckpoint: numRecordsOut - this.checkpointer.emittedAtLastCompleted }
        : {};
    this.env.reportState({
      jobId: this.tdd.jobId,
      attemptId: this.attemptId,
      state,
      ...sinceCheckpoint,
      ...this.activity.end(this.checkpointCalls.haltedAfter !== undefined),
      ...(error === undefined ? {} : { error: serializeError(error) }),
    });
    this.resolveTerminated(state);
  }

  private transition(state: ExecutionState): void {
    if (this.isTerminal()) return;
    this.log.info(`${this.name} (${this.attemptId}) switched from ${this.state} to ${state}.`);
    this.state = state;
    this.env.reportState({ jobId: this.tdd.jobId, attemptId: this.attemptId, state });
  }
}
