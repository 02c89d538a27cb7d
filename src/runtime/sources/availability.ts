/** A re-armable "something may be available" signal for readers. */

/** Settles waiters once, then re-arms for the next wait. */
export class AvailabilitySignal {
  private promise: Promise<void> | undefined;
  private resolve: (() => void) | undefined;

  /** A promise that settles at the next notify(). */
  wait(): Promise<void> {
    if (this.promise === undefined) {
      this.promise = new Promise<void>((r) => {
        this.resolve = r;
      });
    }
    return this.promise;
  }

  notify(): void {
    const r = this.resolve;
    this.promise = undefined;
    this.resolve = undefined;
    r?.();
  }
}

/** Already settled; for readers that are always available. */
export const AVAILABLE: Promise<void> = Promise.resolve();
