/** The pieces of a row-format FileSink: encoder, bucket assigner, rolling policy, output file names. */
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import { formatValue } from '../format/index.js';
import { toMillis, type TimeSpan } from '../time/duration.js';

/** Turns a record into the bytes (text) of one row of a part file. */
export interface Encoder<T> {
  encode(value: T, type: TypeDescriptor | undefined): string;
}

/** One line per record: the record's Java-style toString and a newline (Flink's SimpleStringEncoder). */
export class SimpleStringEncoder<T> implements Encoder<T> {
  constructor(readonly charsetName = 'UTF-8') {}
  encode(value: T, type: TypeDescriptor | undefined): string {
    return `${formatValue(value, type)}\n`;
  }
}

/** What a bucket assigner may look at. */
export interface BucketAssignerContext {
  currentProcessingTime(): number;
  timestamp(): number | undefined;
}

/** Picks the bucket (sub-directory) of a record. */
export interface BucketAssigner<T> {
  getBucketId(element: T, context: BucketAssignerContext): string;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Buckets by processing time formatted with a pattern (yyyy, MM, dd, HH, mm, ss), in local time. */
export class DateTimeBucketAssigner<T> implements BucketAssigner<T> {
  constructor(private readonly formatString = 'yyyy-MM-dd--HH') {}
  getBucketId(_e: T, context: BucketAssignerContext): string {
    const d = new Date(context.currentProcessingTime());
    return this.formatString.replace(/yyyy|MM|dd|HH|mm|ss/g, (t) => {
      switch (t) {
        case 'yyyy':
          return pad(d.getFullYear(), 4);
        case 'MM':
          return pad(d.getMonth() + 1);
        case 'dd':
          return pad(d.getDate());
        case 'HH':
          return pad(d.getHours());
        case 'mm':
          return pad(d.getMinutes());
        default:
          return pad(d.getSeconds());
      }
    });
  }
  toString(): string {
    return `DateTimeBucketAssigner{formatString='${this.formatString}'}`;
  }
}

/** Everything goes into the base path itself. */
export class BasePathBucketAssigner<T> implements BucketAssigner<T> {
  getBucketId(): string {
    return '';
  }
}

/** Sizes in bytes, with Flink-style builders. */
export const MemorySize = {
  ofBytes: (b: number): number => b,
  ofKibiBytes: (k: number): number => k * 1024,
  ofMebiBytes: (m: number): number => m * 1024 * 1024,
} as const;

/** The state of an open part file a rolling policy decides on. */
export interface PartFileInfo {
  readonly size: number;
  readonly creationTime: number;
  readonly lastUpdateTime: number;
}

/** When to close the current part file and start a new one. */
export interface RollingPolicy {
  shouldRollOnEvent(part: PartFileInfo): boolean;
  shouldRollOnProcessingTime(part: PartFileInfo, now: number): boolean;
}

/** Rolls on size, age or inactivity (Flink's DefaultRollingPolicy: 128 MiB, 60 s, 60 s by default). */
export class DefaultRollingPolicy implements RollingPolicy {
  constructor(
    readonly maxPartSize: number,
    readonly rolloverIntervalMs: number,
    readonly inactivityIntervalMs: number,
  ) {}
  static builder(): DefaultRollingPolicyBuilder {
    return new DefaultRollingPolicyBuilder();
  }
  shouldRollOnEvent(part: PartFileInfo): boolean {
    return part.size > this.maxPartSize;
  }
  shouldRollOnProcessingTime(part: PartFileInfo, now: number): boolean {
    return now - part.creationTime >= this.rolloverIntervalMs || now - part.lastUpdateTime >= this.inactivityIntervalMs;
  }
}

/** Builds a DefaultRollingPolicy. */
export class DefaultRollingPolicyBuilder {
  private maxPartSize = 128 * 1024 * 1024;
  private rollover = 60_000;
  private inactivity = 60_000;
  withMaxPartSize(bytes: number): this {
    this.maxPartSize = bytes;
    return this;
  }
  withRolloverInterval(interval: TimeSpan): this {
    this.rollover = toMillis(interval);
    return this;
  }
  withInactivityInterval(interval: TimeSpan): this {
    this.inactivity = toMillis(interval);
    return this;
  }
  build(): DefaultRollingPolicy {
    return new DefaultRollingPolicy(this.maxPartSize, this.rollover, this.inactivity);
  }
}

/** Rolls only at checkpoints (which every policy here does anyway). */
export class OnCheckpointRollingPolicy implements RollingPolicy {
  static build(): OnCheckpointRollingPolicy {
    return new OnCheckpointRollingPolicy();
  }
  shouldRollOnEvent(): boolean {
    return false;
  }
  shouldRollOnProcessingTime(): boolean {
    return false;
  }
}

/** Prefix and suffix of part file names. */
export class OutputFileConfig {
  constructor(
    readonly partPrefix = 'part',
    readonly partSuffix = '',
  ) {}
  static builder(): {
    withPartPrefix(p: string): ReturnType<typeof OutputFileConfig.builder>;
    withPartSuffix(s: string): ReturnType<typeof OutputFileConfig.builder>;
    build(): OutputFileConfig;
  } {
    let prefix = 'part';
    let suffix = '';
    const b = {
      withPartPrefix: (p: string) => ((prefix = p), b),
      withPartSuffix: (s: string) => ((suffix = s), b),
      build: () => new OutputFileConfig(prefix, suffix),
    };
    return b;
  }
}
