/**
 * Where a snapshot's chunks go: inline for the JobManager's memory, or as checksummed regions of
 * one file, copied through a few reused (shared) buffers, with large chunks checksummed on the
 * checksum thread while the next group is encoded.
 */
import { crc32 } from '../../core/crc32.js';
import type { StateSlice } from '../../rpc/gateways/task-deployment-descriptor.js';
import { ChecksumThread } from './checksum-thread.js';
import { SnapshotFileWriter } from './snapshot-file-writer.js';
import type { SpareSource } from './spare-file-claim.js';

/**
 * Where a subtask's snapshot goes: the JobManager's memory (inline in the ack) or a file, with a
 * second copy at `copyPath` for task-local recovery.
 */
export type SnapshotTarget =
  | { readonly kind: 'memory' }
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly copyPath?: string | undefined;
      /**
       * A snapshot of fewer bytes goes inline in the acknowledgement instead of into a file
       * (Flink's execution.checkpointing.data-inline-threshold): a source's few bytes then cost no
       * file, no sync and no local copy.
       */
      readonly inlineBelow?: number;
      /** Spare files of subsumed checkpoints, one of which the file overwrites when it can be taken. */
      readonly spares?: SpareSource | undefined;
    };

/**
 * Size of the buffers chunks are copied into on their way to the file. They are reused, so the
 * write allocates a few of them, not a buffer per key group.
 */
const BUFFER_BYTES = 4 * 1024 * 1024;
/** Buffers handed to the file and not yet written, beyond which placing waits: two being written, one queued. */
const MAX_QUEUED = 3;
/**
 * Buffers kept between snapshots (per slot thread: module state is per thread). Allocating them
 * afresh for every checkpoint added tens of megabytes of external memory each time, which V8
 * answers with a full collection of a heap that holds the whole state. A write holds up to
 * MAX_QUEUED + 1 sent and one being filled, and more while a group larger than a buffer is copied
 * in before the next throttle (8 MB groups at 1 GB): keeping only four dropped one 4 MB buffer to
 * the collector at every checkpoint. Only buffers a write needed at once are ever kept.
 */
const spareBuffers: Uint8Array[] = [];
const MAX_SPARE_BUFFERS = 8;
/**
 * Chunks from this size on are checksummed on the checksum thread, from the shared buffers they
 * are copied into; smaller ones in place, where a message per chunk would cost more than the sum.
 */
const OFF_THREAD_CHECKSUM_BYTES = 256 * 1024;

/** A file buffer the checksum thread can read as well. */
function newFileBuffer(): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(BUFFER_BYTES));
}

/**
 * Places chunks: inline for the JobManager's memory, else as checksummed regions of one file. The
 * file is opened once the snapshot outgrows the inline threshold; until then chunks are held, and
 * a snapshot that ends below it is inlined (`finalSlice`). A chunk's bytes are copied before `place`
 * yields, so they may be borrowed.
 */
export class SlicePlacer {
  private readonly free = spareBuffers;
  private buffer: Uint8Array | undefined;
  private filled = 0;
  private offset = 0;
  /** Copies of the chunks placed while below the threshold, by their file slice. */
  private held: Map<StateSlice, Uint8Array> | undefined;
  /** Checksums the file's large chunks beside this thread; undefined: all are taken in place. */
  private readonly checksums: ChecksumThread | undefined;
  /** Slices whose checksum the checksum thread is computing, and then their values. */
  private readonly pendingChecksums = new Map<StateSlice, Promise<number>>();
  private readonly checksummed = new Map<StateSlice, number>();
  stateSize = 0;

  private constructor(
    private readonly target: SnapshotTarget,
    private file: SnapshotFileWriter | undefined,
  ) {
    if (target.kind === 'file' && file === undefined) this.held = new Map();
    this.checksums = target.kind === 'file' ? ChecksumThread.online() : undefined;
  }

  /** A placer for `target`; without an inline threshold its file is opened at once, and no chunk is held. */
  static async create(target: SnapshotTarget): Promise<SlicePlacer> {
    const eager = target.kind === 'file' && (target.inlineBelow ?? 0) <= 0;
    return new SlicePlacer(target, eager ? await SnapshotFileWriter.open(target.path, target.copyPath, target.spares) : undefined);
  }

