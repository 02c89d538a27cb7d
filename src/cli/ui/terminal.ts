import { highlighter } from './highlighter.js';

/** Where commands print: plain lines on stdout as Flink's scripts do, problems on stderr. */
export const terminal = {
  line: (text: string): void => {
    process.stdout.write(`${text}\n`);
  },
  success: (text: string): void => {
    process.stdout.write(`${highlighter.success(text)}\n`);
  },
  warn: (text: string): void => {
    process.stderr.write(`${highlighter.warn(text)}\n`);
  },
  error: (text: string): void => {
    process.stderr.write(`${highlighter.error(text)}\n`);
  },
  dim: (text: string): void => {
    process.stderr.write(`${highlighter.dim(text)}\n`);
  },
};
