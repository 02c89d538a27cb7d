import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';

/** The `.log` and `.out` files of one daemon instance. */
export interface DaemonLogFiles {
  readonly log: string;
  readonly out: string;
}

export function daemonLogFiles(prefix: string): DaemonLogFiles {
  return { log: `${prefix}.log`, out: `${prefix}.out` };
}

/**
 * Rolls `x.log` to `x.log.1`, `x.log.1` to `x.log.2`, ... keeping `maxFiles` old files, as Flink's
 * flink-daemon.sh does at every start (rotateLogFile, for the `.log` and the `.out` file alike).
 */
export function rotateLog(logPath: string, maxFiles: number): void {
  mkdirSync(logPath.slice(0, logPath.lastIndexOf('/')) || '/', { recursive: true });
  if (!existsSync(logPath)) return;
  if (maxFiles <= 0) {
    rmSync(logPath, { force: true });
    return;
  }
  rmSync(`${logPath}.${maxFiles}`, { force: true });
  for (let n = maxFiles - 1; n >= 1; n--) {
    if (existsSync(`${logPath}.${n}`)) renameSync(`${logPath}.${n}`, `${logPath}.${n + 1}`);
  }
  renameSync(logPath, `${logPath}.1`);
}
