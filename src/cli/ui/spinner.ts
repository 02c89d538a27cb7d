import type { Ora } from 'ora';
import { colorDisabled } from './highlighter.js';

/** The part of a spinner the commands use. */
export interface Spinner {
  start(): void;
  stop(): void;
}

const SILENT: Spinner = { start: () => undefined, stop: () => undefined };

/**
 * Narrower terminals get no spinner. ora redraws by counting the lines its text wraps onto, which it
 * divides by the column count: a terminal that reports 0 columns (what `script` and Python's
 * pty.fork create) made it loop forever, writing megabytes a second and never reaching a signal handler.
 */
export const MIN_SPINNER_COLUMNS = 20;

/** Whether a spinner may draw on `stream`: an interactive terminal outside CI, wide enough to redraw on. */
export function canDrawSpinner(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv): boolean {
  if (stream.isTTY !== true || env['CI'] !== undefined || env['TERM'] === 'dumb') return false;
  return typeof stream.columns === 'number' && stream.columns >= MIN_SPINNER_COLUMNS;
}

/**
 * A spinner on stderr while a start waits for readiness. It draws only on an interactive terminal
 * outside CI; otherwise nothing is even loaded (ora would print its text once, and importing it
 * costs a start tens of milliseconds), so scripts that parse the output see only plain lines.
 */
export async function spinner(text: string): Promise<Spinner> {
  if (!canDrawSpinner(process.stderr, process.env)) return SILENT;
  const { default: ora } = await import('ora');
  const instance: Ora = ora({ text, stream: process.stderr, discardStdin: false, ...(colorDisabled() ? { color: false as const } : {}) });
  return {
    start: () => {
      instance.start();
    },
    stop: () => {
      instance.stop();
    },
  };
}
