/** Splits of a numeric range: the replayable unit of the sequence and generator sources. */

/** A contiguous run of numbers still to emit: `next` up to `end`, inclusive. */
export interface SequenceSplit {
  readonly id: number;
  next: number;
  readonly end: number;
}

/**
 * Cuts [from, to] into `maxSplits` contiguous splits (fewer when the range is shorter), the first
 * `total mod n` one number longer; computed without products beyond 2^53.
 */
export function createSequenceSplits(from: number, to: number, maxSplits: number): SequenceSplit[] {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to))
    throw new RangeError(`A sequence needs safe integers, got [${from}, ${to}]`);
  const total = to - from + 1;
  if (total <= 0) return [];
  const n = Math.max(1, Math.min(maxSplits, total));
  const base = Math.floor(total / n);
  const rem = total % n;
  const splits: SequenceSplit[] = [];
  let start = from;
  for (let k = 0; k < n; k++) {
    const size = base + (k < rem ? 1 : 0);
    splits.push({ id: k, next: start, end: start + size - 1 });
    start += size;
  }
  return splits;
}

/** The splits a subtask owns at a fresh start: split k goes to subtask k mod parallelism. */
export function splitsOfSubtask<S extends { readonly id: number }>(splits: readonly S[], subtaskIndex: number, parallelism: number): S[] {
  return splits.filter((s) => s.id % parallelism === subtaskIndex);
}

/** Numbers left in the splits. */
export function remainingInSplits(splits: readonly SequenceSplit[]): number {
  let n = 0;
  for (const s of splits) n += Math.max(0, s.end - s.next + 1);
  return n;
}
