/** tsflink's DataStream API: what job programs import as 'tsflink'. */
export { StreamExecutionEnvironment } from './environment/stream-execution-environment.js';
export { ExecutionConfig, CheckpointConfig, RuntimeExecutionMode } from './environment/execution-config.js';
export { FRESH_DEFAULTS } from './environment/program-context.js';
export type { ProgramDefaults, JobExecutionResult, ExecuteHandler } from './environment/program-context.js';
export { runProgramMain } from './program-runner.js';
export { DataStream, SingleOutputStreamOperator, KeyedStream, DiscardingSink } from './datastream/data-stream.js';
export type { Sink } from './datastream/data-stream.js';
export { DataStreamSink } from './datastream/stream-node-config.js';
export { WindowedStream } from './datastream/windowed-stream.js';
export { StreamJobProgram } from './graph/stream-job-program.js';
export { InvalidProgramError } from './api-errors.js';
export { Types, inferType } from './types.js';
export { ParameterTool, ParameterError, NO_VALUE_KEY } from './parameter-tool.js';

export type { TypeDescriptor } from '../jobgraph/type-descriptor.js';
export { Duration, Time, type TimeSpan } from '../runtime/time/duration.js';
export { MAX_WATERMARK, MIN_WATERMARK } from '../runtime/task-contract.js';

export type {
  Collector,
  MapFunction,
  FlatMapFunction,
  FilterFunction,
  ReduceFunction,
  KeySelector,
  AggregateFunction,
  DeltaFunction,
  SinkFunction,
  SinkContext,
  RichFunctionHooks,
} from '../runtime/functions/function-types.js';
export type { RuntimeContext } from '../runtime/functions/runtime-context.js';
export {
  AbstractRichFunction,
  RichMapFunction,
  RichFlatMapFunction,
  RichFilterFunction,
  RichSinkFunction,
} from '../runtime/functions/rich-functions.js';
export { ProcessFunction, KeyedProcessFunction } from '../runtime/functions/process-functions.js';
export type {
  TimerService,
  TimeDomain,
  ProcessContext,
  KeyedProcessContext,
  OnTimerContext,
} from '../runtime/functions/process-functions.js';

export {
  ValueStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  AggregatingStateDescriptor,
} from '../runtime/state/state-descriptors.js';
export type {
  ValueState,
  ListState,
  MapState,
  ReducingState,
  AggregatingState,
  AppendingState,
  State,
} from '../runtime/state/state-types.js';

export { WatermarkStrategy, BoundedOutOfOrdernessWatermarks } from '../runtime/watermarks/watermark-strategy.js';
export type { WatermarkGenerator, WatermarkOutput, TimestampAssigner } from '../runtime/watermarks/watermark-strategy.js';

export { Window, TimeWindow, GlobalWindow } from '../runtime/windowing/windows.js';
export {
  WindowAssigner,
  GlobalWindows,
  TumblingEventTimeWindows,
  SlidingEventTimeWindows,
  TumblingProcessingTimeWindows,
  SlidingProcessingTimeWindows,
} from '../runtime/windowing/window-assigners.js';
export { Trigger } from '../runtime/windowing/trigger.js';
export type { TriggerResult, TriggerContext } from '../runtime/windowing/trigger.js';
export { EventTimeTrigger, ProcessingTimeTrigger, CountTrigger, DeltaTrigger, PurgingTrigger } from '../runtime/windowing/triggers.js';
export { Evictor, CountEvictor, TimeEvictor, TimestampedValue } from '../runtime/windowing/evictors.js';
export { ProcessWindowFunction } from '../runtime/windowing/window-functions.js';
export type { ProcessWindowContext, ProcessWindowFunctionLike, WindowFunction } from '../runtime/windowing/window-functions.js';

export type { Source, SourceReaderContext, Boundedness } from '../runtime/sources/source.js';
export { DataGeneratorSource, type GeneratorFunction } from '../runtime/sources/data-generator-source.js';
export { NumberSequenceSource } from '../runtime/sources/number-sequence-source.js';
export { FileSource, FileSourceBuilder, TextLineInputFormat, type StreamFormat } from '../runtime/sources/file-source.js';

export { FileSink, RowFormatBuilder } from '../runtime/sinks/file-sink.js';
export {
  SimpleStringEncoder,
  DateTimeBucketAssigner,
  BasePathBucketAssigner,
  DefaultRollingPolicy,
  OnCheckpointRollingPolicy,
  OutputFileConfig,
  MemorySize,
  type Encoder,
  type BucketAssigner,
  type RollingPolicy,
} from '../runtime/sinks/file-sink-config.js';
