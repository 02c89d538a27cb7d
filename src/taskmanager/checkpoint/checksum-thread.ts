/**
 * CRC-32s of snapshot bytes computed beside the slot thread. Checksumming a gigabyte of keyed state
 * took about a tenth of a snapshot's time on the slot thread, which also runs the job's records;
 * the bytes are in shared 4 MB buffers on their way to the file anyway, so a helper thread reads
 * them there. One helper per slot thread, started when a snapshot first holds a large chunk and
 * used by the snapshots after it (until it is online, checksums are taken in place). If it ever
 * dies, the snapshots it was checksumming fail and checksums are taken in place from then on.
 */
import { Worker } from 'node:worker_threads';
import { describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';

const log = getLogger('checkpoint');

/** What the slot thread asks of the helper. */
export type ChecksumRequest =
  | {
      readonly type: 'range';
      readonly id: number;
      readonly buffer: SharedArrayBuffer;
      readonly offset: number;
      readonly length: number;
      /** The checksum's last range: its value is posted back. */
      readonly last: boolean;
    }
  | { readonly type: 'fence'; readonly fence: number };

/** What the helper answers. */
export type ChecksumReply =
  { readonly type: 'checksum'; readonly id: number; readonly crc32: number } | { readonly type: 'fenced'; readonly fence: number };

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

/** The helper thread of the current thread, once started and online. */
let shared: ChecksumThread | undefined;
/** Set when a helper died: checksums stay in place for the rest of this thread's life. */
let disabled = false;

/** A helper thread that checksums byte ranges of shared buffers in order. */
export class ChecksumThread {
  private readonly worker: Worker;
  private online = false;
  /** Settles once the helper can take work (or never could). */
  private readonly started: Promise<void>;
  private nextId = 0;
  private readonly checksums = new Map<number, Waiter<number>>();
  private readonly fences = new Map<number, Waiter<void>>();

  private constructor() {
    this.worker = new Worker(new URL('./checksum-worker.js', import.meta.url));
    this.started = new Promise((resolve) => {
      this.worker.once('online', () => {
        this.online = true;
        this.settled();
        resolve();
      });
      this.worker.once('exit', () => resolve());
    });
    this.worker.on('message', (reply: ChecksumReply) => this.onReply(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.once('exit', (code) => this.fail(new Error(`the checksum thread exited with code ${code}`)));
  }

  /** This thread's helper if it is online (a snapshot uses it from start to end, or not at all). */
  static online(): ChecksumThread | undefined {
    return shared?.online === true ? shared : undefined;
  }

  /** Starts this thread's helper for the snapshots to come, unless it runs already or one died; resolves once it is online (or is not coming). */
  static prepare(): Promise<void> {
    if (!disabled) shared ??= new ChecksumThread();
    return shared?.started ?? Promise.resolve();
  }

  /** A new checksum, to be fed with `add` in order. */
  open(): number {
    return ++this.nextId;
  }

  /** Feeds `length` bytes of `buffer` from `offset` to checksum `id`; with `last`, its value is ready after them. */
  add(id: number, buffer: SharedArrayBuffer, offset: number, length: number, last: boolean): void {
    this.worker.postMessage({ type: 'range', id, buffer, offset, length, last } satisfies ChecksumRequest);
  }

  /** The value of checksum `id`, once its last range was added and read. */
  result(id: number): Promise<number> {
    this.worker.ref();
    return new Promise((resolve, reject) => this.checksums.set(id, { resolve, reject }));
  }

  /** Resolves once every range added so far has been read: their buffers may be reused. */
  fence(): Promise<void> {
    const fence = ++this.nextId;
    this.worker.ref();
    return new Promise((resolve, reject) => {
      this.fences.set(fence, { resolve, reject });
      this.worker.postMessage({ type: 'fence', fence } satisfies ChecksumRequest);
    });
  }

  private onReply(reply: ChecksumReply): void {
    if (reply.type === 'fenced') {
      this.fences.get(reply.fence)?.resolve();
      this.fences.delete(reply.fence);
    } else {
      this.checksums.get(reply.id)?.resolve(reply.crc32);
      this.checksums.delete(reply.id);
    }
    this.settled();
  }

  // The helper keeps its thread alive only while something waits on it: starting, or an answer due.
  private settled(): void {
    if (this.online && this.checksums.size === 0 && this.fences.size === 0) this.worker.unref();
  }

  private fail(error: Error): void {
    if (shared === this) {
      shared = undefined;
      disabled = true;
      log.warn(`The checksum thread stopped, so snapshots are checksummed on the slot thread from now on: ${describeError(error)}`);
    }
    for (const waiter of [...this.checksums.values(), ...this.fences.values()]) waiter.reject(error);
    this.checksums.clear();
    this.fences.clear();
  }
}
