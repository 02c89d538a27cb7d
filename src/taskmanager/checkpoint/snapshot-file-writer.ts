/**
 * The file side of a subtask's snapshot: batches of chunks go to the snapshot file, and to its
 * local copy when task-local recovery keeps one, while the next batch is being encoded.
 */
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import { claimSpareFile, type SpareSource } from './spare-file-claim.js';

const log = getLogger('checkpoint');

/**
 * Written bytes after which the file is flushed to disk in the background, so the sync that makes
 * the snapshot durable at the end finds little left to do (it was a fifth of a 300 MB write).
 */
const BACKGROUND_SYNC_BYTES = 32 * 1024 * 1024;

/** An open local copy, and how to take it back. */
interface LocalCopy {
  readonly path: string;
  readonly handle: FileHandle;
  discard(): Promise<void>;
}

/**
 * Writes buffers at their positions, two at a time, while the caller encodes and copies the next:
 * encoding and the copy into the page cache take about as long each, so overlapping them (and two
 * writes on the thread pool) took a 300 MB snapshot from about 360 to 600 MB/s.
 */
export class SnapshotFileWriter {
  /** Writes not yet done, in the order they were queued; each starts once the one two before it is done. */
  private readonly pending: Promise<void>[] = [];
  /** Where the next buffer goes in the file (and its copy). */
  private position = 0;
  private syncing: Promise<void> | undefined;
  private unsynced = 0;
  /** The first failed write; reported by `throttle` and `finish`. */
  private failure: Error | undefined;

  private constructor(
    private readonly path: string,
    private readonly file: FileHandle,
    private copy: LocalCopy | undefined,
    /** The file is a spare being overwritten: whatever lies past the snapshot is cut off at the end. */
    readonly recycled: boolean,
  ) {}

  /**
   * Creates the snapshot file (private to the user), overwriting a spare from `spares` when one can
   * be taken, and, at `copyPath`, its local copy.
   */
  static async open(path: string, copyPath: string | undefined, spares?: SpareSource): Promise<SnapshotFileWriter> {
    await mkdir(dirname(path), { recursive: true });
    const claimed = spares !== undefined && (await claimSpareFile(spares, path));
    const file = claimed ? await openSpare(path) : undefined;
    return new SnapshotFileWriter(
      path,
      file ?? (await open(path, 'w', 0o600)),
      copyPath === undefined ? undefined : await openCopy(copyPath),
      file !== undefined,
    );
  }

  /**
   * Queues `bytes` to follow what was queued before; the promise resolves once they are written (or
   * the write failed: `throttle` and `finish` report that), and the buffer may be reused.
   */
  write(bytes: Uint8Array): Promise<void> {
    const at = this.position;
    this.position += bytes.byteLength;
    const turn = this.pending.at(-2) ?? Promise.resolve();
    const done = turn
      .then(() => (this.failure === undefined ? Promise.all([writeFully(this.file, bytes, at), this.writeCopy(bytes, at)]) : undefined))
      .then(
        () => this.afterWrite(bytes.byteLength),
        (error: unknown) => {
          this.failure ??= error instanceof Error ? error : new Error(String(error));
        },
      )
      .finally(() => this.pending.splice(this.pending.indexOf(done), 1));
    this.pending.push(done);
    return done;
  }

  /** Waits until at most `queued` writes are outstanding: what a snapshot holds beside the state stays bounded. */
  async throttle(queued: number): Promise<void> {
    while (this.pending.length > queued) await this.pending[0];
    this.throwIfFailed();
  }

  /** Waits for every write and makes the file durable: an acknowledged snapshot is on disk. */
  async finish(): Promise<void> {
    await this.throttle(0);
    await this.syncing;
    if (this.recycled) await this.file.truncate(this.position);
    await this.file.sync();
  }

  /** Waits out writes still running, then closes both files; a copy is complete only if every batch reached it. */
  async close(): Promise<void> {
    await Promise.all(this.pending);
    await this.syncing?.catch(() => undefined);
    await this.copy?.handle.close();
    await this.file.close();
  }

  /** Removes the file and its copy: the write was abandoned and nothing will reference them. */
  async discard(): Promise<void> {
    await Promise.all([rm(this.path, { force: true }), this.copy?.discard()]).catch(() => undefined);
  }

  private afterWrite(bytes: number): void {
    this.unsynced += bytes;
    if (this.unsynced < BACKGROUND_SYNC_BYTES || this.syncing !== undefined) return;
    this.unsynced = 0;
    // Only starts the disk's work early; durability still comes from finish's sync.
    this.syncing = this.file
      .datasync()
      .catch(() => undefined)
      .finally(() => {
        this.syncing = undefined;
      });
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  /** The local copy is a convenience: failing to write it never fails the checkpoint. */
  private async writeCopy(bytes: Uint8Array, at: number): Promise<void> {
    const copy = this.copy;
    if (copy === undefined) return;
    try {
      await writeFully(copy.handle, bytes, at);
    } catch (error) {
      // Two writes in flight may both fail; the first one reports it and takes the copy back.
      if (this.copy !== copy) return;
      this.copy = undefined;
      log.warn(`Could not write the local state copy ${copy.path}, so a restore here reads checkpoint storage: ${describeError(error)}`);
      await copy.discard();
    }
  }
}

/** Writes `bytes` at `at`; a short write (a full disk) fails rather than leave a hole. */
async function writeFully(handle: FileHandle, bytes: Uint8Array, at: number): Promise<void> {
  const { bytesWritten } = await handle.write(bytes, 0, bytes.byteLength, at);
  if (bytesWritten !== bytes.byteLength) throw new Error(`wrote ${bytesWritten} of ${bytes.byteLength} bytes at offset ${at}`);
}

/** Opens a claimed spare for overwriting in place (its blocks are what makes it worth taking), private to the user. */
async function openSpare(path: string): Promise<FileHandle | undefined> {
  try {
    const handle = await open(path, 'r+');
    await handle.chmod(0o600);
    return handle;
  } catch {
    return undefined; // the checkpoint's directory went meanwhile: a new file fails the same way, with the usual error
  }
}

async function openCopy(path: string): Promise<LocalCopy | undefined> {
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const handle = await open(path, 'w', 0o600);
    return {
      path,
      handle,
      discard: async () => {
        await handle.close().catch(() => undefined);
        await rm(path, { force: true });
      },
    };
  } catch (error) {
    log.warn(`Could not create the local state copy ${path}, so a restore here reads checkpoint storage: ${describeError(error)}`);
    return undefined;
  }
}
