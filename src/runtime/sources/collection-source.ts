/** The bounded, non-parallel source behind fromElements/fromData: emits the given values in order; state = offset. */
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import type { SourceStatus } from '../task-contract.js';
import { AVAILABLE } from './availability.js';
import type { Boundedness, ReaderOutput, Source, SourceReader, SourceReaderContext } from './source.js';

/** The one split of a collection: how many values were emitted already. */
export interface CollectionSplit {
  readonly id: number;
  offset: number;
}

/** Emits the values of an array once. */
export class CollectionSource<T> implements Source<T, CollectionSplit> {
  readonly boundedness: Boundedness = 'BOUNDED';
  readonly nonParallel = true;

  constructor(
    private readonly values: readonly T[],
    readonly outputType: TypeDescriptor,
  ) {}

  createInitialSplits(ctx: SourceReaderContext): CollectionSplit[] {
    return ctx.subtaskIndex === 0 ? [{ id: 0, offset: 0 }] : [];
  }

  createReader(): SourceReader<T, CollectionSplit> {
    return new CollectionReader(this.values);
  }
}

class CollectionReader<T> implements SourceReader<T, CollectionSplit> {
  private splits: CollectionSplit[] = [];
  constructor(private readonly values: readonly T[]) {}

  start(): void {}

  addSplits(splits: readonly CollectionSplit[]): void {
    for (const s of splits) this.splits.push({ id: s.id, offset: s.offset });
  }

  pollNext(output: ReaderOutput<T>, budget: number): SourceStatus {
    const split = this.splits[0];
    if (split === undefined) return 'END_OF_INPUT';
    const out = output.forSplit(String(split.id));
    const end = Math.min(this.values.length, split.offset + budget);
    while (split.offset < end) out.collect(this.values[split.offset++]!);
    if (split.offset >= this.values.length) {
      this.splits.shift();
      output.splitFinished(String(split.id));
      return this.splits.length === 0 ? 'END_OF_INPUT' : 'MORE_AVAILABLE';
    }
    return 'MORE_AVAILABLE';
  }

  isAvailable(): Promise<void> {
    return AVAILABLE;
  }

  snapshotState(): CollectionSplit[] {
    return this.splits.map((s) => ({ ...s }));
  }

  pendingRecords(): number {
    let n = 0;
    for (const s of this.splits) n += this.values.length - s.offset;
    return n;
  }

  close(): void {}
}
