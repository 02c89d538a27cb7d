/**
 * DataStream, SingleOutputStreamOperator and KeyedStream (Flink's DataStream API). They share one
 * module because each constructs the others and KeyedStream extends DataStream.
 */
import { GENERIC_TYPE, type TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import type {
  FilterFunction,
  FlatMapFunction,
  KeySelector,
  MapFunction,
  ReduceFunction,
  SinkFunction,
} from '../../runtime/functions/function-types.js';
import type { KeyedProcessFunctionLike, ProcessFunctionLike } from '../../runtime/functions/process-functions.js';
import { copyUserFunction } from '../../runtime/functions/user-function-copier.js';
import { KeyedProcessOperator, ProcessOperator } from '../../runtime/operators/process-operators.js';
import { StreamGroupedReduceOperator } from '../../runtime/operators/stream-grouped-reduce-operator.js';
import { createAggregator, type AggregationType } from '../../runtime/aggregation/aggregators.js';
import type { FieldSpec } from '../../runtime/aggregation/field-accessor.js';
import type { KeyedInputInfo } from '../../runtime/operators/stream-operator.js';
import type { WindowAssigner } from '../../runtime/windowing/window-assigners.js';
import { GlobalWindows } from '../../runtime/windowing/window-assigners.js';
import { CountEvictor } from '../../runtime/windowing/evictors.js';
import { CountTrigger, PurgingTrigger } from '../../runtime/windowing/triggers.js';
import type { GlobalWindow, Window } from '../../runtime/windowing/windows.js';
import { WindowedStream } from './windowed-stream.js';
import { SinkOperator } from '../../runtime/operators/sink-operator.js';
import { StreamFilterOperator, StreamFlatMapOperator, StreamMapOperator } from '../../runtime/operators/simple-operators.js';
import type { OperatorFactory } from '../../runtime/operators/stream-operator.js';
import { TimestampsAndWatermarksOperator } from '../../runtime/operators/timestamps-and-watermarks-operator.js';
import { FileSinkOperator } from '../../runtime/sinks/file-sink-operator.js';
import { FileSink } from '../../runtime/sinks/file-sink.js';
import { DiscardingSinkOperator, PrintSinkOperator } from '../../runtime/sinks/print-sink-operator.js';
import type { WatermarkStrategy } from '../../runtime/watermarks/watermark-strategy.js';
import { InvalidProgramError } from '../api-errors.js';
import type { Partitioning, StreamInput, StreamNode } from '../graph/stream-node.js';
import type { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js';
import { keySelectorFor } from './key-selectors.js';
import { DataStreamSink, configureNode } from './stream-node-config.js';

/** A sink for sinkTo: a FileSink, or a DiscardingSink. */
export type Sink<T> = FileSink<T> | DiscardingSink<T>;

/** Drops every record (Flink's DiscardingSink), for benchmarks. */
export class DiscardingSink<T> {
  readonly kind = 'discarding-sink' as const;
  declare readonly __type?: T;
}

/** A stream of records of type T. */
export class DataStream<T> {
  constructor(
    protected readonly environment: StreamExecutionEnvironment,
    readonly inputs: readonly StreamInput[],
  ) {}

  getExecutionEnvironment(): StreamExecutionEnvironment {
    return this.environment;
  }

  /** The record type (from the producing operator). */
  getType(): TypeDescriptor {
    return this.inputs[0]!.node.outputType;
  }

  /** Adds an operator consuming this stream; used by all transformations. */
  protected transform<R>(kind: string, name: string, outputType: TypeDescriptor, factory: OperatorFactory): SingleOutputStreamOperator<R> {
    const node = this.environment.addNode({ kind, name, nameStyle: 'plain', inputs: this.inputs, outputType, factory });
    return new SingleOutputStreamOperator<R>(this.environment, node);
  }

  map<R>(fn: MapFunction<T, R>, outputType: TypeDescriptor = GENERIC_TYPE): SingleOutputStreamOperator<R> {
    return this.transform('map', 'Map', outputType, () => new StreamMapOperator(copyUserFunction(fn) as MapFunction<unknown, unknown>));
  }

  flatMap<R>(fn: FlatMapFunction<T, R>, outputType: TypeDescriptor = GENERIC_TYPE): SingleOutputStreamOperator<R> {
    return this.transform(
      'flat-map',
      'Flat Map',
      outputType,
      () => new StreamFlatMapOperator(copyUserFunction(fn) as FlatMapFunction<unknown, unknown>),
    );
  }

  filter(fn: FilterFunction<T>): SingleOutputStreamOperator<T> {
    return this.transform(
      'filter',
      'Filter',
      this.getType(),
      () => new StreamFilterOperator(copyUserFunction(fn) as FilterFunction<unknown>),
    );
  }

  process<R>(fn: ProcessFunctionLike<T, R>, outputType: TypeDescriptor = GENERIC_TYPE): SingleOutputStreamOperator<R> {
    return this.transform(
      'process',
      'Process',
      outputType,
      () => new ProcessOperator(copyUserFunction(fn) as ProcessFunctionLike<unknown, unknown>),
    );
  }

  /** Partitions by key: a selector function, a tuple position, or an object field name; keyType sets the key's hashing. */
  keyBy<K>(key: KeySelector<T, K> | number | string, keyType?: TypeDescriptor): KeyedStream<T, K> {
    const keyed = keySelectorFor(key, this.getType(), keyType);
    const inputs = this.inputs.map((i) => ({ node: i.node, partitioning: { kind: 'HASH' as const, keyed } }));
    return new KeyedStream<T, K>(this.environment, inputs, keyed);
  }

  private repartition(partitioning: Partitioning): DataStream<T> {
    return new DataStream<T>(
      this.environment,
      this.inputs.map((i) => ({ node: i.node, partitioning })),
    );
  }

  /** Round robin over all consumers. */
  rebalance(): DataStream<T> {
    return this.repartition({ kind: 'REBALANCE' });
  }

  /** Round robin over a local group of consumers. */
  rescale(): DataStream<T> {
    return this.repartition({ kind: 'RESCALE' });
  }

  /** Every record to every consumer. */
  broadcast(): DataStream<T> {
    return this.repartition({ kind: 'BROADCAST' });
  }

  /** Each producer subtask to the consumer subtask of the same index (parallelism must not change). */
  forward(): DataStream<T> {
    return this.repartition({ kind: 'FORWARD' });
  }

  /** This stream and the others as one (same type). */
  union(...streams: DataStream<T>[]): DataStream<T> {
    for (const s of streams) {
      if (s.environment !== this.environment) throw new InvalidProgramError('union() needs streams of the same environment');
    }
    return new DataStream<T>(this.environment, [...this.inputs, ...streams.flatMap((s) => s.inputs)]);
  }

  /** Assigns event timestamps and generates watermarks; runs with the parallelism of its input so it chains. */
  assignTimestampsAndWatermarks(strategy: WatermarkStrategy<T>): SingleOutputStreamOperator<T> {
    const op = this.transform<T>(
      'timestamps-watermarks',
      'Timestamps/Watermarks',
      this.getType(),
      () => new TimestampsAndWatermarksOperator(strategy as WatermarkStrategy<unknown>),
    );
    op.node.parallelism = this.inputs[0]!.node.parallelism;
    return op;
  }

  private addSinkNode(kind: string, name: string, nameStyle: 'sink' | 'sink-writer', factory: OperatorFactory): DataStreamSink<T> {
    const node = this.environment.addNode({ kind, name, nameStyle, inputs: this.inputs, outputType: this.getType(), factory });
    return new DataStreamSink<T>(node);
  }

  /** Writes every record to the TaskManager's stdout (`N> ` prefixed when parallel). */
  print(sinkIdentifier?: string): DataStreamSink<T> {
    return this.addSinkNode('print', 'Print to Std. Out', 'sink', () => new PrintSinkOperator(sinkIdentifier));
  }

  /** Writes to a Sink (FileSink, DiscardingSink). */
  sinkTo(sink: Sink<T>): DataStreamSink<T> {
    if (sink instanceof FileSink) return this.addSinkNode('file-sink', 'Sink', 'sink-writer', () => new FileSinkOperator(sink.spec));
    if (sink instanceof DiscardingSink)
      return this.addSinkNode('discarding-sink', 'Discarding sink', 'sink-writer', () => new DiscardingSinkOperator());
    throw new InvalidProgramError('sinkTo() accepts a FileSink or a DiscardingSink; use addSink() for a sink function');
  }

  /** Writes with a SinkFunction (a function or an object with invoke()). */
  addSink(fn: SinkFunction<T>): DataStreamSink<T> {
    return this.addSinkNode('sink', 'Unnamed', 'sink', () => new SinkOperator(copyUserFunction(fn) as SinkFunction<unknown>));
  }
}

/** The stream of one operator: naming, ids, parallelism and chaining can be set on it. */
export class SingleOutputStreamOperator<T> extends DataStream<T> {
  constructor(
    environment: StreamExecutionEnvironment,
    readonly node: StreamNode,
  ) {
    super(environment, [{ node, partitioning: { kind: 'DEFAULT' } }]);
  }

  name(name: string): this {
    configureNode(this.node).name(name);
    return this;
  }
  getName(): string {
    return this.node.name;
  }
  /** A stable id for the operator's state across program changes. */
  uid(uid: string): this {
    configureNode(this.node).uid(uid);
    return this;
  }
  setParallelism(parallelism: number): this {
    configureNode(this.node).setParallelism(parallelism);
    return this;
  }
  getParallelism(): number {
    return this.node.parallelism > 0 ? this.node.parallelism : this.environment.getParallelism();
  }
  setMaxParallelism(maxParallelism: number): this {
    configureNode(this.node).setMaxParallelism(maxParallelism);
    return this;
  }
  /** Declares the output type (Flink's returns(TypeInformation)). */
  returns(type: TypeDescriptor): this {
    this.node.outputType = type;
    return this;
  }
  disableChaining(): this {
    this.node.chaining = 'NEVER';
    return this;
  }
  startNewChain(): this {
    this.node.chaining = 'HEAD';
    return this;
  }
  slotSharingGroup(group: string): this {
    configureNode(this.node).slotSharingGroup(group);
    return this;
  }
}

/** A stream partitioned by key: keyed state, timers, rolling aggregations and windows. */
export class KeyedStream<T, K> extends DataStream<T> {
  constructor(
    environment: StreamExecutionEnvironment,
    inputs: readonly StreamInput[],
    readonly keyed: KeyedInputInfo,
  ) {
    super(environment, inputs);
  }

  /** The key type used for hashing keys into key groups (undefined: by the JS value). */
  getKeyType(): TypeDescriptor | undefined {
    return this.keyed.keyType;
  }

  override process<R>(fn: KeyedProcessFunctionLike<K, T, R>, outputType: TypeDescriptor = GENERIC_TYPE): SingleOutputStreamOperator<R> {
    const factory = (): KeyedProcessOperator => new KeyedProcessOperator(copyUserFunction(fn));
    return this.transform('keyed-process', 'KeyedProcess', outputType, factory);
  }

  /** Rolling reduce: emits each key's running reduction at every record. */
  reduce(fn: ReduceFunction<T>): SingleOutputStreamOperator<T> {
    return this.transform(
      'keyed-reduce',
      'Keyed Reduce',
      this.getType(),
      () => new StreamGroupedReduceOperator(copyUserFunction(fn) as ReduceFunction<unknown>),
    );
  }

  private aggregate(type: AggregationType, field: FieldSpec, first = true): SingleOutputStreamOperator<T> {
    const aggregator = createAggregator(type, field, this.getType(), first);
    const reduce = (a: unknown, b: unknown): unknown => aggregator.reduce(a, b);
    return this.transform('keyed-aggregation', 'Keyed Aggregation', this.getType(), () => new StreamGroupedReduceOperator(reduce));
  }

  sum(field: FieldSpec): SingleOutputStreamOperator<T> {
    return this.aggregate('SUM', field);
  }
  min(field: FieldSpec): SingleOutputStreamOperator<T> {
    return this.aggregate('MIN', field);
  }
  max(field: FieldSpec): SingleOutputStreamOperator<T> {
    return this.aggregate('MAX', field);
  }
  minBy(field: FieldSpec, first = true): SingleOutputStreamOperator<T> {
    return this.aggregate('MIN_BY', field, first);
  }
  maxBy(field: FieldSpec, first = true): SingleOutputStreamOperator<T> {
    return this.aggregate('MAX_BY', field, first);
  }

  /** Windows of each key, assigned by `assigner`. */
  window<W extends Window>(assigner: WindowAssigner<W>): WindowedStream<T, K, W> {
    return new WindowedStream<T, K, W>(this, assigner);
  }

  /** Count windows: `size` elements (tumbling), or the last `size` every `slide` elements (sliding). */
  countWindow(size: number, slide?: number): WindowedStream<T, K, GlobalWindow> {
    const windowed = this.window(GlobalWindows.create());
    if (slide === undefined) return windowed.trigger(PurgingTrigger.of(CountTrigger.of<GlobalWindow>(size)));
    return windowed.evictor(CountEvictor.of<T, GlobalWindow>(size)).trigger(CountTrigger.of<GlobalWindow>(slide));
  }

  /** The input of operators added to this stream, for the window API. */
  addKeyedOperator<R>(kind: string, name: string, outputType: TypeDescriptor, factory: OperatorFactory): SingleOutputStreamOperator<R> {
    return this.transform<R>(kind, name, outputType, factory);
  }
}
