import type { OperatorId } from '../../core/ids.js';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { crc32 } from '../../core/crc32.js';
import type { OperatorStateHandle } from '../../rpc/gateways/checkpoint-messages.js';
import { sliceBytes, type GroupChain, type StateSlice } from '../../rpc/gateways/task-deployment-descriptor.js';
import { isDeltaChunk } from '../../runtime/state/key-group-chunk.js';
import { UNCHANGED_GROUP, type KeyedStateSnapshot, type OperatorSnapshotData } from '../../runtime/task-contract.js';
import { SnapshotFileWriter } from './snapshot-file-writer.js';
import { withSlicesSwapped } from './slice-swap.js';
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

/** The chains an incremental snapshot builds on: those of its base checkpoint, per operator. */
export type BaseChains = (checkpointId: number, operatorId: OperatorId) => readonly GroupChain[] | undefined;

/** The persisted snapshot: handles for the ack, the bytes it references and those it wrote. */
export interface PersistedSnapshot {
  readonly operators: OperatorStateHandle[];
  /** Bytes of the state as a whole: every slice referenced, shared ones included. */
  readonly stateSize: number;
  /** Bytes written by this snapshot. */
  readonly checkpointedSize: number;
  /** Per keyed operator, the chain of each group: what the next incremental snapshot builds on. */
  readonly chains: Map<OperatorId, GroupChain[]>;
}

/**
 * Encoding work between two yields to the task's mailbox, so records keep flowing beside the write:
 * at least MIN_SLICE_MS, and as long as the tasks ran since the last yield, up to MAX_SLICE_MS. A
 * fixed short slice left the write a small share of a busy thread (a 300 MB checkpoint took 11 s
 * while its encoding alone takes 1 s); an equal share halves processing at most, and only while a
 * checkpoint is being written, and never pauses it longer than MAX_SLICE_MS.
 */
