import { open, type FileHandle } from 'node:fs/promises';
import { crc32 } from '../../core/crc32.js';
import { TsFlinkError } from '../../core/errors.js';
import type { StateSlice, TaskDeploymentDescriptor } from '../../rpc/gateways/task-deployment-descriptor.js';
import type { RestoredOperatorState } from '../../runtime/task-contract.js';

/** Open state files of one restore, each opened once however many slices it holds. */
class StateFiles {
  private readonly handles = new Map<string, Promise<FileHandle>>();

  /** Reads one slice: inline bytes as they are, a file region read and checked against its CRC-32. */
  async read(slice: StateSlice): Promise<Uint8Array> {
    if (slice.kind === 'inline') return slice.bytes;
    let handle = this.handles.get(slice.path);
    if (handle === undefined) {
      handle = open(slice.path, 'r');
      this.handles.set(slice.path, handle);
    }
    const bytes = Buffer.allocUnsafe(slice.length);
    const { bytesRead } = await (await handle).read(bytes, 0, slice.length, slice.offset);
    if (bytesRead !== slice.length) {
      throw new TsFlinkError(
        'STATE_CORRUPT',
        `State file ${slice.path} is truncated: expected ${slice.length} bytes at offset ${slice.offset}, read ${bytesRead}.`,
      );
    }
    if (crc32(bytes) !== slice.crc32) {
      throw new TsFlinkError('STATE_CORRUPT', `State file ${slice.path} is corrupt: checksum mismatch at offset ${slice.offset}.`);
    }
    return bytes;
  }

  async close(): Promise<void> {
    await Promise.all([...this.handles.values()].map(async (handle) => (await handle.catch(() => undefined))?.close()));
  }
}

/** Reads one slice of state on its own (tests and tools). */
export async function readSlice(slice: StateSlice): Promise<Uint8Array> {
  const files = new StateFiles();
  try {
    return await files.read(slice);
  } finally {
    await files.close();
  }
}

/** Turns the restore descriptor of a deployment into the bytes each operator restores from. */
export async function resolveRestore(tdd: TaskDeploymentDescriptor): Promise<RestoredOperatorState[] | undefined> {
  if (tdd.restore === undefined) return undefined;
  const files = new StateFiles();
  try {
    return await Promise.all(
      tdd.restore.operators.map(async (operator) => ({
        operatorId: operator.operatorId,
        keyGroupChunks: await Promise.all(operator.keyGroupSlices.map((slice) => files.read(slice))),
        listStates: await Promise.all(
          operator.listStates.map(async (list) => ({
            name: list.name,
            mode: list.mode,
            entries: await Promise.all(list.entries.map((slice) => files.read(slice))),
          })),
        ),
      })),
    );
  } catch (error) {
    if (error instanceof TsFlinkError) throw error;
    throw new TsFlinkError(
      'STATE_CORRUPT',
      `Cannot read the state of checkpoint ${tdd.restore.checkpointId}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
      { cause: error },
    );
  } finally {
    await files.close();
  }
}
