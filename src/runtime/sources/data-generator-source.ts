/**
 * Flink's DataGeneratorSource: a generator function maps the indexes 0..count-1 to records, the index
 * range is split over the subtasks (max-parallelism splits, split k at subtask k mod parallelism, read
 * in index order), optionally rate limited per subtask. A count of Number.MAX_SAFE_INTEGER is unbounded.
 */
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import { copyUserFunction } from '../functions/user-function-copier.js';
import { RateLimiter } from './rate-limiter.js';
import { SequenceSplitReader } from './sequence-split-reader.js';
import { createSequenceSplits, splitsOfSubtask, type SequenceSplit } from './sequence-splits.js';
import type { Boundedness, Source, SourceReader, SourceReaderContext } from './source.js';

/** Maps an index to a record; an object may have `open(ctx)` to set itself up per subtask. */
export type GeneratorFunction<T> = ((index: number) => T) | { map(index: number): T; open?(ctx: SourceReaderContext): void };

/** Generates `count` records from a function of their index. */
export class DataGeneratorSource<T> implements Source<T, SequenceSplit> {
  readonly boundedness: Boundedness;
  readonly nonParallel = false;

  constructor(
    private readonly generator: GeneratorFunction<T>,
    readonly count: number,
    private readonly ratePerSecondPerSubtask: number | undefined,
    readonly outputType: TypeDescriptor,
  ) {
    if (!Number.isSafeInteger(count) || count < 0)
      throw new RangeError(`DataGeneratorSource needs a count in [0, Number.MAX_SAFE_INTEGER], got ${count}`);
    this.boundedness = count === Number.MAX_SAFE_INTEGER ? 'CONTINUOUS_UNBOUNDED' : 'BOUNDED';
  }

  createInitialSplits(ctx: SourceReaderContext): SequenceSplit[] {
    return splitsOfSubtask(createSequenceSplits(0, this.count - 1, ctx.maxParallelism), ctx.subtaskIndex, ctx.parallelism);
  }

  createReader(ctx: SourceReaderContext): SourceReader<T, SequenceSplit> {
    // Each subtask gets its own copy of the generator, as Flink deserializes one per reader.
    const generator = copyUserFunction(this.generator);
    let map: (index: number) => T;
    if (typeof generator === 'function') map = generator;
    else {
      generator.open?.(ctx);
      map = (i) => generator.map(i);
    }
    const rate = this.ratePerSecondPerSubtask;
    const rateLimiter = rate === undefined ? undefined : new RateLimiter(rate, () => ctx.services.processingTime.now());
    return new SequenceSplitReader<T>({ interleaved: false, map, rateLimiter, unbounded: this.boundedness !== 'BOUNDED', ctx });
  }
}
