import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { TsFlinkError } from '../../core/errors.js';
import type { OperatorId } from '../../core/ids.js';
import type { StateSlice, TaskDeploymentDescriptor } from '../../rpc/gateways/task-deployment-descriptor.js';
import type { RestoredOperatorState } from '../../runtime/task-contract.js';

/** Reads one slice of state: inline bytes as they are, a file region read and checked against its CRC-32. */
export async function readSlice(slice: StateSlice): Promise<Uint8Array> {
  if (slice.kind === 'inline') return slice.bytes;
  const handle = await open(slice.path, 'r');
  try {
    const bytes = Buffer.alloc(slice.length);
    const { bytesRead } = await handle.read(bytes, 0, slice.length, slice.offset);
    if (bytesRead !== slice.length) {
      throw new TsFlinkError('STATE_CORRUPT', `State file ${slice.path} is truncated: expected ${slice.length} bytes at offset ${slice.offset}, read ${bytesRead}.`);
    }
    if (crc32(bytes) !== slice.crc32) {
      throw new TsFlinkError('STATE_CORRUPT', `State file ${slice.path} is corrupt: checksum mismatch at offset ${slice.offset}.`);
    }
    return bytes;
  } finally {
    await handle.close();
  }
}

/** Turns the restore descriptor of a deployment into the bytes each operator restores from. */
export async function resolveRestore(tdd: TaskDeploymentDescriptor): Promise<RestoredOperatorState[] | undefined> {
  if (tdd.restore === undefined) return undefined;
  return Promise.all(tdd.restore.operators.map(async (operator) => ({
    operatorId: operator.operatorId as OperatorId,
    keyGroupChunks: await Promise.all(operator.keyGroupSlices.map(readSlice)),
    listStates: await Promise.all(operator.listStates.map(async (list) => ({
      name: list.name,
      mode: list.mode,
      entries: await Promise.all(list.entries.map(readSlice)),
    }))),
  })));
}
