import ora, { type Ora } from 'ora';
import { colorDisabled } from './highlighter.js';

/**
 * A spinner on stderr while a start waits for readiness. It draws only on an interactive terminal
 * outside CI; otherwise it is silent (ora would print its text once), so scripts that parse the
 * output see only the plain lines.
 */
export function spinner(text: string): Ora {
  const interactive = process.stderr.isTTY === true && process.env['CI'] === undefined && process.env['TERM'] !== 'dumb';
  return ora({ text, stream: process.stderr, discardStdin: false, isSilent: !interactive, ...(colorDisabled() ? { color: false as const } : {}) });
}
