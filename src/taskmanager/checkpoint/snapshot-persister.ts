import type { OperatorId } from '../../core/ids.js';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { crc32 } from '../../core/crc32.js';
import { describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import type { OperatorStateHandle } from '../../rpc/gateways/checkpoint-messages.js';
import { sliceBytes, type GroupChain, type StateSlice } from '../../rpc/gateways/task-deployment-descriptor.js';
import { isDeltaChunk } from '../../runtime/state/key-group-chunk.js';
import { UNCHANGED_GROUP, type KeyedStateSnapshot, type OperatorSnapshotData } from '../../runtime/task-contract.js';

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

const log = getLogger('checkpoint');

/**
 * Encoding work between two yields to the task's mailbox, so records keep flowing beside the write:
 * at least MIN_SLICE_MS, and as long as the tasks ran since the last yield, up to MAX_SLICE_MS. A
 * fixed short slice left the write a small share of a busy thread (a 300 MB checkpoint took 11 s
 * while its encoding alone takes 1 s); an equal share halves processing at most, and only while a
 * checkpoint is being written, and never pauses it longer than MAX_SLICE_MS.
 */
const MIN_SLICE_MS = 4;
const MAX_SLICE_MS = 25;
/** Bytes gathered before they go to the file: bounds what the write holds beside the state. */
const BATCH_BYTES = 4 * 1024 * 1024;
/** writev takes at most IOV_MAX buffers per call. */
const MAX_IOV = 512;

/** Places chunks: inline for the JobManager's memory, else as checksummed regions of one file, written in batches. */
class SlicePlacer {
  private batch: Uint8Array[] = [];
  private batchBytes = 0;
  private offset = 0;
  stateSize = 0;

  constructor(
    private readonly target: SnapshotTarget,
    private readonly file: FileHandle | undefined,
    private copy: LocalCopy | undefined,
  ) {}

  async place(bytes: Uint8Array): Promise<StateSlice> {
    this.stateSize += bytes.byteLength;
    if (this.target.kind === 'memory') return { kind: 'inline', bytes };
    const slice: StateSlice = { kind: 'file', path: this.target.path, offset: this.offset, length: bytes.byteLength, crc32: crc32(bytes) };
    this.offset += bytes.byteLength;
    this.batch.push(bytes);
    this.batchBytes += bytes.byteLength;
    if (this.batchBytes >= BATCH_BYTES || this.batch.length >= MAX_IOV) await this.flush();
    return slice;
  }

  async flush(): Promise<void> {
    if (this.file === undefined || this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    await Promise.all([this.file.writev(batch), this.writeCopy(batch)]);
  }

  /** The local copy is a convenience: failing to write it never fails the checkpoint. */
  private async writeCopy(batch: Uint8Array[]): Promise<void> {
    const copy = this.copy;
    if (copy === undefined) return;
    try {
      await copy.handle.writev(batch);
    } catch (error) {
      this.copy = undefined;
      log.warn(`Could not write the local state copy ${copy.path}, so a restore here reads checkpoint storage: ${describeError(error)}`);
      await copy.discard();
    }
  }

  /** Closes the copy; it is complete only if every batch reached it. */
  async closeCopy(): Promise<void> {
    await this.copy?.handle.close();
  }

  /** Removes the copy of a write that was abandoned. */
  async discardCopy(): Promise<void> {
    await this.copy?.discard();
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
  let file: FileHandle | undefined;
  let placer: SlicePlacer | undefined;
  let written = false;
  try {
    if (target.kind === 'file') {
      await mkdir(dirname(target.path), { recursive: true });
      file = await open(target.path, 'w', 0o600);
    }
    const copy = target.kind === 'file' && target.copyPath !== undefined ? await openCopy(target.copyPath) : undefined;
    placer = new SlicePlacer(target, file, copy);
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
    await placer.flush();
    await file?.sync();
    written = true;
    return { operators, stateSize, checkpointedSize: placer.stateSize, chains };
  } finally {
    for (const operator of data) operator.keyGroups?.release();
    await placer?.closeCopy();
    await file?.close();
    // An abandoned write leaves no file: nothing will ever reference it.
    if (!written && signal?.aborted === true && target.kind === 'file') {
      await Promise.all([rm(target.path, { force: true }), placer?.discardCopy()]).catch(() => undefined);
    }
  }
}

/** An open local copy, and how to take it back. */
interface LocalCopy {
  readonly path: string;
  readonly handle: FileHandle;
  discard(): Promise<void>;
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
    const chunk = snapshot.chunk(offset);
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
