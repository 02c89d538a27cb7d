/** One in-progress part file: hidden while written, buffered appends, closed before it becomes pending. */
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PartFileInfo } from './file-sink-config.js';

const FLUSH_BYTES = 64 * 1024;

/** A part file that was closed and waits for its commit: rename in-progress → final. */
export interface PendingFile {
  readonly inProgressPath: string;
  readonly finalPath: string;
}

/** Appends rows to a hidden in-progress file. */
export class PartFileWriter implements PartFileInfo {
  size = 0;
  lastUpdateTime: number;
  private fd: number;
  private chunks: string[] = [];
  private buffered = 0;

  constructor(
    readonly inProgressPath: string,
    readonly finalPath: string,
    readonly creationTime: number,
  ) {
    mkdirSync(dirname(inProgressPath), { recursive: true });
    this.fd = openSync(inProgressPath, 'wx');
    this.lastUpdateTime = creationTime;
  }

  write(text: string, now: number): void {
    const bytes = Buffer.byteLength(text);
    this.chunks.push(text);
    this.buffered += bytes;
    this.size += bytes;
    this.lastUpdateTime = now;
    if (this.buffered >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (this.chunks.length === 0) return;
    writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.buffered = 0;
  }

  /** Writes out and syncs everything, closes the file, and returns it as pending. */
  closeForCommit(): PendingFile {
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
    return { inProgressPath: this.inProgressPath, finalPath: this.finalPath };
  }

  /** Closes without committing (failure or cancel); the file stays as a stray to be cleaned on restore. */
  abandon(): void {
    if (this.fd < 0) return;
    try {
      closeSync(this.fd);
    } catch {
      // Closing after a failure is best effort.
    }
    this.fd = -1;
  }
}
