/**
 * Hands out checkpoint ids. One counter is shared by every coordinator of a job, so ids keep
 * increasing across rescales and restarts; it starts at 1 as Flink's does.
 */
export class CheckpointIdCounter {
  private next: number;

  constructor(start = 1) {
    this.next = start;
  }

  /** The next id, then advances. */
  getAndIncrement(): number {
    return this.next++;
  }

  /** The id the next checkpoint will get. */
  peek(): number {
    return this.next;
  }

  /** Makes sure ids already used (by restored or leftover checkpoints) are never handed out again. */
  ensureAbove(usedId: number): void {
    if (usedId >= this.next) this.next = usedId + 1;
  }
}
