import type { OperatorId } from '../../core/ids.js';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { OperatorStateHandle } from '../../rpc/gateways/checkpoint-messages.js';
import { sliceBytes, type GroupChain, type StateSlice } from '../../rpc/gateways/task-deployment-descriptor.js';
import { isDeltaChunk } from '../../runtime/state/key-group-chunk.js';
import { UNCHANGED_GROUP, type KeyedStateSnapshot, type OperatorSnapshotData } from '../../runtime/task-contract.js';
import { SlicePlacer, type SnapshotTarget } from './slice-placer.js';
import { withSlicesSwapped } from './slice-swap.js';

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
    return placed.swapsSlices ? withSlicesSwapped(result, (slice) => placed.finalSlice(slice)) : result;
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
