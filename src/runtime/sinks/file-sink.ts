/** FileSink: Flink's row-format file sink with exactly-once commits (builder side). */
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import {
  DateTimeBucketAssigner,
  DefaultRollingPolicy,
  OutputFileConfig,
  type BucketAssigner,
  type Encoder,
  type RollingPolicy,
} from './file-sink-config.js';

/** Everything a FileSink writer needs, fixed when the job graph is built. */
export interface FileSinkSpec<T> {
  readonly basePath: string;
  readonly encoder: Encoder<T>;
  readonly bucketAssigner: BucketAssigner<T>;
  readonly rollingPolicy: RollingPolicy;
  readonly outputFileConfig: OutputFileConfig;
  readonly bucketCheckIntervalMs: number;
}

/** A sink writing rows into bucketed part files, committed when checkpoints complete. */
export class FileSink<T> {
  readonly kind = 'file-sink' as const;
  constructor(readonly spec: FileSinkSpec<T>) {}

  /** Starts a row-format sink under `basePath` with an encoder (e.g. SimpleStringEncoder). */
  static forRowFormat<T>(basePath: string, encoder: Encoder<T>): RowFormatBuilder<T> {
    return new RowFormatBuilder(basePath, encoder);
  }

  /** The type hint is unused: records are encoded with the stream's type. */
  withType(_type: TypeDescriptor): this {
    return this;
  }
}

/** Builds a row-format FileSink. */
export class RowFormatBuilder<T> {
  private bucketAssigner: BucketAssigner<T> = new DateTimeBucketAssigner<T>();
  private rollingPolicy: RollingPolicy = DefaultRollingPolicy.builder().build();
  private outputFileConfig = new OutputFileConfig();
  private bucketCheckIntervalMs = 60_000;

  constructor(
    private readonly basePath: string,
    private readonly encoder: Encoder<T>,
  ) {}

  withBucketAssigner(assigner: BucketAssigner<T>): this {
    this.bucketAssigner = assigner;
    return this;
  }
  withRollingPolicy(policy: RollingPolicy): this {
    this.rollingPolicy = policy;
    return this;
  }
  withOutputFileConfig(config: OutputFileConfig): this {
    this.outputFileConfig = config;
    return this;
  }
  withBucketCheckInterval(intervalMs: number): this {
    this.bucketCheckIntervalMs = intervalMs;
    return this;
  }
  build(): FileSink<T> {
    return new FileSink<T>({
      basePath: this.basePath,
      encoder: this.encoder,
      bucketAssigner: this.bucketAssigner,
      rollingPolicy: this.rollingPolicy,
      outputFileConfig: this.outputFileConfig,
      bucketCheckIntervalMs: this.bucketCheckIntervalMs,
    });
  }
}
