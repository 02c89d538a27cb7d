/**
 * The entry point of a job program (Flink's StreamExecutionEnvironment): settings, sources, and
 * execute(), which translates the stream graph into a JobProgram and hands it to the context.
 */
import { ProgramError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import { UPPER_BOUND_MAX_PARALLELISM } from '../../runtime/keygroups/index.js';
import { CollectionSource } from '../../runtime/sources/collection-source.js';
import { NumberSequenceSource } from '../../runtime/sources/number-sequence-source.js';
import { SocketTextSource } from '../../runtime/sources/socket-text-source.js';
import type { Source } from '../../runtime/sources/source.js';
import { SourceOperator } from '../../runtime/sources/source-operator.js';
import { WatermarkStrategy } from '../../runtime/watermarks/watermark-strategy.js';
import { InvalidProgramError } from '../api-errors.js';
import { SingleOutputStreamOperator } from '../datastream/data-stream.js';
import { generateJobGraph } from '../graph/job-graph-generator.js';
import { StreamJobProgram } from '../graph/stream-job-program.js';
import { StreamNode, type NameStyle, type StreamInput } from '../graph/stream-node.js';
import type { KeyedInputInfo, OperatorFactory } from '../../runtime/operators/stream-operator.js';
import { inferType } from '../types.js';
import { CheckpointConfig, ExecutionConfig, RuntimeExecutionMode } from './execution-config.js';
import {
  currentProgramContext,
  FRESH_DEFAULTS,
  type JobExecutionResult,
  type ProgramContext,
  type ProgramDefaults,
} from './program-context.js';

/** What a DataStream method asks the environment to add. */
export interface NodeSpec {
  readonly kind: string;
  readonly name: string;
  readonly nameStyle: NameStyle;
  readonly inputs: readonly StreamInput[];
  readonly outputType: TypeDescriptor;
  readonly factory: OperatorFactory;
  readonly isSource?: boolean;
}

const log = getLogger('StreamExecutionEnvironment');

/** A job program's environment. */
export class StreamExecutionEnvironment {
  private nodes: StreamNode[] = [];
  private nextNodeId = 0;
  private programParallelism = -1;
  private programMaxParallelism = -1;
  private checkpointIntervalMs: number | undefined = undefined;
  private bufferTimeoutMs: number;
  private chainingEnabled = true;
  private runtimeMode: RuntimeExecutionMode = 'STREAMING';
  private readonly config: ExecutionConfig;

  constructor(
    readonly defaults: ProgramDefaults = FRESH_DEFAULTS,
    private readonly context?: ProgramContext,
  ) {
    this.config = new ExecutionConfig(defaults.autoWatermarkIntervalMs);
    this.bufferTimeoutMs = defaults.bufferTimeoutMs;
  }

  /** The environment of the running program; outside a submitted program this fails with instructions. */
  static getExecutionEnvironment(): StreamExecutionEnvironment {
    const context = currentProgramContext();
    if (context === undefined) {
      throw new ProgramError(
        'A tsflink job cannot run on its own (node job.js): submit it with bin/standalone-job.sh, which runs its main with an execution environment',
        {
          suggestion: 'put the job in lib/ and start it with bin/standalone-job.sh start (or submit it to a running cluster)',
        },
      );
    }
    return new StreamExecutionEnvironment(context.defaults, context);
  }

  /** An environment outside any program context, for tests and tools; execute() is not available on it. */
  static createDetached(defaults: Partial<ProgramDefaults> = {}): StreamExecutionEnvironment {
    return new StreamExecutionEnvironment({ ...FRESH_DEFAULTS, ...defaults });
  }

  setParallelism(parallelism: number): this {
    if (!Number.isInteger(parallelism) || parallelism < 1)
      throw new InvalidProgramError(`The parallelism must be an integer >= 1, got ${parallelism}`);
    this.programParallelism = parallelism;
    return this;
  }

  /** The program's parallelism, else the cluster's parallelism.default. */
  getParallelism(): number {
    return this.programParallelism > 0 ? this.programParallelism : this.defaults.parallelism;
  }

  setMaxParallelism(maxParallelism: number): this {
    checkMaxParallelism(maxParallelism);
    this.programMaxParallelism = maxParallelism;
    return this;
  }

  /** The program's max parallelism, else the cluster's; -1 when it is derived from the parallelism. */
  getMaxParallelism(): number {
    return this.programMaxParallelism > 0 ? this.programMaxParallelism : this.defaults.maxParallelism;
  }

  enableCheckpointing(intervalMs: number): this {
    if (!Number.isInteger(intervalMs) || intervalMs < 10)
      throw new InvalidProgramError(`The checkpoint interval must be at least 10 ms, got ${intervalMs}`);
    this.checkpointIntervalMs = intervalMs;
    return this;
  }

  getCheckpointConfig(): CheckpointConfig {
    return new CheckpointConfig(() => this.checkpointIntervalMs ?? this.defaults.checkpointIntervalMs);
  }

  getConfig(): ExecutionConfig {
    return this.config;
  }

  setBufferTimeout(timeoutMs: number): this {
    if (!Number.isInteger(timeoutMs) || timeoutMs < -1)
      throw new InvalidProgramError(`The buffer timeout must be an integer >= -1 ms, got ${timeoutMs}`);
    this.bufferTimeoutMs = timeoutMs;
    return this;
  }

  getBufferTimeout(): number {
    return this.bufferTimeoutMs;
  }

  /** Accepts every mode; BATCH and AUTOMATIC run as STREAMING (same results for the examples, no sorted batch shuffle). */
  setRuntimeMode(mode: RuntimeExecutionMode): this {
    if (!Object.values(RuntimeExecutionMode).includes(mode)) {
      throw new InvalidProgramError(`Unknown runtime mode '${String(mode)}': use STREAMING, BATCH or AUTOMATIC`);
    }
    if (mode !== 'STREAMING') log.info(`Runtime mode ${mode} requested; tsflink runs every job in STREAMING mode`);
    this.runtimeMode = mode;
    return this;
  }

  getRuntimeMode(): RuntimeExecutionMode {
    return this.runtimeMode;
  }

  disableOperatorChaining(): this {
    this.chainingEnabled = false;
    return this;
  }

  isChainingEnabled(): boolean {
    return this.chainingEnabled;
  }

  /** Adds an operator to the program; used by the DataStream classes. */
  addNode(spec: NodeSpec): StreamNode {
    const keyed = spec.inputs.find((i) => i.partitioning.kind === 'HASH')?.partitioning as { keyed: KeyedInputInfo } | undefined;
    const node = new StreamNode(
      this.nextNodeId++,
      spec.kind,
      spec.name,
      spec.nameStyle,
      spec.inputs,
      spec.outputType,
      keyed?.keyed,
      spec.factory,
      spec.isSource === true,
    );
    this.nodes.push(node);
    return node;
  }

  /** A stream read from a Source, with the source's watermark strategy applied per split. */
  fromSource<T>(source: Source<T, unknown>, watermarkStrategy: WatermarkStrategy<T>, sourceName: string): SingleOutputStreamOperator<T> {
    const node = this.addNode({
      kind: 'source',
      name: sourceName,
      nameStyle: 'source',
      inputs: [],
      outputType: source.outputType,
      isSource: true,
      factory: () => new SourceOperator(source, watermarkStrategy as WatermarkStrategy<unknown>),
    });
    if (source.nonParallel) {
      node.parallelism = 1;
      node.maxParallelism = 1;
      node.nonParallel = true;
    }
    return new SingleOutputStreamOperator<T>(this, node);
  }

  /** A bounded, non-parallel stream of the given values. */
  fromElements<T>(...values: T[]): SingleOutputStreamOperator<T> {
    return this.fromCollectionValues(values, undefined);
  }

  /** A bounded, non-parallel stream of an array's values (or of the arguments); `type` overrides inference. */
  fromData<T>(values: readonly T[], type?: TypeDescriptor): SingleOutputStreamOperator<T> {
    return this.fromCollectionValues(values, type);
  }

  /** Same as fromData. */
  fromCollection<T>(values: readonly T[], type?: TypeDescriptor): SingleOutputStreamOperator<T> {
    return this.fromCollectionValues(values, type);
  }

  private fromCollectionValues<T>(values: readonly T[], type: TypeDescriptor | undefined): SingleOutputStreamOperator<T> {
    const source = new CollectionSource<T>([...values], type ?? inferType(values));
    return this.fromSource(source, WatermarkStrategy.noWatermarks(), 'Collection Source');
  }

  /** The numbers from..to (inclusive) as LONGs, in parallel and replayable. */
  fromSequence(from: number, to: number): SingleOutputStreamOperator<number> {
    return this.fromSource(new NumberSequenceSource(from, to), WatermarkStrategy.noWatermarks(), 'Sequence Source');
  }

  /** Lines from a socket, until it closes; non-parallel. */
  socketTextStream(hostname: string, port: number, delimiter = '\n'): SingleOutputStreamOperator<string> {
    return this.fromSource(new SocketTextSource(hostname, port, delimiter), WatermarkStrategy.noWatermarks(), 'Socket Stream');
  }

  /** Translates everything added so far into a JobProgram. */
  buildJobProgram(jobName = 'Flink Streaming Job', options: { clear?: boolean } = {}): StreamJobProgram {
    if (this.nodes.length === 0) throw new InvalidProgramError('No operators defined in the streaming topology: nothing to execute');
    const generated = generateJobGraph({
      jobName,
      nodes: this.nodes,
      envParallelism: this.getParallelism(),
      programParallelism: this.programParallelism,
      envMaxParallelism: this.getMaxParallelism(),
      chainingEnabled: this.chainingEnabled,
      settings: {
        parallelism: this.programParallelism,
        maxParallelism: this.getMaxParallelism(),
        autoWatermarkIntervalMs: this.config.getAutoWatermarkInterval(),
        checkpointIntervalMs: this.checkpointIntervalMs,
        bufferTimeoutMs: this.bufferTimeoutMs,
        programArgs: [...(this.context?.args ?? [])],
      },
    });
    if (options.clear === true) this.nodes = [];
    return new StreamJobProgram(generated);
  }

  /** Builds the job and hands it to the cluster; resolves when the job is done. */
  async execute(jobName = 'Flink Streaming Job'): Promise<JobExecutionResult> {
    if (this.context === undefined) {
      throw new ProgramError('execute() is only available while tsflink runs the job', {
        suggestion: 'start the job with bin/standalone-job.sh; in tests use buildJobProgram()',
      });
    }
    const program = this.buildJobProgram(jobName, { clear: true });
    this.context.executions++;
    return this.context.onExecute(program);
  }
}

/** Validates a max parallelism: 1..32768 as in Flink. */
export function checkMaxParallelism(maxParallelism: number): void {
  if (!Number.isInteger(maxParallelism) || maxParallelism < 1 || maxParallelism > UPPER_BOUND_MAX_PARALLELISM) {
    throw new InvalidProgramError(
      `The maximum parallelism must be an integer in [1, ${UPPER_BOUND_MAX_PARALLELISM}], got ${maxParallelism}`,
    );
  }
}
