import { lstat, open, readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { LogFileError, MAX_LOG_CHUNK_BYTES, type LogChunk, type LogFileInfo, type LogFileSource } from '../rpc/gateways/log-files.js';

/** A plain file name: no separators, no parent references, nothing hidden. */
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,254}$/;

/**
 * The log directory of this process (where bin/ scripts put its `.log` and `.out`), served by name:
 * only plain files directly inside it, read in bounded pieces.
 */
export class LogDirectory implements LogFileSource {
  private constructor(private readonly logFile: string | undefined) {}

  /** This process's directory, from the log file the daemon scripts gave it; none in the foreground. */
  static ofProcess(env: NodeJS.ProcessEnv = process.env): LogDirectory {
    const file = env['TSFLINK_LOG_FILE'];
    return new LogDirectory(file === undefined || file === '' ? undefined : file);
  }

  /** A directory serving `logFile` and its neighbours (tests and other processes' files). */
  static of(logFile: string | undefined): LogDirectory {
    return new LogDirectory(logFile);
  }

  async requestLogList(): Promise<LogFileInfo[]> {
    if (this.logFile === undefined) return [];
    const dir = dirname(this.logFile);
    const files: LogFileInfo[] = [];
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (!SAFE_NAME.test(name)) continue;
      // lstat: a symbolic link is not a log file, so nothing outside the directory is ever listed or served.
      const info = await lstat(join(dir, name)).catch(() => undefined);
      if (info?.isFile() === true) files.push({ name, size: info.size, mtime: Math.round(info.mtimeMs) });
    }
    return files.sort((a, b) => b.mtime - a.mtime || a.name.localeCompare(b.name));
  }

  async requestLogChunk(name: string, offset: number, length: number): Promise<LogChunk> {
    const path = this.pathOf(name);
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0)
      throw new LogFileError('LOG_FILE_INVALID', `Invalid range of ${name}: offset and length must be non-negative integers.`);
    let handle;
    try {
      if (!(await lstat(path)).isFile()) throw new Error('not a regular file');
      handle = await open(path, 'r');
    } catch {
      throw new LogFileError('LOG_FILE_NOT_FOUND', `Could not find file ${name} in the log directory.`);
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new LogFileError('LOG_FILE_NOT_FOUND', `Could not find file ${name} in the log directory.`);
      const wanted = Math.max(0, Math.min(length, MAX_LOG_CHUNK_BYTES, info.size - offset));
      const bytes = Buffer.alloc(wanted);
      const { bytesRead } = await handle.read(bytes, 0, wanted, offset);
      return { bytes: bytes.subarray(0, bytesRead), size: info.size };
    } finally {
      await handle.close();
    }
  }

  requestLogNames(): Promise<{ log: string | undefined; stdout: string | undefined }> {
    if (this.logFile === undefined) return Promise.resolve({ log: undefined, stdout: undefined });
    const log = basename(this.logFile);
    return Promise.resolve({ log, stdout: log.replace(/\.log$/, '.out') });
  }

  private pathOf(name: string): string {
    if (this.logFile === undefined)
      throw new LogFileError('LOG_FILE_NOT_FOUND', 'This process logs to its console: it has no log directory.');
    if (!SAFE_NAME.test(name))
      throw new LogFileError(
        'LOG_FILE_INVALID',
        `Invalid log file name '${name.slice(0, 100)}': expected a plain file name of the log directory.`,
      );
    return join(dirname(this.logFile), name);
  }
}
