/** Flink's registration retry: start small, double up to a cap, wait longer after a refusal. */
export class RegistrationBackoff {
  private next: number;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
  ) {
    this.next = initialMs;
  }

  /** Delay before the next attempt; each call doubles the following one. */
  nextDelay(): number {
    const delay = this.next;
    this.next = Math.min(this.maxMs, this.next * 2);
    return delay;
  }

  reset(): void {
    this.next = this.initialMs;
  }
}
