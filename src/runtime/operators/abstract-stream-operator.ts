/** Shared machinery of operators: wiring, keyed and operator state, timers, watermarks, snapshots. */
import { computeKeyGroupRangeForOperatorIndex } from '../keygroups/index.js';
import { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.js';
import { OperatorStateBackend } from '../state/operator-state-backend.js';
import { InternalTimerService, type Triggerable } from '../timers/internal-timer-service.js';
import {
  MIN_WATERMARK,
  type OperatorSnapshotData,
  type SnapshotOptions,
  type RestoredOperatorState,
  type StreamedKeyedRestore,
  type TaskServices,
} from '../task-contract.js';
import { StateError } from '../runtime-errors.js';
import type { OperatorSetup, Output, StreamOperator } from './stream-operator.js';

/** Base of every operator; subclasses add processElement and their own lifecycle steps. */
export abstract class AbstractStreamOperator implements StreamOperator {
  protected setupInfo!: OperatorSetup;
  protected output!: Output;
  protected services!: TaskServices;
  protected keyedBackend: HeapKeyedStateBackend | undefined;
  protected readonly operatorState = new OperatorStateBackend();
  protected timerService: InternalTimerService | undefined;
  protected currentWatermark = MIN_WATERMARK;
  private keySelector: ((value: unknown) => unknown) | undefined;

  setup(setup: OperatorSetup): void {
    this.setupInfo = setup;
    this.output = setup.output;
    this.services = setup.services;
    if (setup.keyed !== undefined) {
      const s = setup.services;
      const range = computeKeyGroupRangeForOperatorIndex(s.maxParallelism, s.parallelism, s.subtaskIndex);
      this.keyedBackend = new HeapKeyedStateBackend(setup.keyed.keyType, s.maxParallelism, range);
      this.keySelector = setup.keyed.selector;
    }
  }

  initializeState(restored: RestoredOperatorState | undefined, isRestore: boolean): void | Promise<void> {
    if (restored !== undefined) {
      if (restored.keyGroupChunks.length > 0 || restored.incrementalBase !== undefined) {
        if (this.keyedBackend === undefined) {
          throw new StateError(`Operator '${this.setupInfo.name}' received keyed state but its input is not keyed`);
        }
        this.keyedBackend.restore(restored.keyGroupChunks, restored.incrementalBase);
      }
      this.operatorState.restore(restored.listStates);
    } else if (isRestore) {
      this.operatorState.restore([]);
    }
    return this.initializeOperatorState(isRestore);
  }

  get streamedRestore(): StreamedKeyedRestore | undefined {
    const backend = this.keyedBackend;
    const selector = this.keySelector;
    if (backend === undefined || selector === undefined) return undefined;
    return {
      expect: (offsets) => backend.expectGroups(offsets),
      arrive: (offset, chunks) => backend.restoreGroup(offset, chunks),
      missingGroupFor: (value) => backend.missingGroupOf(selector(value)),
      get groupsToArrive() {
        return backend.groupsToArrive;
      },
    };
  }

  /** Hook for operators with their own state (sources, sinks): runs after the backends are restored. */
  protected initializeOperatorState(_isRestore: boolean): void | Promise<void> {}

  open(): void | Promise<void> {}

  setKeyContextElement(value: unknown): void {
    if (this.keySelector !== undefined) this.keyedBackend!.setCurrentKey(this.keySelector(value));
  }

  abstract processElement(value: unknown, timestamp: number | undefined): void;

  processWatermark(watermark: number): void {
    this.currentWatermark = watermark;
    this.timerService?.advanceWatermark(watermark);
    this.output.emitWatermark(watermark);
  }

  /** The operator's timer service (one per operator here); only on keyed input. */
  protected getInternalTimerService(name: string, target: Triggerable): InternalTimerService {
    if (this.keyedBackend === undefined) {
      throw new StateError('Timers can only be used on a keyed stream, i.e. after keyBy()');
    }
    if (this.timerService === undefined) {
      this.timerService = new InternalTimerService(name, this.keyedBackend, this.services.processingTime, target);
      this.timerService.currentWatermark = this.currentWatermark;
    }
    return this.timerService;
  }

  snapshotState(checkpointId: number, _timestamp: number, options?: SnapshotOptions): OperatorSnapshotData | undefined {
    const backend = this.keyedBackend;
    const keyGroups = backend === undefined || backend.isEmpty() ? undefined : backend.snapshot(checkpointId, options);
    const listStates = this.operatorState.snapshot();
    if (keyGroups === undefined && listStates.length === 0) return undefined;
    return {
      operatorId: this.setupInfo.operatorId,
      ...(keyGroups !== undefined ? { keyGroups } : {}),
      ...(listStates.length > 0 ? { listStates } : {}),
    };
  }

  /** Subclasses that override this call it first: the keyed state's incremental base moves here. */
  notifyCheckpointComplete(checkpointId: number): void | Promise<void> {
    this.keyedBackend?.notifyCheckpointComplete(checkpointId);
  }
  notifyCheckpointAborted(_checkpointId: number): void {}
  endInput(): void | Promise<void> {}

  close(): void | Promise<void> {
    this.timerService?.dispose();
  }

  /** The keyed backend, for tests and the chain. */
  getKeyedStateBackend(): HeapKeyedStateBackend | undefined {
    return this.keyedBackend;
  }
}
