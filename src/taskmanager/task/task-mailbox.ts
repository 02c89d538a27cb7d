import type { Cancellable, ProcessingTimeService } from '../../runtime/task-contract.js';

/**
 * Serialises everything that touches a task's operators: queued actions (timers, checkpoint
 * triggers, flushes) and the processing step, all run from one setImmediate loop so nothing
 * interleaves inside a user function. Other tasks of the TaskManager get the event loop between steps.
 */
export class TaskMailbox {
  private readonly actions: Array<() => void> = [];
  private scheduled = false;
  private closed = false;

  /**
   * @param step processes input; returns true when it should run again without waiting for an event.
   * @param onError receives anything an action or the step throws.
   */
  constructor(
    private readonly step: () => boolean,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Queues an action to run before the next processing step. */
  execute(action: () => void): void {
    if (this.closed) return;
    this.actions.push(action);
    this.wake();
  }

  /** Asks for a processing step soon (new input, more room in the output). */
  wake(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => this.run());
  }

  /**
   * Runs every queued action now and returns what they threw. A cancel must not drop a queued
   * checkpoint commit, not even one queued behind an input failure the cancel itself caused.
   */
  drain(): unknown[] {
    const errors: unknown[] = [];
    while (!this.closed && this.actions.length > 0) {
      try {
        this.actions.shift()!();
      } catch (error) {
        errors.push(error);
      }
    }
    return errors;
  }

  close(): void {
    this.closed = true;
    this.actions.length = 0;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private run(): void {
    this.scheduled = false;
    if (this.closed) return;
    try {
      for (let n = this.actions.length; n > 0 && !this.closed; n--) this.actions.shift()!();
      if (!this.closed && this.step()) this.wake();
    } catch (error) {
      this.onError(error);
    }
  }
}

/** Processing time for a task's operators: real timers whose callbacks run in the task's mailbox. */
export class MailboxProcessingTimeService implements ProcessingTimeService {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly mailbox: TaskMailbox) {}

  now(): number {
    return Date.now();
  }

  registerTimer(timestamp: number, callback: (timestamp: number) => void): Cancellable {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        this.mailbox.execute(() => callback(timestamp));
      },
      Math.max(0, timestamp - Date.now()),
    );
    this.timers.add(timer);
    return {
      cancel: () => {
        clearTimeout(timer);
        this.timers.delete(timer);
      },
    };
  }

  scheduleAtFixedRate(callback: () => void, initialDelayMs: number, periodMs: number): Cancellable {
    let interval: NodeJS.Timeout | undefined;
    const first = setTimeout(
      () => {
        this.timers.delete(first);
        this.mailbox.execute(callback);
        interval = setInterval(() => this.mailbox.execute(callback), Math.max(1, periodMs));
        this.timers.add(interval);
      },
      Math.max(0, initialDelayMs),
    );
    this.timers.add(first);
    return {
      cancel: () => {
        clearTimeout(first);
        this.timers.delete(first);
        if (interval !== undefined) {
          clearInterval(interval);
          this.timers.delete(interval);
        }
      },
    };
  }

  /** Stops every timer; called when the task ends. */
  shutdown(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
