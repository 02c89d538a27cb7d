/** The operator model inside a chain: what each operator gets at setup and what the chain calls. */
import type { OperatorId } from '../../core/ids.js';
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import type { OperatorSnapshotData, RestoredOperatorState, SnapshotOptions, StreamedKeyedRestore, TaskServices } from '../task-contract.js';

/** Where an operator sends records and watermarks: the next operator, or the chain's output. */
export interface Output {
  collect(value: unknown, timestamp: number | undefined): void;
  emitWatermark(watermark: number): void;
}

/** How records of a keyed input are keyed, so state and timers can be scoped by key. */
export interface KeyedInputInfo {
  readonly selector: (value: unknown) => unknown;
  readonly keyType: TypeDescriptor | undefined;
}

/** Everything an operator is wired with when its chain is built. */
export interface OperatorSetup {
  readonly operatorId: OperatorId;
  readonly name: string;
  readonly services: TaskServices;
  readonly output: Output;
  /** Present when the operator's input is keyed. */
  readonly keyed: KeyedInputInfo | undefined;
  readonly inputType: TypeDescriptor | undefined;
  readonly outputType: TypeDescriptor;
}

/** One operator of a chain; the chain drives the lifecycle in Flink's order. */
export interface StreamOperator {
  setup(setup: OperatorSetup): void;
  /** `restored` is this operator's part of a checkpoint; `isRestore` tells a restore with no state from a fresh start. */
  initializeState(restored: RestoredOperatorState | undefined, isRestore: boolean): void | Promise<void>;
  open(): void | Promise<void>;
  /** Sets the current key from a record of a keyed input; called before processElement. */
  setKeyContextElement(value: unknown): void;
  processElement(value: unknown, timestamp: number | undefined): void;
  processWatermark(watermark: number): void;
  snapshotState(checkpointId: number, timestamp: number, options?: SnapshotOptions): OperatorSnapshotData | undefined;
  notifyCheckpointComplete(checkpointId: number): void | Promise<void>;
  notifyCheckpointAborted(checkpointId: number): void;
  /** All input of this operator has arrived; flush what is buffered. */
  endInput(): void | Promise<void>;
  close(): void | Promise<void>;
  /** Its keyed state's streamed restore; undefined when its input is not keyed. */
  readonly streamedRestore?: StreamedKeyedRestore | undefined;
}

/** Builds one operator instance for one subtask (called once per chain). */
export type OperatorFactory = () => StreamOperator;