const MIN_SLICE_MS = 4;
const MAX_SLICE_MS = 25;
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
class SlicePlacer {
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

/**
 * Writes a subtask's snapshot. Keyed state is taken a key group at a time, yielding to the task
 * between slices of work, so processing goes on during the write (the state keeps each group's
 * barrier-time bytes until it is taken). For a file, every chunk and list entry becomes a
 * checksummed region of one file, synced before the handles are returned: an acknowledged
 * checkpoint never points at bytes that might still be in the page cache only.
 */
export async function persistSnapshot(
  data: readonly OperatorSnapshotData[],
  target: SnapshotTarget,
  baseChains?: BaseChains,
  signal?: AbortSignal,
): Promise<PersistedSnapshot> {
  let placer: SlicePlacer | undefined;
  let written = false;
  try {
    placer = await SlicePlacer.create(target);
    const operators: OperatorStateHandle[] = [];
    const chains = new Map<OperatorId, GroupChain[]>();
    let stateSize = 0;
    for (const operator of data) {
      const persisted = await persistOperator(operator, placer, baseChains, signal);
      operators.push(persisted.handle);
      stateSize += persisted.referencedBytes;
      if (persisted.chains !== undefined) chains.set(operator.operatorId, persisted.chains);
    }
    signal?.throwIfAborted();
    await placer.finish();
    written = true;
    const result = { operators, stateSize, checkpointedSize: placer.stateSize, chains };
    const placed = placer; // narrowed for the callback
    return placed.inlined ? withSlicesSwapped(result, (slice) => placed.finalSlice(slice)) : result;
  } finally {
    for (const operator of data) operator.keyGroups?.release();
    await placer?.close(!written && signal?.aborted === true);
  }
}

async function persistOperator(
  operator: OperatorSnapshotData,
  placer: SlicePlacer,
  baseChains: BaseChains | undefined,
  signal: AbortSignal | undefined,
): Promise<{ handle: OperatorStateHandle; referencedBytes: number; chains?: GroupChain[] }> {
  const handle: { operatorId: OperatorId; keyGroups?: OperatorStateHandle['keyGroups']; listStates?: OperatorStateHandle['listStates'] } = {
    operatorId: operator.operatorId,
  };
  let referencedBytes = 0;
  let chains: GroupChain[] | undefined;
  if (operator.keyGroups !== undefined) {
    const snapshot = operator.keyGroups;
    const baseId = snapshot.baseCheckpointId;
    const base = baseId === undefined ? undefined : baseChains?.(baseId, operator.operatorId);
    if (baseId !== undefined && base === undefined) {
      snapshot.release();
      throw new Error(`the chains of checkpoint ${baseId}, which this incremental snapshot builds on, are not known here`);
    }
    chains = await placeKeyGroups(snapshot, placer, base, signal);
    const slices = chains.map((chain) => chain.base);
    const hasDeltas = chains.some((chain) => chain.deltas.length > 0);
    handle.keyGroups = {
      start: snapshot.start,
      slices,
      ...(hasDeltas ? { deltas: chains.map((chain) => (chain.deltas.length === 0 ? null : chain.deltas)) } : {}),
    };
    for (const chain of chains) referencedBytes += sliceBytes(chain.base) + chain.deltas.reduce((n, d) => n + sliceBytes(d), 0);
  }
  if (operator.listStates !== undefined) {
    const listStates: NonNullable<OperatorStateHandle['listStates']>[number][] = [];
    for (const list of operator.listStates) {
      const entries: StateSlice[] = [];
      for (const entry of list.entries) {
        entries.push(await placer.place(entry));
        referencedBytes += entry.byteLength;
      }
      listStates.push({ name: list.name, mode: list.mode, entries });
    }
    handle.listStates = listStates;
  }
  return { handle, referencedBytes, ...(chains !== undefined ? { chains } : {}) };
}

const EMPTY_CHAIN: GroupChain = { base: null, deltas: [] };

/**
 * Takes every group once: first those the state already encoded because they were about to change
 * (their bytes are held only for this writer), then the next in order. Regions follow the order
 * taken; the chains stay in group order. A full chunk starts a group's chain, a delta extends the
 * base's, and an unchanged group keeps the base's as it is.
 */
async function placeKeyGroups(
  snapshot: KeyedStateSnapshot,
  placer: SlicePlacer,
  base: readonly GroupChain[] | undefined,
  signal: AbortSignal | undefined,
): Promise<GroupChain[]> {
  const chains: (GroupChain | undefined)[] = Array.from({ length: snapshot.size }, () => undefined);
  let next = 0;
  let sliceStart = performance.now();
  let sliceMs = MIN_SLICE_MS;
  for (let taken = 0; taken < snapshot.size; taken++) {
    let offset = snapshot.nextReady();
    if (offset === undefined) {
      while (chains[next] !== undefined) next++;
      offset = next;
    }
    const chunk = snapshot.chunk(offset, placer.copies);
    const before = base?.[offset] ?? EMPTY_CHAIN;
    if (chunk === undefined) chains[offset] = EMPTY_CHAIN;
    else if (chunk === UNCHANGED_GROUP) chains[offset] = before;
    else if (base !== undefined && isDeltaChunk(chunk))
      chains[offset] = { base: before.base, deltas: [...before.deltas, await placer.place(chunk)] };
    else chains[offset] = { base: await placer.place(chunk), deltas: [] };
    if (performance.now() - sliceStart >= sliceMs) {
      const yieldedAt = performance.now();
      await yieldToLoop();
      // An aborted or subsumed checkpoint stops here rather than compete with processing and restores.
      signal?.throwIfAborted();
      sliceStart = performance.now();
      sliceMs = Math.min(MAX_SLICE_MS, Math.max(MIN_SLICE_MS, sliceStart - yieldedAt));
    }
  }
  snapshot.release();
  return chains.map((chain) => chain ?? EMPTY_CHAIN);
}
