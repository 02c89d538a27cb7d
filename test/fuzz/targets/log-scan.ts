import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Messages V8 gives errors that come from using input nobody checked (not from a clear refusal). */
const UNCHECKED_INPUT =
  /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not a constructor|Cannot convert|Maximum call stack|Invalid array length|Invalid string length|Unexpected token|undefined is not|null is not|Cannot destructure|Cannot create property|Unhandled/;

/**
 * Reads only what a daemon's log gained since the last read, so checking the log after every
 * batch stays cheap however long the log grows.
 */
export class LogTail {
  private offset = 0;
  private partial = '';

  /** Tails `<logDir>/flink-*-<daemon>-<instance>-*.log`; starts at its current end. */
  constructor(
    private readonly logDir: string,
    private readonly daemon: string,
    private readonly instance: number,
  ) {
    const path = this.path();
    this.offset = path === undefined ? 0 : statSync(path).size;
  }

  /** The complete lines written since the last call. */
  newLines(): string[] {
    const path = this.path();
    if (path === undefined) return [];
    const size = statSync(path).size;
    if (size <= this.offset) return [];
    const buffer = Buffer.alloc(size - this.offset);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, this.offset);
    } finally {
      closeSync(fd);
    }
    this.offset = size;
    const lines = (this.partial + buffer.toString('utf8')).split('\n');
    this.partial = lines.pop() ?? '';
    return lines.filter((line) => line !== '');
  }

  private path(): string | undefined {
    const name = readdirSync(this.logDir).find(
      (f) => f.startsWith('flink-') && f.includes(`-${this.daemon}-${this.instance}-`) && f.endsWith('.log'),
    );
    return name === undefined ? undefined : join(this.logDir, name);
  }
}

/** Log lines (WARN and ERROR) showing that input reached code that did not validate it. */
export function unvalidatedInputLines(lines: readonly string[]): string[] {
  return lines
    .filter((line) => / (WARN|ERROR) /.test(line) && UNCHECKED_INPUT.test(line))
    .map((line) => (line.length > 400 ? `${line.slice(0, 400)}...` : line));
}
