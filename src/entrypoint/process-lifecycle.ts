import { openSync } from 'node:fs';
import { describeError } from '../core/errors.js';
import { configureLogging, FdLogSink, getLogger, parseLogLevel, type LogLevel, type LogSink } from '../core/logging.js';

const log = getLogger('entrypoint');

/** Flink halts the JVM 5 s after SIGTERM if shutdown hangs; we do the same. */
export const SHUTDOWN_SAFEGUARD_MS = 5000;

class TeeSink implements LogSink {
  constructor(private readonly sinks: readonly LogSink[]) {}
  write(line: string): void {
    for (const sink of this.sinks) sink.write(line);
  }
}

/**
 * Points logging at the daemon's `.log` file (named by the launcher in TSFLINK_LOG_FILE), and also
 * at the console when running in the foreground, at the level of ROOT_LOG_LEVEL or env.log.level.
 */
export function setupLogging(configuredLevel: string): void {
  const level: LogLevel = parseLogLevel(process.env['ROOT_LOG_LEVEL'] ?? '') ?? parseLogLevel(configuredLevel) ?? 'INFO';
  const sinks: LogSink[] = [];
  const file = process.env['TSFLINK_LOG_FILE'];
  if (file !== undefined && file !== '') sinks.push(new FdLogSink(openSync(file, 'a', 0o644)));
  const foreground = process.env['TSFLINK_FOREGROUND'] !== 'false';
  if (foreground || sinks.length === 0) sinks.push(new FdLogSink(1));
  configureLogging(sinks.length === 1 ? sinks[0]! : new TeeSink(sinks), level);
}

/**
 * Runs `shutdown` once on SIGTERM/SIGINT and exits with its code; a shutdown that hangs is cut
 * short. Uncaught errors are logged with their stack before the process ends with code 2.
 */
export function installShutdownHandlers(shutdown: (reason: string) => Promise<number>, safeguardMs = SHUTDOWN_SAFEGUARD_MS): void {
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info(`RECEIVED SIGNAL ${signal}: shutting down as requested.`);
    setTimeout(() => {
      log.error(`Shutdown did not finish within ${safeguardMs} ms; halting.`);
      process.exit(239);
    }, safeguardMs).unref();
    shutdown(`received ${signal}`).then(
      (code) => process.exit(code),
      (error: unknown) => {
        log.error(`Shutdown failed: ${describeError(error)}`, error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('SIGHUP', () => undefined);
  process.on('uncaughtException', (error) => {
    log.error(`Uncaught error, terminating: ${describeError(error)}`, error);
    process.exit(2);
  });
  process.on('unhandledRejection', (error) => {
    log.error(`Unhandled promise rejection, terminating: ${describeError(error)}`, error);
    process.exit(2);
  });
}
