import type { OperatorId } from '../../core/ids.js';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { crc32 } from '../../core/crc32.js';
import type { OperatorStateHandle } from '../../rpc/gateways/checkpoint-messages.js';
import type { StateSlice } from '../../rpc/gateways/task-deployment-descriptor.js';
import type { OperatorSnapshotData } from '../../runtime/task-contract.js';

/** Where a subtask's snapshot goes: the JobManager's memory (inline in the ack) or a file. */
export type SnapshotTarget = { readonly kind: 'memory' } | { readonly kind: 'file'; readonly path: string };

/** The persisted snapshot: handles for the ack and the bytes written. */
export interface PersistedSnapshot {
  readonly operators: OperatorStateHandle[];
  readonly stateSize: number;
}

/**
 * Writes the copied state of a subtask. For a file, every key-group chunk and list entry becomes a
 * checksummed region of one file, synced before the handles are returned: an acknowledged
 * checkpoint never points at bytes that might still be in the page cache only.
 */
export async function persistSnapshot(data: readonly OperatorSnapshotData[], target: SnapshotTarget): Promise<PersistedSnapshot> {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const place = (bytes: Uint8Array): StateSlice => {
    if (target.kind === 'memory') return { kind: 'inline', bytes };
    const slice: StateSlice = { kind: 'file', path: target.path, offset, length: bytes.byteLength, crc32: crc32(bytes) };
    chunks.push(bytes);
    offset += bytes.byteLength;
    return slice;
  };
  let stateSize = 0;
  const operators = data.map((operator): OperatorStateHandle => {
    const handle: { operatorId: OperatorId; keyGroups?: OperatorStateHandle['keyGroups']; listStates?: OperatorStateHandle['listStates'] } =
      {
        operatorId: operator.operatorId,
      };
    if (operator.keyGroups !== undefined) {
      handle.keyGroups = {
        start: operator.keyGroups.start,
        slices: operator.keyGroups.chunks.map((chunk) => {
          if (chunk === undefined) return null;
          stateSize += chunk.byteLength;
          return place(chunk);
        }),
      };
    }
    if (operator.listStates !== undefined) {
      handle.listStates = operator.listStates.map((list) => ({
        name: list.name,
        mode: list.mode,
        entries: list.entries.map((entry) => {
          stateSize += entry.byteLength;
          return place(entry);
        }),
      }));
    }
    return handle;
  });
  if (target.kind === 'file') await writeSynced(target.path, chunks);
  return { operators, stateSize };
}

async function writeSynced(path: string, chunks: readonly Uint8Array[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, 'w', 0o600);
  try {
    // writev takes at most IOV_MAX buffers per call; write in groups.
    for (let i = 0; i < chunks.length; i += 512) await handle.writev(chunks.slice(i, i + 512));
    await handle.sync();
  } finally {
    await handle.close();
  }
}
