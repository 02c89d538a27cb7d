import { TsFlinkError } from '../../core/errors.js';

import type { LogFileInfo } from '../../rest/types/responses.js';

export type { LogFileInfo } from '../../rest/types/responses.js';

/** A piece of a log file and the file's size when it was read, so a reader knows where the end is. */
export interface LogChunk {
  readonly bytes: Buffer;
  readonly size: number;
}

/** Largest piece of a log file read (and sent over RPC) at once: big files travel in pieces, never whole. */
export const MAX_LOG_CHUNK_BYTES = 1024 * 1024;

/** Why a log file cannot be served: no such file (404), or a name that is not a plain file name of the log dir (400). */
export type LogFileFailure = 'LOG_FILE_NOT_FOUND' | 'LOG_FILE_INVALID';

/** A log file request that cannot be served; its code survives RPC, so REST answers the same for a TaskManager's files. */
export class LogFileError extends TsFlinkError {
  constructor(code: LogFileFailure, message: string) {
    super(code, message);
  }
}

/** A process that serves its own log directory: the JobManager's, and each TaskManager's through its gateway. */
export interface LogFileSource {
  /** The files of the log directory, newest first; empty when the process logs to stdout only. */
  requestLogList(): Promise<readonly LogFileInfo[]>;
  /** Up to `length` (at most MAX_LOG_CHUNK_BYTES) bytes of `name` from `offset`. */
  requestLogChunk(name: string, offset: number, length: number): Promise<LogChunk>;
  /** The names of this process's own `.log` and `.out` files, for /log and /stdout; undefined when logging to stdout. */
  requestLogNames(): Promise<{ readonly log: string | undefined; readonly stdout: string | undefined }>;
}
