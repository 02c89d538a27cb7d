/**
 * The FileSink writer with two-phase commit: rows go to hidden in-progress part files; a checkpoint
 * closes them into "pending for checkpoint n" (kept in union list state); when checkpoint n
 * completes they are committed by atomic rename. A restore commits what the restored checkpoint
 * left pending and deletes this sink's stray in-progress files. Without checkpointing, files are
 * committed at the end of input.
 */
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { AbstractStreamOperator } from '../operators/abstract-stream-operator.js';
import type { OperatorListState } from '../state/operator-state-backend.js';
import type { Cancellable, OperatorSnapshotData, SnapshotOptions } from '../task-contract.js';
import type { BucketAssignerContext } from './file-sink-config.js';
import { commitPendingFile, deleteStrayInProgressFiles } from './file-sink-recovery.js';
import type { FileSinkSpec } from './file-sink.js';
import { PartFileWriter, type PendingFile } from './part-file-writer.js';

/** A pending file as recorded in checkpoints. */
interface PendingEntry extends PendingFile {
  readonly checkpointId: number;
  readonly subtask: number;
}

const PENDING_STATE = 'file-sink-pending';

/** Writes a stream into part files under a base path. */
export class FileSinkOperator extends AbstractStreamOperator {
  private readonly writerId = randomUUID();
  private partCounter = 0;
  private readonly basePath: string;
  private readonly active = new Map<string, PartFileWriter>();
  /** Closed files not yet tied to a checkpoint. */
  private closed: PendingFile[] = [];
  private readonly pending = new Map<number, PendingFile[]>();
  private pendingState!: OperatorListState<PendingEntry>;
  private checkTimer: Cancellable | undefined;
  private currentTimestamp: number | undefined;
  private readonly bucketContext: BucketAssignerContext = {
    currentProcessingTime: () => this.services.processingTime.now(),
    timestamp: () => this.currentTimestamp,
  };

  constructor(private readonly spec: FileSinkSpec<unknown>) {
    super();
    this.basePath = resolve(spec.basePath);
  }

  protected override initializeOperatorState(isRestore: boolean): void {
    this.pendingState = this.operatorState.getListState<PendingEntry>(PENDING_STATE, 'UNION');
    if (!isRestore) return;
    const { subtaskIndex, parallelism } = this.services;
    const all = [...this.pendingState.get()];
    for (const entry of all) {
      if (entry.subtask % parallelism === subtaskIndex) commitPendingFile(entry, this.services.logger);
    }
    const keep = new Set(all.map((e) => e.inProgressPath));
    deleteStrayInProgressFiles(this.basePath, this.spec.outputFileConfig, subtaskIndex, parallelism, keep, this.services.logger);
    this.pendingState.clear();
  }

  override open(): void {
    const interval = this.spec.bucketCheckIntervalMs;
    if (interval > 0)
      this.checkTimer = this.services.processingTime.scheduleAtFixedRate(() => this.rollOnProcessingTime(), interval, interval);
  }

  processElement(value: unknown, timestamp: number | undefined): void {
    this.currentTimestamp = timestamp;
    const now = this.services.processingTime.now();
    const bucketId = this.spec.bucketAssigner.getBucketId(value, this.bucketContext);
    let part = this.active.get(bucketId);
    if (part !== undefined && this.spec.rollingPolicy.shouldRollOnEvent(part)) {
      this.closed.push(part.closeForCommit());
      part = undefined;
    }
    part ??= this.openPart(bucketId, now);
    part.write(this.spec.encoder.encode(value, this.setupInfo.inputType), now);
  }

  private openPart(bucketId: string, now: number): PartFileWriter {
    const { partPrefix, partSuffix } = this.spec.outputFileConfig;
    const name = `${partPrefix}-${this.writerId}-${this.services.subtaskIndex}-${this.partCounter++}${partSuffix}`;
    const dir = bucketId === '' ? this.basePath : join(this.basePath, bucketId);
    const part = new PartFileWriter(join(dir, `.${name}.inprogress.${randomUUID()}`), join(dir, name), now);
    this.active.set(bucketId, part);
    return part;
  }

  private rollOnProcessingTime(): void {
    const now = this.services.processingTime.now();
    for (const [bucketId, part] of this.active) {
      if (this.spec.rollingPolicy.shouldRollOnProcessingTime(part, now)) {
        this.closed.push(part.closeForCommit());
        this.active.delete(bucketId);
      }
    }
  }

  private closeAllParts(): void {
    for (const part of this.active.values()) this.closed.push(part.closeForCommit());
    this.active.clear();
  }

  override processWatermark(watermark: number): void {
    this.currentWatermark = watermark;
  }

  override snapshotState(checkpointId: number, timestamp: number, options?: SnapshotOptions): OperatorSnapshotData | undefined {
    this.closeAllParts();
    if (this.closed.length > 0) {
      this.pending.set(checkpointId, this.closed);
      this.closed = [];
    }
    const subtask = this.services.subtaskIndex;
    const entries: PendingEntry[] = [];
    for (const [id, files] of this.pending) for (const f of files) entries.push({ ...f, checkpointId: id, subtask });
    this.pendingState.update(entries);
    return super.snapshotState(checkpointId, timestamp, options);
  }

  override notifyCheckpointComplete(checkpointId: number): void {
    this.keyedBackend?.notifyCheckpointComplete(checkpointId);
    for (const [id, files] of [...this.pending]) {
      if (id > checkpointId) continue;
      for (const f of files) commitPendingFile(f, this.services.logger);
      this.pending.delete(id);
    }
  }

  override endInput(): void {
    this.closeAllParts();
    if (this.services.checkpointingEnabled) return; // the final checkpoint after end of input commits them
    for (const files of this.pending.values()) for (const f of files) commitPendingFile(f, this.services.logger);
    this.pending.clear();
    for (const f of this.closed) commitPendingFile(f, this.services.logger);
    this.closed = [];
  }

  override close(): void | Promise<void> {
    this.checkTimer?.cancel();
    for (const part of this.active.values()) part.abandon();
    this.active.clear();
    return super.close();
  }
}
