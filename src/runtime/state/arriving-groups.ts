/**
 * The key groups of a streamed restore that have not arrived yet. A subtask whose restored state
 * is large starts processing before all of it is read: records whose key group is here go on,
 * and a record of a group still on its way waits for it (the reader fetches that group next).
 */
export class ArrivingGroups {
  private readonly missing: Uint8Array;
  /** Groups still to arrive. */
  count = 0;

  constructor(numKeyGroups: number) {
    this.missing = new Uint8Array(numKeyGroups);
  }

  /** Group offsets `offsets` will arrive later. */
  expect(offsets: Iterable<number>): void {
    for (const g of offsets) {
      if (this.missing[g] === 1) continue;
      this.missing[g] = 1;
      this.count++;
    }
  }

  isMissing(g: number): boolean {
    return this.missing[g] === 1;
  }

  arrived(g: number): void {
    if (this.missing[g] !== 1) return;
    this.missing[g] = 0;
    this.count--;
  }
}
