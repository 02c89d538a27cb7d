import { describeError } from '../../core/errors.js';
import type { Logger } from '../../core/logging.js';
import type { TaskDeploymentDescriptor } from '../../rpc/gateways/task-deployment-descriptor.js';
import type { OperatorChain } from '../../runtime/task-contract.js';
import type { LocalStateStore } from '../checkpoint/local-state-store.js';
import type { CheckpointResponder, SubtaskCheckpointer } from '../checkpoint/subtask-checkpointer.js';
import type { CheckpointBarrier } from '../network/stream-elements.js';
import type { EndOfInput } from './end-of-input.js';
import type { TaskMailbox } from './task-mailbox.js';

/** The task a TaskCheckpointCalls acts for; chain, checkpointer and ending appear as the task initializes. */
export interface CheckpointedTask {
  readonly name: string;
  readonly tdd: TaskDeploymentDescriptor;
  readonly mailbox: TaskMailbox;
  readonly log: Logger;
  readonly checkpointResponder: CheckpointResponder;
  readonly localState: LocalStateStore | undefined;
  readonly chain: OperatorChain | undefined;
  readonly checkpointer: SubtaskCheckpointer | undefined;
  readonly ending: EndOfInput | undefined;
  readonly isRunning: boolean;
  fail(error: unknown): void;
}

/**
 * The JobManager's checkpoint calls on one task (trigger, complete, abort), run in the task's
 * mailbox, with what they leave behind: the commits in flight, a planned rescale's halt of the
 * source, and an input failure held back while the job stops on a synchronous savepoint.
 */
export class TaskCheckpointCalls {
  /** The rescale checkpoint after whose barrier this source emits nothing more (until it is aborted). */
  haltedAfter: number | undefined;
  /** An input failure held back while the job stops on a synchronous savepoint (see onInputFailure). */
  private deferredInputFailure: Error | undefined;
  /** Commits of completed checkpoints in flight; a cancel lets them finish first. */
  private commits: Promise<void> = Promise.resolve();

  constructor(private readonly task: CheckpointedTask) {}

  /** Settles once every commit started so far has finished. */
  whenCommitted(): Promise<void> {
    return this.commits;
  }

  /**
   * A source subtask, or one whose inputs all ended, starts checkpoint `barrier.checkpointId` between
   * two records. With `drain` (stop-with-savepoint --drain) the source ends its input first, so the
   * barrier follows MAX_WATERMARK and the end of data, and the savepoint holds what is left after
   * every window fired. With `halt` (a planned rescale) the source emits nothing after the barrier,
   * so nothing is replayed.
   */
  trigger(barrier: CheckpointBarrier, drain: boolean, halt: boolean): void {
    const task = this.task;
    task.mailbox.execute(() => {
      const { checkpointer, ending } = task;
      // A task with inputs is triggered only once its producers finished, so no barrier comes through them.
      const source = task.chain?.source;
      if (
        checkpointer === undefined ||
        ending === undefined ||
        !task.isRunning ||
        ending.phase === 'draining' ||
        (source === undefined && !ending.hasInputsEnded)
      ) {
        task.checkpointResponder.decline({
          jobId: task.tdd.jobId,
          attemptId: task.tdd.attemptId,
          checkpointId: barrier.checkpointId,
          reason: `${task.name} is not running`,
          notReady: true,
        });
        return;
      }
      if (drain && ending.phase === 'processing' && source !== undefined) {
        source.finishNow();
        ending.onInputsEnded();
        // begin() enters 'ending' at once, so the trigger below waits until the operators have flushed.
        ending.begin().catch((error: unknown) => task.fail(error));
      }
      ending.trigger(barrier);
      if (halt && source !== undefined && ending.phase === 'processing') this.haltedAfter = barrier.checkpointId;
    });
  }

  complete(checkpointId: number): void {
    const task = this.task;
    task.mailbox.execute(() => {
      const chain = task.chain;
      if (chain === undefined) return;
      task.checkpointer?.onCompleted(checkpointId);
      task.localState?.retainFrom(task.tdd.jobId, checkpointId).catch(() => undefined);
      const commit = chain.notifyCheckpointComplete(checkpointId).then(
        () => task.mailbox.execute(() => task.ending?.onCheckpointCommitted(checkpointId)),
        (error: unknown) => task.fail(error),
      );
      this.commits = this.commits.then(() => commit);
    });
  }

  abort(checkpointId: number): void {
    const task = this.task;
    task.mailbox.execute(() => {
      task.chain?.notifyCheckpointAborted(checkpointId);
      const checkpointer = task.checkpointer;
      checkpointer?.stopWriting(checkpointId);
      if (checkpointer?.pendingSyncSavepoint === checkpointId) {
        checkpointer.onAborted(checkpointId);
        // The job goes on after all: an input that failed meanwhile fails the task now.
        const deferred = this.deferredInputFailure;
        this.deferredInputFailure = undefined;
        if (deferred !== undefined) throw deferred;
      }
      // The rescale it was for will not happen on it: the run goes on.
      if (checkpointId === this.haltedAfter) {
        this.haltedAfter = undefined;
        task.mailbox.wake();
      }
    });
  }

  /**
   * An input channel failed. After a synchronous savepoint the job is stopping: producers elsewhere
   * are canceled as soon as it completes, and their channels may fail here before the savepoint's
   * completion arrives. Failing then would drop the commit of the job's last output, as Flink's task
   * does not (it waits for the notification), so the failure is held until the savepoint is aborted.
   */
  onInputFailure(error: unknown): void {
    if (this.task.checkpointer?.pendingSyncSavepoint !== undefined) {
      this.task.log.debug(`${this.task.name} holds back an input failure while its job stops on a savepoint: ${describeError(error)}`);
      this.deferredInputFailure ??= error instanceof Error ? error : new Error(describeError(error));
      return;
    }
    throw error;
  }
}
