/** An inclusive range of key groups, the unit of keyed state a subtask owns (Flink's KeyGroupRange). */
export class KeyGroupRange {
  /** The range holding no key group; its end is below its start. */
  static readonly EMPTY = new KeyGroupRange(0, -1);

  readonly startKeyGroup: number;
  readonly endKeyGroup: number;

  constructor(startKeyGroup: number, endKeyGroup: number) {
    if (!Number.isInteger(startKeyGroup) || !Number.isInteger(endKeyGroup) || startKeyGroup < 0) {
      throw new RangeError(
        `Invalid key group range [${startKeyGroup}, ${endKeyGroup}]: bounds must be integers and the start non-negative.`,
      );
    }
    const empty = endKeyGroup < startKeyGroup;
    this.startKeyGroup = empty ? 0 : startKeyGroup;
    this.endKeyGroup = empty ? -1 : endKeyGroup;
  }

  /** Builds `[start, end]`; an end below the start gives the empty range. */
  static of(startKeyGroup: number, endKeyGroup: number): KeyGroupRange {
    return endKeyGroup < startKeyGroup ? KeyGroupRange.EMPTY : new KeyGroupRange(startKeyGroup, endKeyGroup);
  }

  /** Whether `keyGroup` belongs to the range. */
  contains(keyGroup: number): boolean {
    return keyGroup >= this.startKeyGroup && keyGroup <= this.endKeyGroup;
  }

  /** How many key groups the range holds. */
  size(): number {
    return this.endKeyGroup - this.startKeyGroup + 1;
  }

  /** Flink's name for `size()`. */
  getNumberOfKeyGroups(): number {
    return this.size();
  }

  /** True when the range holds no key group. */
  isEmpty(): boolean {
    return this.endKeyGroup < this.startKeyGroup;
  }

  /** The key groups both ranges hold; the empty range when they do not overlap. */
  intersect(other: KeyGroupRange): KeyGroupRange {
    const start = Math.max(this.startKeyGroup, other.startKeyGroup);
    const end = Math.min(this.endKeyGroup, other.endKeyGroup);
    return KeyGroupRange.of(start, end);
  }

  /** Position of `keyGroup` inside the range (0 for the start), as used to index per-group chunks. */
  indexOf(keyGroup: number): number {
    return keyGroup - this.startKeyGroup;
  }

  equals(other: KeyGroupRange): boolean {
    return this.startKeyGroup === other.startKeyGroup && this.endKeyGroup === other.endKeyGroup;
  }

  *[Symbol.iterator](): IterableIterator<number> {
    for (let kg = this.startKeyGroup; kg <= this.endKeyGroup; kg++) yield kg;
  }

  toString(): string {
    return `KeyGroupRange{startKeyGroup=${this.startKeyGroup}, endKeyGroup=${this.endKeyGroup}}`;
  }
}
