import type { SerializedError } from '../../core/errors.js';
import { MAX_STACK_TRACE, truncateText } from '../../core/truncate.js';

/** One failure as REST `/jobs/:jobid/exceptions` shows it. */
export interface ExceptionEntry {
  readonly exceptionName: string;
  readonly stacktrace: string;
  readonly timestamp: number;
  readonly taskName: string | null;
  readonly endpoint: string | null;
  readonly taskManagerId: string | null;
}

/** The failures a job went through, newest first, bounded by web.exception-history-size. */
export class ExceptionHistory {
  private readonly entries: ExceptionEntry[] = [];

  constructor(private readonly limit: number) {}

  add(error: SerializedError, task?: { name: string; taskManagerId: string | undefined; endpoint: string | undefined }): void {
    this.entries.unshift({
      exceptionName: error.name,
      stacktrace: truncateText(error.stack, MAX_STACK_TRACE),
      timestamp: Date.now(),
      taskName: task?.name ?? null,
      endpoint: task?.endpoint ?? null,
      taskManagerId: task?.taskManagerId ?? null,
    });
    if (this.entries.length > this.limit) this.entries.length = this.limit;
  }

  /** Newest first, at most `max`. */
  list(max = this.limit): readonly ExceptionEntry[] {
    return this.entries.slice(0, max);
  }

  get truncated(): boolean {
    return this.entries.length >= this.limit;
  }
}
