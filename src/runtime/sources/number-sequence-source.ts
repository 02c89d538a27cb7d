/**
 * The deterministic, replayable sequence source (Flink's NumberSequenceSource, `fromSequence`): the
 * range is cut into max-parallelism splits, split k starts at subtask k mod parallelism, the reader
 * interleaves its splits so per-split watermarks progress together.
 */
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import { SequenceSplitReader } from './sequence-split-reader.js';
import { createSequenceSplits, splitsOfSubtask, type SequenceSplit } from './sequence-splits.js';
import type { Boundedness, Source, SourceReader, SourceReaderContext } from './source.js';

/** Emits every number of [from, to] once (as LONG). */
export class NumberSequenceSource implements Source<number, SequenceSplit> {
  readonly boundedness: Boundedness = 'BOUNDED';
  readonly outputType: TypeDescriptor = { kind: 'LONG' };
  readonly nonParallel = false;

  constructor(
    readonly from: number,
    readonly to: number,
  ) {
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to))
      throw new RangeError(`fromSequence needs safe integers, got ${from} and ${to}`);
    if (from > to) throw new RangeError(`fromSequence needs from <= to, got ${from} > ${to}`);
  }

  createInitialSplits(ctx: SourceReaderContext): SequenceSplit[] {
    return splitsOfSubtask(createSequenceSplits(this.from, this.to, ctx.maxParallelism), ctx.subtaskIndex, ctx.parallelism);
  }

  createReader(ctx: SourceReaderContext): SourceReader<number, SequenceSplit> {
    return new SequenceSplitReader<number>({ interleaved: true, map: (i) => i, rateLimiter: undefined, unbounded: false, ctx });
  }
}
