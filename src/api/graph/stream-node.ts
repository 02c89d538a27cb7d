/** The stream graph a program builds: one node per operator, with user code kept in operator factories. */
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import type { KeyedInputInfo, OperatorFactory } from '../../runtime/operators/stream-operator.js';

/** Whether a node may be chained to its input and its output (Flink's ChainingStrategy). */
export type ChainingStrategy = 'ALWAYS' | 'HEAD' | 'NEVER';

/** How records travel from an input node to a consumer; DEFAULT becomes FORWARD or REBALANCE as in Flink. */
export type Partitioning =
  | { readonly kind: 'DEFAULT' }
  | { readonly kind: 'FORWARD' }
  | { readonly kind: 'REBALANCE' }
  | { readonly kind: 'RESCALE' }
  | { readonly kind: 'BROADCAST' }
  | { readonly kind: 'HASH'; readonly keyed: KeyedInputInfo };

/** One input of a node. */
export interface StreamInput {
  readonly node: StreamNode;
  readonly partitioning: Partitioning;
}

/** How a node's name is shown in vertex names. */
export type NameStyle = 'plain' | 'source' | 'sink' | 'sink-writer';

/** One operator of the program. */
export class StreamNode {
  uid: string | undefined = undefined;
  /** Explicit parallelism; -1: the environment's. */
  parallelism = -1;
  /** Explicit max parallelism; -1: the environment's or derived. */
  maxParallelism = -1;
  /** Explicit slot sharing group; unset nodes take their inputs' group when all agree, else 'default' (Flink's rule). */
  slotSharingGroup: string | undefined = undefined;
  chaining: ChainingStrategy;
  /** Non-parallel operators (collection and socket sources) refuse a parallelism other than 1. */
  nonParallel = false;

  constructor(
    readonly id: number,
    readonly kind: string,
    public name: string,
    readonly nameStyle: NameStyle,
    readonly inputs: readonly StreamInput[],
    public outputType: TypeDescriptor,
    readonly keyed: KeyedInputInfo | undefined,
    readonly factory: OperatorFactory,
    readonly isSource: boolean,
  ) {
    this.chaining = isSource ? 'HEAD' : 'ALWAYS';
  }

  /** The name as Flink shows it in vertex names (`Source: x`, `Sink: x`, `x: Writer`). */
  displayName(): string {
    switch (this.nameStyle) {
      case 'source':
        return `Source: ${this.name}`;
      case 'sink':
        return `Sink: ${this.name}`;
      case 'sink-writer':
        return `${this.name}: Writer`;
      default:
        return this.name;
    }
  }

  /** The type of the records this node consumes (its first input's). */
  inputType(): TypeDescriptor | undefined {
    return this.inputs[0]?.node.outputType;
  }
}
