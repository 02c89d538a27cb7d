import type { OperatorId } from '../../core/ids.js';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { crc32 } from '../../core/crc32.js';
import type { OperatorStateHandle } from '../../rpc/gateways/checkpoint-messages.js';
import type { StateSlice } from '../../rpc/gateways/task-deployment-descriptor.js';
import type { KeyedStateSnapshot, OperatorSnapshotData } from '../../runtime/task-contract.js';

/** Where a subtask's snapshot goes: the JobManager's memory (inline in the ack) or a file. */
export type SnapshotTarget = { readonly kind: 'memory' } | { readonly kind: 'file'; readonly path: string };

/** The persisted snapshot: handles for the ack and the bytes written. */
export interface PersistedSnapshot {
  readonly operators: OperatorStateHandle[];
  readonly stateSize: number;
}

/** Encoding work between two yields to the task's mailbox, so records keep flowing beside the write. */
const SLICE_MS = 4;
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
    await this.file.writev(batch);
  }
}

/**
 * Writes a subtask's snapshot. Keyed state is taken a key group at a time, yielding to the task
 * between slices of work, so processing goes on during the write (the state keeps each group's
 * barrier-time bytes until it is taken). For a file, every chunk and list entry becomes a
 * checksummed region of one file, synced before the handles are returned: an acknowledged
 * checkpoint never points at bytes that might still be in the page cache only.
 */
export async function persistSnapshot(data: readonly OperatorSnapshotData[], target: SnapshotTarget): Promise<PersistedSnapshot> {
  let file: FileHandle | undefined;
  try {
    if (target.kind === 'file') {
      await mkdir(dirname(target.path), { recursive: true });
      file = await open(target.path, 'w', 0o600);
    }
    const placer = new SlicePlacer(target, file);
    const operators: OperatorStateHandle[] = [];
    for (const operator of data) operators.push(await persistOperator(operator, placer));
    await placer.flush();
    await file?.sync();
    return { operators, stateSize: placer.stateSize };
  } finally {
    for (const operator of data) operator.keyGroups?.release();
    await file?.close();
  }
}

async function persistOperator(operator: OperatorSnapshotData, placer: SlicePlacer): Promise<OperatorStateHandle> {
  const handle: { operatorId: OperatorId; keyGroups?: OperatorStateHandle['keyGroups']; listStates?: OperatorStateHandle['listStates'] } = {
    operatorId: operator.operatorId,
  };
  if (operator.keyGroups !== undefined) {
    handle.keyGroups = { start: operator.keyGroups.start, slices: await placeKeyGroups(operator.keyGroups, placer) };
  }
  if (operator.listStates !== undefined) {
    const listStates: NonNullable<OperatorStateHandle['listStates']>[number][] = [];
    for (const list of operator.listStates) {
      const entries: StateSlice[] = [];
      for (const entry of list.entries) entries.push(await placer.place(entry));
      listStates.push({ name: list.name, mode: list.mode, entries });
    }
    handle.listStates = listStates;
  }
  return handle;
}

async function placeKeyGroups(snapshot: KeyedStateSnapshot, placer: SlicePlacer): Promise<(StateSlice | null)[]> {
  const slices: (StateSlice | null)[] = [];
  let sliceStart = performance.now();
  for (let offset = 0; offset < snapshot.size; offset++) {
    const chunk = snapshot.chunk(offset);
    slices.push(chunk === undefined ? null : await placer.place(chunk));
    if (performance.now() - sliceStart >= SLICE_MS) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
  }
  snapshot.release();
  return slices;
}
