/**
 * Where a snapshot's chunks go: inline for the JobManager's memory, or as checksummed regions of
 * one file, copied through a few reused buffers.
 */
import { crc32 } from '../../core/crc32.js';
import type { StateSlice } from '../../rpc/gateways/task-deployment-descriptor.js';
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
 * Places chunks: inline for the JobManager's memory, else as checksummed regions of one file. The
 * file is opened once the snapshot outgrows the inline threshold; until then chunks are held, and
 * a snapshot that ends below it is inlined (`inlined`). A chunk's bytes are copied before `place`
 * yields, so they may be borrowed.
 */
export class SlicePlacer {
  private readonly free = spareBuffers;
  private buffer: Uint8Array | undefined;
  private filled = 0;
  private offset = 0;
  /** Copies of the chunks placed while below the threshold, by their file slice. */
  private held: Map<StateSlice, Uint8Array> | undefined;
  stateSize = 0;

  private constructor(
    private readonly target: SnapshotTarget,
    private file: SnapshotFileWriter | undefined,
  ) {
    if (target.kind === 'file' && file === undefined) this.held = new Map();
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
    const slice: StateSlice = { kind: 'file', path: target.path, offset: this.offset, length: bytes.byteLength, crc32: crc32(bytes) };
    this.offset += bytes.byteLength;
    if (this.held !== undefined) {
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

  /** The slice to hand out for `slice`: inline bytes when the snapshot stayed below the threshold. */
  finalSlice(slice: StateSlice): StateSlice {
    const bytes = this.held?.get(slice);
    return bytes === undefined ? slice : { kind: 'inline', bytes };
  }

  /** True when no file was written: every placed slice is to be inlined (`finalSlice`). */
  get inlined(): boolean {
    return this.held !== undefined;
  }

  /** Writes what is left and makes the file durable. */
  async finish(): Promise<void> {
    if (this.buffer !== undefined && this.filled > 0) this.send(this.buffer.subarray(0, this.filled));
    await this.file?.finish();
  }

  /** Closes the file, and removes it when the write was abandoned (nothing will reference it). */
  async close(abandoned: boolean): Promise<void> {
    await this.file?.close();
    if (abandoned) await this.file?.discard();
  }

  // Synchronous, so a borrowed chunk is copied before anything can overwrite it.
  private copyIn(bytes: Uint8Array): void {
    let from = 0;
    while (from < bytes.byteLength) {
      this.buffer ??= this.free.pop() ?? new Uint8Array(BUFFER_BYTES);
      const n = Math.min(bytes.byteLength - from, this.buffer.byteLength - this.filled);
      this.buffer.set(bytes.subarray(from, from + n), this.filled);
      this.filled += n;
      from += n;
      if (this.filled === this.buffer.byteLength) this.send(this.buffer);
    }
  }

  private send(bytes: Uint8Array): void {
    const whole = this.buffer!;
    this.buffer = undefined;
    this.filled = 0;
    // A failed write is reported by the next throttle or finish; its buffer is not reused.
    this.file!.write(bytes).then(
      () => {
        if (this.free.length < MAX_SPARE_BUFFERS) this.free.push(whole);
      },
      () => undefined,
    );
  }
}
