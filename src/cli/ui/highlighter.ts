import { Chalk, type ChalkInstance } from 'chalk';

/**
 * Colours by role, decided in one place. chalk already turns colour off when the stream is not a
 * terminal and honours FORCE_COLOR; NO_COLOR (https://no-color.org) is honoured here.
 */
function createChalk(): ChalkInstance {
  const noColor = process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '' && process.env['FORCE_COLOR'] === undefined;
  return noColor ? new Chalk({ level: 0 }) : new Chalk();
}

const chalk = createChalk();

export const highlighter = {
  error: (text: string): string => chalk.red(text),
  warn: (text: string): string => chalk.yellow(text),
  info: (text: string): string => chalk.cyan(text),
  success: (text: string): string => chalk.green(text),
  dim: (text: string): string => chalk.dim(text),
};

/** Whether colour is off for this process (spinners then stay colourless too). */
export function colorDisabled(): boolean {
  return chalk.level === 0;
}
