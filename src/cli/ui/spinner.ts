import type { Ora } from 'ora';
import { colorDisabled } from './highlighter.js';

/** The part of a spinner the commands use. */
export interface Spinner {
  start(): void;
  stop(): void;
}

const SILENT: Spinner = { start: () => undefined, stop: () => undefined };

/**
 * A spinner on stderr while a start waits for readiness. It draws only on an interactive terminal
 * outside CI; otherwise nothing is even loaded (ora would print its text once, and importing it
 * costs a start tens of milliseconds), so scripts that parse the output see only plain lines.
 */
export async function spinner(text: string): Promise<Spinner> {
  const interactive = process.stderr.isTTY === true && process.env['CI'] === undefined && process.env['TERM'] !== 'dumb';
  if (!interactive) return SILENT;
  const { default: ora } = await import('ora');
  const instance: Ora = ora({ text, stream: process.stderr, discardStdin: false, ...(colorDisabled() ? { color: false as const } : {}) });
  return { start: () => { instance.start(); }, stop: () => { instance.stop(); } };
}
