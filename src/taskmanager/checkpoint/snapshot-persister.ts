import type { OperatorId } from '../../core/ids.js';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { crc32 } from '../../core/crc32.js';
import type { OperatorStateHandle } from '../../rpc/gateways/checkpoint-messages.js';
import { sliceBytes, type GroupChain, type StateSlice } from '../../rpc/gateways/task-deployment-descriptor.js';
import { isDeltaChunk } from '../../runtime/state/key-group-chunk.js';
import { UNCHANGED_GROUP, type KeyedStateSnapshot, type OperatorSnapshotData } from '../../runtime/task-contract.js';
import { SnapshotFileWriter } from './snapshot-file-writer.js';

/**
 * Where a subtask's snapshot goes: the JobManager's memory (inline in the ack) or a file, with a
 * second copy at `copyPath` for task-local recovery.
 */
export type SnapshotTarget =
  { readonly kind: 'memory' } | { readonly kind: 'file'; readonly path: string; readonly copyPath?: string | undefined };

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
 * Places chunks: inline for the JobManager's memory, else as checksummed regions of one file. For a
 * file, a chunk's bytes are copied at once into reused buffers, so they may be borrowed.
 */
class SlicePlacer {
  private readonly free: Uint8Array[] = [];
  private buffer: Uint8Array | undefined;
  private filled = 0;
  private offset = 0;
  stateSize = 0;

  constructor(
    private readonly target: SnapshotTarget,
    private readonly file: SnapshotFileWriter | undefined,
  ) {}

  /** Whether `place` copies what it is given before it yields: chunks may then be borrowed. */
  get copies(): boolean {
    return this.file !== undefined;
  }

  async place(bytes: Uint8Array): Promise<StateSlice> {
    this.stateSize += bytes.byteLength;
    if (this.target.kind === 'memory' || this.file === undefined) return { kind: 'inline', bytes };
    const slice: StateSlice = { kind: 'file', path: this.target.path, offset: this.offset, length: bytes.byteLength, crc32: crc32(bytes) };
    this.offset += bytes.byteLength;
    this.copyIn(bytes);
    await this.file.throttle(MAX_QUEUED);
    return slice;
  }

  /** Hands the partly filled buffer to the file. */
  flush(): void {
    if (this.buffer === undefined || this.filled === 0) return;
    this.send(this.buffer.subarray(0, this.filled));
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
      () => this.free.push(whole),
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
  let file: SnapshotFileWriter | undefined;
  let written = false;
  try {
    if (target.kind === 'file') file = await SnapshotFileWriter.open(target.path, target.copyPath);
    const placer = new SlicePlacer(target, file);
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
    placer.flush();
    await file?.finish();
    written = true;
    return { operators, stateSize, checkpointedSize: placer.stateSize, chains };
  } finally {
    for (const operator of data) operator.keyGroups?.release();
    await file?.close();
    // An abandoned write leaves no file: nothing will ever reference it.
    if (!written && signal?.aborted === true) await file?.discard();
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
