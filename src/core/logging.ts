import { writeSync } from 'node:fs';
import { MAX_LOG_MESSAGE, truncateText } from './truncate.js';

/** Log levels in Flink's order; a logger prints its level and everything above it. */
export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'OFF';

const LEVEL_RANK: Record<LogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4, OFF: 5 };

/** Where log lines go: a file descriptor written synchronously, so nothing is lost on kill -9. */
export interface LogSink {
  write(line: string): void;
}

/** Writes to an open file descriptor (the daemon's .log file or stdout). */
export class FdLogSink implements LogSink {
  constructor(private readonly fd: number) {}
  write(line: string): void {
    try {
      writeSync(this.fd, line);
    } catch {
      // A closed or full log must never take the process down.
    }
  }
}

/** Keeps lines in memory; for tests. */
export class MemoryLogSink implements LogSink {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line.replace(/\n$/, ''));
  }
}

let rootSink: LogSink = new FdLogSink(2);
let rootLevel: LogLevel = 'INFO';

/** Points every logger of this process at `sink`, printing `level` and above. */
export function configureLogging(sink: LogSink, level: LogLevel): void {
  rootSink = sink;
  rootLevel = level;
}

export function parseLogLevel(value: string): LogLevel | undefined {
  const upper = value.trim().toUpperCase();
  if (upper === 'WARNING') return 'WARN';
  return upper in LEVEL_RANK ? (upper as LogLevel) : undefined;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Flink's log4j timestamp: `2026-11-24 10:15:30,123`. */
export function formatTimestamp(date: Date): string {
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())},${pad(date.getMilliseconds(), 3)}`
  );
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\x00-\x08\x0a-\x1f\x7f]/g;

/**
 * A message is one log line: control characters are written as escapes, so a value from outside (a
 * `-D` value with a newline, a job name with terminal escapes) cannot forge lines or recolour a terminal.
 * Tabs stay. Stack traces appended after the message keep their lines.
 */
export function escapeControlCharacters(message: string): string {
  return message.replace(CONTROL_CHARACTER, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** A named logger; the name says which component wrote the line. */
export class Logger {
  constructor(readonly name: string) {}

  isEnabled(level: LogLevel): boolean {
    return LEVEL_RANK[level] >= LEVEL_RANK[rootLevel] && level !== 'OFF';
  }

  log(level: LogLevel, message: string, error?: unknown): void {
    if (!this.isEnabled(level)) return;
    let line = `${formatTimestamp(new Date())} ${level.padEnd(5)} ${this.name} - ${escapeControlCharacters(truncateText(message, MAX_LOG_MESSAGE))}\n`;
    if (error !== undefined) {
      line += error instanceof Error ? `${error.stack ?? error.message}\n` : `${String(error)}\n`;
    }
    rootSink.write(line);
  }

  trace(message: string): void {
    this.log('TRACE', message);
  }
  debug(message: string): void {
    this.log('DEBUG', message);
  }
  info(message: string): void {
    this.log('INFO', message);
  }
  warn(message: string, error?: unknown): void {
    this.log('WARN', message, error);
  }
  error(message: string, error?: unknown): void {
    this.log('ERROR', message, error);
  }
}

export function getLogger(name: string): Logger {
  return new Logger(name);
}
