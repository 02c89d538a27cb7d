import { getLogger } from '../../core/logging.js';

const log = getLogger('taskexecutor');

/** Flink's task.cancellation.interval and task.cancellation.timeout. */
export interface CancellationSettings {
  /** How often a task that has not stopped is asked again, and the wait is logged. */
  readonly intervalMs: number;
  /** After this long, the task's thread is terminated; 0 waits forever. */
  readonly timeoutMs: number;
}

/** Flink's defaults: ask again every 30 s, give up after 180 s. */
export const DEFAULT_CANCELLATION: CancellationSettings = { intervalMs: 30_000, timeoutMs: 180_000 };

/** A thread dump's lines as one log line (a log message is one line; its frames are separated by ' | '). */
function oneLine(stack: string): string {
  return stack
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' | ');
}

/**
 * Watches one cancel until the task stops: repeats the request every interval (a task busy in user
 * code sees it only once it yields) and, after the timeout, gives up on the task's thread.
 */
export class CancellationWatchdog {
  private readonly repeat: NodeJS.Timeout;
  private readonly deadline: NodeJS.Timeout | undefined;
  private waitedMs = 0;

  constructor(
    taskName: string,
    settings: CancellationSettings,
    askAgain: () => void,
    onTimeout: () => void,
    /** What the task's thread is running now, for the log (Flink logs the task thread's stack). */
    stack: () => string | undefined = () => undefined,
  ) {
    this.repeat = setInterval(() => {
      this.waitedMs += settings.intervalMs;
      const where = stack();
      log.warn(
        `Task '${taskName}' did not react to cancelling signal for ${Math.round(this.waitedMs / 1000)} seconds; asking it again (task.cancellation.interval).${where === undefined ? '' : ` Its thread is running: ${oneLine(where)}`}`,
      );
      askAgain();
    }, settings.intervalMs);
    if (settings.timeoutMs > 0) {
      this.deadline = setTimeout(() => {
        this.stop();
        log.error(
          `Task '${taskName}' did not react to cancelling signal in the last ${Math.round(settings.timeoutMs / 1000)} seconds (task.cancellation.timeout): terminating its slot thread. Flink would stop the whole TaskManager; this one keeps running.`,
        );
        onTimeout();
      }, settings.timeoutMs);
    }
  }

  /** The task stopped (or its thread is gone): no more reminders. */
  stop(): void {
    clearInterval(this.repeat);
    clearTimeout(this.deadline);
  }
}
