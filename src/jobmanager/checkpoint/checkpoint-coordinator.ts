import { detach } from '../../core/detach.js';
import { describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import type { BarrierKind, CheckpointAcknowledgement, CheckpointDecline } from '../../rpc/gateways/checkpoint-messages.js';
import { SYSTEM_CLOCK, type CheckpointClock } from './checkpoint-clock.js';
import type { CheckpointCoordinatorContext, CheckpointCoordinatorOptions } from './checkpoint-coordinator-context.js';
import { CheckpointError, noSavepointLocationError, type CheckpointFailureReason } from './checkpoint-failure.js';
import { CheckpointFailureManager } from './checkpoint-failure-manager.js';
import { finalizeCheckpoint } from './checkpoint-finalizer.js';
import { CheckpointRequestDecider, type CheckpointRequest, type Decision } from './checkpoint-request-decider.js';
import type { CheckpointSettings } from './checkpoint-settings.js';
import { createCheckpointStorage, type CheckpointStorage } from './checkpoint-storage.js';
import { describeKind, displayPath, isSavepoint, type CompletedCheckpoint } from './completed-checkpoint.js';
import { PendingCheckpoint } from './pending-checkpoint.js';
import { firstTriggerDelay, PeriodicTrigger } from './periodic-trigger.js';

const log = getLogger('checkpoint.coordinator');

/** Ids of recently aborted checkpoints kept to recognise late acknowledgements. */
const ABORTED_IDS_KEPT = 64;

/**
 * Flink's CheckpointCoordinator for one execution graph: triggers periodic checkpoints and
 * savepoints at the sources, collects every subtask's acknowledgement, finalizes the checkpoint
 * (metadata last), adds it to the shared store and tells the subtasks to commit.
 */
export class CheckpointCoordinator {
  private readonly context: CheckpointCoordinatorContext;
  private readonly settings: CheckpointSettings;
  private readonly storage: CheckpointStorage;
  private readonly clock: CheckpointClock;
  private readonly random: () => number;
  private readonly decider: CheckpointRequestDecider;
  private readonly failureManager: CheckpointFailureManager;
  private readonly periodic: PeriodicTrigger | undefined;
  private readonly pending = new Map<number, { checkpoint: PendingCheckpoint; request: CheckpointRequest }>();
  private readonly finalizing = new Set<number>();
  private readonly abortedIds: number[] = [];
  private triggering = false;
  private lastCompletionTimestamp = Number.NEGATIVE_INFINITY;
  private schedulerStartedBefore = false;
  private isShutdown = false;

  constructor(private readonly options: CheckpointCoordinatorOptions) {
    this.context = options.context;
    this.settings = options.settings;
    this.storage = options.storage ?? createCheckpointStorage(options.settings.storage);
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.random = options.random ?? Math.random;
    this.decider = new CheckpointRequestDecider(this.settings.maxConcurrent, this.settings.minPauseMs);
    this.failureManager = new CheckpointFailureManager(this.settings.tolerableFailures, (error) => options.listener.failJob(error));
    const interval = this.settings.intervalMs;
    // Triggering more often than the min-pause allows makes no sense (Flink raises the interval likewise).
    this.periodic =
      interval === undefined
        ? undefined
        : new PeriodicTrigger(this.clock, Math.max(interval, this.settings.minPauseMs), () => this.onPeriodicTick());
  }

  /** Starts periodic checkpoints: first after a random delay in [minPause, interval], after a restart after minPause. */
  startScheduler(): void {
    if (this.isShutdown || this.periodic === undefined || this.periodic.running) return;
    const minPause = this.settings.minPauseMs;
    const delay = this.schedulerStartedBefore ? minPause : firstTriggerDelay(minPause, this.periodic.intervalMs, this.random);
    this.schedulerStartedBefore = true;
    log.info(`Starting periodic checkpoints of job ${this.context.jobId} every ${this.periodic.intervalMs} ms, first in ${delay} ms.`);
    this.periodic.start(delay);
  }

  /** Stops periodic checkpoints and aborts pending and queued ones. */
  stopScheduler(reason = 'The checkpoint scheduler was stopped.'): void {
    this.periodic?.stop();
    this.abortAll(new CheckpointError('CHECKPOINT_COORDINATOR_SUSPEND', reason), true);
  }

  get schedulerRunning(): boolean {
    return this.periodic?.running ?? false;
  }

  /** Checkpoints triggered and not yet completed or failed (finalizing ones included). */
  get numberOfPendingCheckpoints(): number {
    return this.pending.size + this.finalizing.size;
  }

  /**
   * Takes a checkpoint now (not subject to min-pause, but to max-concurrent). With `haltSources`
   * the sources emit nothing after its barrier: a planned rescale ends its run on it.
   */
  triggerCheckpoint(haltSources = false): Promise<CompletedCheckpoint> {
    // A rescale waits for this one: periodic checkpoints in flight, which it would subsume anyway,
    // give way rather than hold it back behind max-concurrent and compete with its write.
    if (haltSources) {
      const superseded = new CheckpointError('CHECKPOINT_SUBSUMED', 'a checkpoint for a rescale supersedes it');
      for (const { checkpoint, request } of [...this.pending.values()]) if (request.periodic) this.abort(checkpoint, superseded);
    }
    return this.request('CHECKPOINT', false, undefined, false, haltSources);
  }

  /**
   * Takes a savepoint into `targetDirectory` (or the configured default); SYNC_SAVEPOINT is the one
   * that stops the job, and with `drain` the sources end their input first (Flink's `stop --drain`).
   */
  triggerSavepoint(targetDirectory: string | undefined, kind: 'SAVEPOINT' | 'SYNC_SAVEPOINT', drain = false): Promise<CompletedCheckpoint> {
    const target = targetDirectory ?? this.settings.savepointDirectory;
    if (target === undefined) return Promise.reject(noSavepointLocationError());
    return this.request(kind, false, target, drain && kind === 'SYNC_SAVEPOINT');
  }

  /** A subtask acknowledged a checkpoint with its state handles. */
  receiveAcknowledge(ack: CheckpointAcknowledgement): void {
    if (ack.jobId !== this.context.jobId) return;
    const entry = this.pending.get(ack.checkpointId);
    if (entry === undefined) {
      // A subtask that wrote after its checkpoint was aborted leaves files nobody else will remove.
      if (this.abortedIds.includes(ack.checkpointId)) this.discardLocationQuietly(ack.checkpointId, 'late acknowledgement');
      else log.debug(`Ignoring acknowledgement of unknown checkpoint ${ack.checkpointId} from ${ack.attemptId}.`);
      return;
    }
    const { result, subtask } = entry.checkpoint.acknowledge(ack, this.clock.now());
    if (result === 'SUCCESS' && subtask !== undefined) {
      this.options.statsTracker.reportAcknowledged(ack.checkpointId, subtask.target.vertexId, subtask.ackTimestamp, ack.state.stateSize, {
        index: subtask.target.subtaskIndex,
        ...(ack.state.checkpointedSize !== undefined ? { checkpointedSize: ack.state.checkpointedSize } : {}),
        syncDurationMs: ack.state.syncDurationMs,
        asyncDurationMs: ack.state.asyncDurationMs,
        alignmentDurationMs: ack.state.alignmentDurationMs,
      });
      if (entry.checkpoint.isFullyAcknowledged())
        detach(this.complete(entry.checkpoint, entry.request), this.unexpected('completing', entry.request));
    } else if (result === 'UNKNOWN') {
      log.warn(
        `Checkpoint ${ack.checkpointId} of job ${this.context.jobId} got an acknowledgement from unknown attempt ${ack.attemptId}; ignoring it.`,
      );
    }
  }

  /** A subtask could not take its part: the checkpoint fails. */
  receiveDecline(decline: CheckpointDecline): void {
    if (this.isShutdown) return;
    const entry = this.pending.get(decline.checkpointId);
    if (entry === undefined) return;
    const target = entry.checkpoint.commitTargets.find((t) => t.attemptId === decline.attemptId);
    // A TaskManager that no longer knows the attempt cannot name its job; the attempt id decides then.
    if (decline.jobId !== this.context.jobId && target === undefined) return;
    const who = target === undefined ? `attempt ${decline.attemptId}` : `subtask ${target.subtaskIndex} of vertex ${target.vertexId}`;
    log.info(`Checkpoint ${decline.checkpointId} of job ${this.context.jobId} was declined by ${who}: ${decline.reason}`);
    const reason = decline.notReady === true ? 'CHECKPOINT_DECLINED_TASK_NOT_READY' : 'CHECKPOINT_DECLINED';
    this.abort(entry.checkpoint, new CheckpointError(reason, `${who}: ${decline.reason}`, { checkpointId: decline.checkpointId }));
  }

  /** Aborts the pending checkpoints (a task failed, the graph is being replaced); queued requests stay. */
  abortPending(reason: string, failureReason: CheckpointFailureReason = 'CHECKPOINT_COORDINATOR_SUSPEND'): void {
    this.abortAll(new CheckpointError(failureReason, reason), false);
  }

  /** Stops everything for good; the shared store, id counter and statistics are left as they are. */
  shutdown(): void {
    if (this.isShutdown) return;
    this.periodic?.stop();
    this.abortAll(new CheckpointError('CHECKPOINT_COORDINATOR_SHUTDOWN'), true);
    this.isShutdown = true;
  }

  private onPeriodicTick(): void {
    // One periodic request waiting is enough; more would only fire back to back later.
    if (this.decider.hasQueuedPeriodic()) return;
    this.request('CHECKPOINT', true, undefined).catch(() => undefined);
  }

  private request(
    kind: BarrierKind,
    periodic: boolean,
    targetDirectory: string | undefined,
    drain = false,
    haltSources = false,
  ): Promise<CompletedCheckpoint> {
    if (this.isShutdown) return Promise.reject(new CheckpointError('CHECKPOINT_COORDINATOR_SHUTDOWN'));
    return new Promise((resolve, reject) => {
      this.act(this.decider.offer({ kind, periodic, targetDirectory, drain, haltSources, resolve, reject }, this.activity()));
    });
  }

  private activity() {
    return {
      triggering: this.triggering,
      pending: this.numberOfPendingCheckpoints,
      lastCompletionTimestamp: this.lastCompletionTimestamp,
      now: this.clock.now(),
    };
  }

  private executeQueued(): void {
    if (!this.isShutdown) this.act(this.decider.next(this.activity()));
  }

  private act(decision: Decision): void {
    if (decision.rescheduleAfterMs !== undefined) this.periodic?.reschedule(decision.rescheduleAfterMs);
    if (decision.execute !== undefined) detach(this.trigger(decision.execute), this.unexpected('triggering', decision.execute));
  }

  private async trigger(request: CheckpointRequest): Promise<void> {
    this.triggering = true;
    let checkpoint: PendingCheckpoint | undefined;
    try {
      if (!this.context.allTasksRunning()) throw new CheckpointError('NOT_ALL_REQUIRED_TASKS_RUNNING');
      const id = this.options.idCounter.getAndIncrement();
      const timestamp = this.clock.now();
      await this.initializeLocation(id);
      if (this.isShutdown) throw new CheckpointError('CHECKPOINT_COORDINATOR_SHUTDOWN', undefined, { checkpointId: id });
      if (!this.context.allTasksRunning()) {
        this.discardLocationQuietly(id, 'tasks stopped while triggering');
        throw new CheckpointError('NOT_ALL_REQUIRED_TASKS_RUNNING');
      }
      checkpoint = this.createPending(id, timestamp, request);
      log.info(
        `Triggering ${describeKind(request.kind)} ${id} @ ${timestamp} for job ${this.context.jobId}${request.drain === true ? ', draining the sources first' : ''}${request.haltSources === true ? ', halting the sources after it for a rescale' : ''}.`,
      );
      const halt = request.haltSources === true ? { haltSources: true } : {};
      for (const task of this.context.tasksToTrigger())
        task.trigger({
          attemptId: task.attemptId,
          checkpointId: id,
          timestamp,
          kind: request.kind,
          drain: request.drain === true,
          ...halt,
        });
      if (checkpoint.isFullyAcknowledged()) detach(this.complete(checkpoint, request), this.unexpected('completing', request));
    } catch (error) {
      this.onTriggerFailure(request, checkpoint, error);
    } finally {
      this.triggering = false;
      this.executeQueued();
    }
  }

  private async initializeLocation(id: number): Promise<void> {
    try {
      await this.storage.initializeLocation(this.context.jobId, id);
    } catch (error) {
      throw new CheckpointError('IO_EXCEPTION', `cannot create the location of checkpoint ${id}: ${describeError(error)}`, {
        cause: error,
        checkpointId: id,
      });
    }
  }

  private createPending(id: number, timestamp: number, request: CheckpointRequest): PendingCheckpoint {
    const vertices = this.context.vertices();
    const checkpoint = new PendingCheckpoint(
      this.context.jobId,
      id,
      request.kind,
      timestamp,
      vertices,
      [...this.context.allTasks()],
      request.targetDirectory,
    );
    this.pending.set(id, { checkpoint, request });
    this.options.statsTracker.reportPending(id, request.kind, timestamp, vertices);
    checkpoint.timeout = this.clock.schedule(this.settings.timeoutMs, () => this.expire(checkpoint));
    return checkpoint;
  }

  private onTriggerFailure(request: CheckpointRequest, checkpoint: PendingCheckpoint | undefined, error: unknown): void {
    const failure =
      error instanceof CheckpointError ? error : new CheckpointError('TRIGGER_CHECKPOINT_FAILURE', describeError(error), { cause: error });
    if (checkpoint !== undefined) {
      this.abort(checkpoint, failure);
      return;
    }
    request.reject(failure);
    if (failure.preFlight) {
      log.debug(`Not triggering a ${describeKind(request.kind)} of job ${this.context.jobId}: ${failure.message}`);
      return;
    }
    log.warn(`Failed to trigger a ${describeKind(request.kind)} of job ${this.context.jobId}: ${failure.message}`);
    this.options.statsTracker.reportFailedWithoutInProgress();
    this.failureManager.handleFailure(failure, failure.checkpointId, request.kind !== 'CHECKPOINT');
    this.options.listener.onCheckpointFailed?.(failure);
  }

  private expire(checkpoint: PendingCheckpoint): void {
    if (this.pending.get(checkpoint.id)?.checkpoint !== checkpoint) return;
    log.info(`Checkpoint ${checkpoint.id} of job ${this.context.jobId} expired before completing.`);
    this.abort(checkpoint, new CheckpointError('CHECKPOINT_EXPIRED', undefined, { checkpointId: checkpoint.id }));
  }

  private abort(checkpoint: PendingCheckpoint, failure: CheckpointError): void {
    const entry = this.pending.get(checkpoint.id);
    if (entry === undefined || checkpoint.isDisposed) return;
    checkpoint.dispose();
    this.pending.delete(checkpoint.id);
    this.abortedIds.push(checkpoint.id);
    if (this.abortedIds.length > ABORTED_IDS_KEPT) this.abortedIds.shift();
    for (const target of checkpoint.commitTargets) notifyQuietly(() => target.notifyAborted(checkpoint.id));
    this.discardLocationQuietly(checkpoint.id, 'aborted');
    this.options.statsTracker.reportFailed(checkpoint.id, this.clock.now(), failure.message);
    this.failureManager.handleFailure(failure, checkpoint.id, checkpoint.isSavepoint);
    entry.request.reject(failure);
    this.options.listener.onCheckpointFailed?.(failure);
    this.executeQueued();
  }

  private abortAll(failure: CheckpointError, includeQueued: boolean): void {
    if (includeQueued) for (const request of this.decider.drain()) request.reject(failure);
    for (const { checkpoint } of [...this.pending.values()]) this.abort(checkpoint, failure);
  }

  /**
   * trigger() and complete() turn every failure they expect into a failed checkpoint; anything that
   * still escapes them is a bug, logged and failing the request rather than the JobManager.
   */
  private unexpected(doing: string, request: CheckpointRequest): (error: unknown) => void {
    return (error) => {
      log.error(`Unexpected failure ${doing} a checkpoint of job ${this.context.jobId}: ${describeError(error)}`, error);
      request.reject(new CheckpointError('TRIGGER_CHECKPOINT_FAILURE', describeError(error), { cause: error }));
    };
  }

  private async complete(checkpoint: PendingCheckpoint, request: CheckpointRequest): Promise<void> {
    checkpoint.timeout?.cancel();
    this.pending.delete(checkpoint.id);
    this.finalizing.add(checkpoint.id);
    const started = this.clock.now();
    const outcome = await finalizeCheckpoint(checkpoint, started, {
      jobId: this.context.jobId,
      storage: this.storage,
      sharedState: this.options.store.sharedState,
      isShutdown: () => this.isShutdown,
    });
    this.finalizing.delete(checkpoint.id);
    if ('failure' in outcome) {
      this.pending.set(checkpoint.id, { checkpoint, request });
      this.abort(checkpoint, outcome.failure);
      return;
    }
    checkpoint.dispose();
    this.onCompleted(checkpoint, request, outcome.completed, started);
  }

  /**
   * As in Flink, only checkpoints join the store; a savepoint neither subsumes pending checkpoints
   * nor commits side effects, except the savepoint that stops the job.
   */
  private onCompleted(
    checkpoint: PendingCheckpoint,
    request: CheckpointRequest,
    completed: CompletedCheckpoint,
    finalizeStarted: number,
  ): void {
    const stats = this.options.statsTracker;
    const adding = completed.kind === 'CHECKPOINT' ? this.options.store.add(completed) : Promise.resolve([]);
    stats.reportCompleted(completed.id, displayPath(completed));
    this.lastCompletionTimestamp = this.clock.now();
    if (isSavepoint(completed)) this.discardLocationQuietly(completed.id, 'copied into the savepoint');
    this.failureManager.handleSuccess(completed.id);
    log.info(
      `Completed ${describeKind(completed.kind)} ${completed.id} for job ${this.context.jobId} (${completed.stateSize} bytes, ` +
        `checkpointDuration=${finalizeStarted - completed.triggerTimestamp} ms, finalizationTime=${this.clock.now() - finalizeStarted} ms) at ${displayPath(completed)}.`,
    );
    if (completed.kind !== 'SAVEPOINT') {
      for (const { checkpoint: older } of [...this.pending.values()]) {
        if (older.id < completed.id && !older.isSavepoint)
          this.abort(older, new CheckpointError('CHECKPOINT_SUBSUMED', undefined, { checkpointId: older.id }));
      }
      for (const target of checkpoint.commitTargets) notifyQuietly(() => target.notifyComplete(completed.id));
    }
    adding.then(
      (subsumed) => {
        for (const old of subsumed) if (!isSavepoint(old)) stats.reportDiscarded(old.id);
      },
      (error: unknown) => log.warn(`Could not subsume old checkpoints: ${describeError(error)}`),
    );
    request.resolve(completed);
    this.options.listener.onCheckpointCompleted?.(completed);
    this.executeQueued();
  }

  private discardLocationQuietly(id: number, why: string): void {
    this.storage.discardLocation(this.context.jobId, id).catch((error: unknown) => {
      log.warn(`Could not remove the files of checkpoint ${id} (${why}): ${describeError(error)}`);
    });
  }
}

/** A gateway call that throws (connection gone) must not break the coordinator's bookkeeping. */
function notifyQuietly(call: () => void): void {
  try {
    call();
  } catch (error) {
    log.debug(`Checkpoint notification failed: ${describeError(error)}`);
  }
}
