/**
 * The operators of one subtask, chained: each operator's output calls the next operator directly,
 * the tail's output is the task's ChainOutput. Lifecycle calls run in Flink's order (open tail
 * first, finish and close head first).
 */
import type { OperatorId } from '../../core/ids.js';
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import type { KeyedInputInfo, OperatorFactory, Output, StreamOperator } from '../operators/stream-operator.js';
import { SourceOperator } from '../sources/source-operator.js';
import type {
  ChainOutput,
  OperatorChain,
  OperatorCounters,
  OperatorSnapshotData,
  RestoredOperatorState,
  SnapshotOptions,
  SourceDriver,
  TaskServices,
} from '../task-contract.js';

/** One operator of a chain as the program describes it. */
export interface ChainMemberSpec {
  readonly operatorId: OperatorId;
  readonly name: string;
  readonly factory: OperatorFactory;
  readonly keyed: KeyedInputInfo | undefined;
  readonly inputType: TypeDescriptor | undefined;
  readonly outputType: TypeDescriptor;
}

function forwardTo(next: StreamOperator): Output {
  return {
    collect: (value, timestamp) => {
      next.setKeyContextElement(value);
      next.processElement(value, timestamp);
    },
    emitWatermark: (watermark) => next.processWatermark(watermark),
  };
}

function countingOutput(output: ChainOutput, counters: OperatorCounters): Output {
  return {
    collect: (value, timestamp) => {
      counters.numRecordsOut++;
      output.collect(value, timestamp);
    },
    emitWatermark: (watermark) => output.emitWatermark(watermark),
  };
}

/** Builds and wires the operators of `members` (head first) for one subtask. */
export function buildOperatorChain(members: readonly ChainMemberSpec[], services: TaskServices, output: ChainOutput): StreamOperatorChain {
  if (members.length === 0) throw new Error('A chain needs at least one operator');
  const counters: OperatorCounters = { numRecordsIn: 0, numRecordsOut: 0 };
  const operators = members.map((m) => m.factory());
  for (let i = operators.length - 1; i >= 0; i--) {
    const m = members[i]!;
    const out = i === operators.length - 1 ? countingOutput(output, counters) : forwardTo(operators[i + 1]!);
    operators[i]!.setup({
      operatorId: m.operatorId,
      name: m.name,
      services,
      output: out,
      keyed: m.keyed,
      inputType: m.inputType,
      outputType: m.outputType,
    });
  }
  return new StreamOperatorChain(
    members.map((m) => m.operatorId),
    operators,
    counters,
  );
}

/** The OperatorChain the task drives. */
export class StreamOperatorChain implements OperatorChain {
  readonly source: SourceDriver | undefined;
  readonly streamedRestore: OperatorChain['streamedRestore'];
  private readonly head: StreamOperator;

  constructor(
    private readonly ids: readonly OperatorId[],
    readonly operators: readonly StreamOperator[],
    readonly counters: OperatorCounters,
  ) {
    this.head = operators[0]!;
    this.source = this.head instanceof SourceOperator ? this.head : undefined;
    const target = this.source === undefined ? this.head.streamedRestore : undefined;
    this.streamedRestore = target === undefined ? undefined : { operatorId: ids[0]!, target };
  }

  async initializeState(restored: readonly RestoredOperatorState[] | undefined): Promise<void> {
    for (let i = 0; i < this.operators.length; i++) {
      const own = restored?.find((r) => r.operatorId === this.ids[i]);
      await this.operators[i]!.initializeState(own, restored !== undefined);
    }
  }

  async open(): Promise<void> {
    for (let i = this.operators.length - 1; i >= 0; i--) await this.operators[i]!.open();
  }

  processElement(value: unknown, timestamp: number | undefined): void {
    this.counters.numRecordsIn++;
    this.head.setKeyContextElement(value);
    this.head.processElement(value, timestamp);
  }

  processWatermark(watermark: number): void {
    this.head.processWatermark(watermark);
  }

  snapshotState(checkpointId: number, timestamp: number, options?: SnapshotOptions): OperatorSnapshotData[] {
    const out: OperatorSnapshotData[] = [];
    try {
      for (const op of this.operators) {
        const data = op.snapshotState(checkpointId, timestamp, options);
        if (data !== undefined) out.push(data);
      }
    } catch (error) {
      // Keyed snapshots already taken would otherwise keep their groups (and copy-on-write values) forever.
      for (const data of out) data.keyGroups?.release();
      throw error;
    }
    return out;
  }

  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    for (const op of this.operators) await op.notifyCheckpointComplete(checkpointId);
  }

  notifyCheckpointAborted(checkpointId: number): void {
    for (const op of this.operators) op.notifyCheckpointAborted(checkpointId);
  }

  async endInput(): Promise<void> {
    for (const op of this.operators) await op.endInput();
  }

  async close(): Promise<void> {
    let first: unknown;
    for (const op of this.operators) {
      try {
        await op.close();
      } catch (error) {
        first ??= error;
      }
    }
    if (first !== undefined) throw first instanceof Error ? first : new Error(String(first));
  }
}