  /** Whether `place` copies what it is given before it yields: chunks may then be borrowed. */
  get copies(): boolean {
    return this.target.kind === 'file';
  }

  async place(bytes: Uint8Array): Promise<StateSlice> {
    this.stateSize += bytes.byteLength;
    const target = this.target;
    if (target.kind === 'memory') return { kind: 'inline', bytes };
    const large = bytes.byteLength >= OFF_THREAD_CHECKSUM_BYTES;
    if (large && this.checksums === undefined) ChecksumThread.prepare().catch(() => undefined);
    const offThread = large && this.held === undefined && this.checksums !== undefined;
    // An off-thread checksum is filled in by finalSlice once the write is done.
    const slice: StateSlice = {
      kind: 'file',
      path: target.path,
      offset: this.offset,
      length: bytes.byteLength,
      crc32: offThread ? 0 : crc32(bytes),
    };
    this.offset += bytes.byteLength;
    if (offThread) {
      const id = this.checksums.open();
      const checksum = this.checksums.result(id);
      // Awaited by finish; a write abandoned before that must not leave the rejection unhandled.
      checksum.catch(() => undefined);
      this.pendingChecksums.set(slice, checksum);
      this.copyIn(bytes, id);
    } else if (this.held !== undefined) {
      // A copy (a Buffer's slice() would be a view of the encoder's buffer, which the next group overwrites).
      this.held.set(slice, new Uint8Array(bytes));
      if (this.offset < (target.inlineBelow ?? 0)) return slice;
      const held = [...this.held.values()];
      this.held = undefined;
      this.file = await SnapshotFileWriter.open(target.path, target.copyPath, target.spares);
      for (const chunk of held) this.copyIn(chunk);
    } else {
      this.copyIn(bytes);
    }
    await this.file!.throttle(MAX_QUEUED);
    return slice;
  }

  /** The slice to hand out for `slice`: inline bytes when the snapshot stayed below the threshold, or with its off-thread checksum. */
  finalSlice(slice: StateSlice): StateSlice {
    const bytes = this.held?.get(slice);
    if (bytes !== undefined) return { kind: 'inline', bytes };
    const checksum = this.checksummed.get(slice);
    return checksum === undefined || slice.kind !== 'file' ? slice : { ...slice, crc32: checksum };
  }

  /** True when the placed slices are not final: inlined (no file was written), or checksummed off the thread. */
  get swapsSlices(): boolean {
    return this.held !== undefined || this.checksummed.size > 0;
  }

  /** Writes what is left, makes the file durable, and collects the off-thread checksums. */
  async finish(): Promise<void> {
    if (this.buffer !== undefined && this.filled > 0) this.send(this.buffer.subarray(0, this.filled));
    await this.file?.finish();
    for (const [slice, checksum] of this.pendingChecksums) this.checksummed.set(slice, await checksum);
  }

  /** Closes the file, and removes it when the write was abandoned (nothing will reference it). */
  async close(abandoned: boolean): Promise<void> {
    await this.file?.close();
    if (abandoned) await this.file?.discard();
  }

  // Synchronous, so a borrowed chunk is copied before anything can overwrite it. With `checksum`, each
  // range copied is handed to the checksum thread, which reads it from the shared buffer.
  private copyIn(bytes: Uint8Array, checksum?: number): void {
    let from = 0;
    while (from < bytes.byteLength) {
      this.buffer ??= this.free.pop() ?? newFileBuffer();
      const n = Math.min(bytes.byteLength - from, this.buffer.byteLength - this.filled);
      this.buffer.set(bytes.subarray(from, from + n), this.filled);
      if (checksum !== undefined) {
        this.checksums!.add(checksum, this.buffer.buffer as SharedArrayBuffer, this.filled, n, from + n === bytes.byteLength);
      }
      this.filled += n;
      from += n;
      if (this.filled === this.buffer.byteLength) this.send(this.buffer);
    }
  }

  private send(bytes: Uint8Array): void {
    const whole = this.buffer!;
    this.buffer = undefined;
    this.filled = 0;
    // Reusable once written and read by the checksum thread. A failed write is reported by the next
    // throttle or finish; its buffer is not reused.
    Promise.all([this.file!.write(bytes), this.checksums?.fence()]).then(
      () => {
        if (this.free.length < MAX_SPARE_BUFFERS) this.free.push(whole);
      },
      () => undefined,
    );
  }
}
