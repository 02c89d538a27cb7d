import { accessSync, constants, mkdirSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '../core/errors.js';
import type { DaemonName } from './daemon-name.js';

/** Where a daemon's pid and log files live and how they are named, resolved as Flink's config.sh does. */
export interface DaemonPaths {
  readonly pidDir: string;
  readonly logDir: string;
  /** FLINK_IDENT_STRING, normally the user name. */
  readonly ident: string;
  readonly host: string;
  /** How many rolled `.log.N` files to keep. */
  readonly maxLogFiles: number;
}

/** Settings from the configuration that the daemon paths depend on. */
export interface DaemonPathSettings {
  readonly pidDir: string;
  readonly logDir: string | undefined;
  readonly maxLogFiles: number;
}

/** Environment variables win over configuration, as in Flink's scripts. */
export function resolveDaemonPaths(env: NodeJS.ProcessEnv, flinkHome: string, settings: DaemonPathSettings): DaemonPaths {
  const envMax = Number.parseInt(env['MAX_LOG_FILE_NUMBER'] ?? '', 10);
  return {
    pidDir: nonEmpty(env['FLINK_PID_DIR']) ?? settings.pidDir,
    logDir: nonEmpty(env['FLINK_LOG_DIR']) ?? settings.logDir ?? join(flinkHome, 'log'),
    ident: env['FLINK_IDENT_STRING'] ?? env['USER'] ?? safeUserName(),
    host: nonEmpty(env['HOSTNAME']) ?? hostname(),
    maxLogFiles: Number.isInteger(envMax) && envMax >= 0 ? envMax : settings.maxLogFiles,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

/** `<pidDir>/flink-<ident>-<daemon>.pid` (no host in the name, whatever Flink's docs say). */
export function pidFilePath(paths: DaemonPaths, daemon: DaemonName): string {
  return join(paths.pidDir, `flink-${paths.ident}-${daemon}.pid`);
}

/** `<logDir>/flink-<ident>-<daemon>-<id>-<host>` without extension. */
export function logFilePrefix(paths: DaemonPaths, daemon: DaemonName, instanceId: number): string {
  return join(paths.logDir, `flink-${paths.ident}-${daemon}-${instanceId}-${paths.host}`);
}

/**
 * Creates the pid and log directories when missing. A file in the way, or a directory the user
 * cannot write, is a configuration mistake and is reported in one line naming the variable.
 */
export function prepareDaemonDirectories(paths: DaemonPaths): void {
  prepareDirectory(paths.pidDir, 'pid', 'FLINK_PID_DIR or env.pid.dir');
  prepareDirectory(paths.logDir, 'log', 'FLINK_LOG_DIR or env.log.dir');
}

function prepareDirectory(dir: string, kind: string, setting: string): void {
  let reason: string | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    reason =
      code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way' : `it cannot be created or written (${code ?? String(error)})`;
  }
  if (reason !== undefined) {
    throw new ConfigurationError(
      `The ${kind} directory ${dir} (${setting}) is not a usable directory: ${reason}; point it at a directory this user can write.`,
      { context: { dir } },
    );
  }
}
