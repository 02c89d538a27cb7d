/**
 * Cuts `text` to at most `max` characters, saying how much was left out. Anything kept for later
 * display (failure messages, exception histories, log lines) goes through it, so one huge input
 * (a 50 MB path in a request) cannot make every later answer or log line as large.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  // The note's own length depends on the count it states, so settle on a kept length that fits.
  let kept = max;
  let note = '';
  for (let i = 0; i < 3; i++) {
    note = ` … (${text.length - kept} more characters)`;
    kept = Math.max(0, max - note.length);
  }
  return `${text.slice(0, kept)} … (${text.length - kept} more characters)`;
}

/** Longest failure message kept for REST (checkpoint failures, savepoint operations). */
export const MAX_FAILURE_MESSAGE = 4_096;
/** Longest stack trace kept in a job's exception history. */
export const MAX_STACK_TRACE = 65_536;
/** Longest log message written; the rest is cut with a note. */
export const MAX_LOG_MESSAGE = 16_384;
