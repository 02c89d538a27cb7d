import { open, type FileHandle } from 'node:fs/promises';
import { crc32 } from '../../core/crc32.js';
import type { OperatorId } from '../../core/ids.js';
import { TsFlinkError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import {
  sliceBytes,
  type GroupChain,
  type OperatorRestoreDescriptor,
  type StateSlice,
  type TaskDeploymentDescriptor,
} from '../../rpc/gateways/task-deployment-descriptor.js';
import type { RestoredOperatorState } from '../../runtime/task-contract.js';
import type { LocalStateStore } from './local-state-store.js';

const log = getLogger('checkpoint');

/** A file region that is not what the checkpoint says it is. */
class SliceMismatch extends Error {}

/** Reads one region of an open file and checks it against the checkpoint's length and CRC-32. */
async function readRegion(handle: FileHandle, path: string, slice: Extract<StateSlice, { kind: 'file' }>): Promise<Uint8Array> {
  const bytes = Buffer.allocUnsafe(slice.length);
  const { bytesRead } = await handle.read(bytes, 0, slice.length, slice.offset);
  if (bytesRead !== slice.length) {
    throw new SliceMismatch(`${path} is truncated: expected ${slice.length} bytes at offset ${slice.offset}, read ${bytesRead}`);
  }
  if (crc32(bytes) !== slice.crc32) throw new SliceMismatch(`${path} is corrupt: checksum mismatch at offset ${slice.offset}`);
  return bytes;
}

/** Open state files of one restore, each opened once however many slices it holds; local copies first. */
export class StateFiles {
  private readonly handles = new Map<string, Promise<FileHandle>>();
  /** Local copies found unusable in this restore: each slice is checked on its own, but no new read goes to them. */
  private readonly badCopies = new Set<string>();
  bytesLocal = 0;
  bytesFromStorage = 0;

  constructor(private readonly local: LocalStateStore | undefined) {}

  /** Reads one slice: inline bytes as they are, a file region (from the local copy when it is the same) checked against its CRC-32. */
  async read(slice: StateSlice): Promise<Uint8Array> {
    if (slice.kind === 'inline') {
      this.bytesFromStorage += slice.bytes.byteLength;
      return slice.bytes;
    }
    const fromCopy = await this.readCopy(slice);
    if (fromCopy !== undefined) {
      this.bytesLocal += fromCopy.byteLength;
      return fromCopy;
    }
    try {
      const bytes = await readRegion(await this.handle(slice.path), slice.path, slice);
      this.bytesFromStorage += bytes.byteLength;
      return bytes;
    } catch (error) {
      if (error instanceof SliceMismatch) throw new TsFlinkError('STATE_CORRUPT', `State file ${error.message}.`);
      throw error;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.handles.values()].map(async (handle) => (await handle.catch(() => undefined))?.close()));
  }

  /** The slice from this TaskManager's copy, or undefined when there is none or it differs (logged once per file). */
  private async readCopy(slice: Extract<StateSlice, { kind: 'file' }>): Promise<Uint8Array | undefined> {
    const path = this.local?.copyPathOf(slice.path);
    if (path === undefined || this.badCopies.has(path)) return undefined;
    try {
      return await readRegion(await this.handle(path), path, slice);
    } catch (error) {
      // Slices are read concurrently: log a bad copy once, however many of its slices were in flight.
      if (this.badCopies.has(path)) return undefined;
      this.badCopies.add(path);
      if (error instanceof SliceMismatch) log.warn(`Not using the local state copy: ${error.message}; reading ${slice.path} instead.`);
      else if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.warn(`Cannot read the local state copy ${path}: ${String(error)}.`);
      return undefined;
    }
  }

  private handle(path: string): Promise<FileHandle> {
    let handle = this.handles.get(path);
    if (handle === undefined) {
      handle = open(path, 'r');
      this.handles.set(path, handle);
    }
    return handle;
  }
}

/** Reads one slice of state on its own (tests and tools). */
export async function readSlice(slice: StateSlice): Promise<Uint8Array> {
  const files = new StateFiles(undefined);
  try {
    return await files.read(slice);
  } finally {
    await files.close();
  }
}

/** What a subtask restores, and where the bytes came from. */
export interface ResolvedRestore {
  readonly operators: RestoredOperatorState[];
  /** Bytes read from this TaskManager's local copies (task-local recovery). */
  readonly bytesLocal: number;
  /** Bytes read from checkpoint storage (or carried inline from the JobManager). */
  readonly bytesFromStorage: number;
  /** The keyed state left unread for a streamed restore: the head operator's key-group chains. */
  readonly streamed?: { readonly operatorId: OperatorId; readonly chains: readonly GroupChain[] };
}

/** A failure to read restored state, as the JobManager recognises it (it then falls back to an older checkpoint). */
export function restoreFailure(checkpointId: number, error: unknown): TsFlinkError {
  if (error instanceof TsFlinkError) return error;
  return new TsFlinkError(
    'STATE_CORRUPT',
    `Cannot read the state of checkpoint ${checkpointId}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
    { cause: error },
  );
}

/** The restored chains' shapes, when this subtask's incremental checkpoints build on them (see `restoredChains`). */
function incrementalBaseOf(
  tdd: TaskDeploymentDescriptor,
  operator: OperatorRestoreDescriptor,
): Pick<RestoredOperatorState, 'incrementalBase'> {
  const chains = restoredChains(tdd, operator);
  if (chains === undefined) return {};
  return {
    incrementalBase: {
      checkpointId: tdd.restore!.checkpointId,
      groups: chains.map((chain) => ({
        baseBytes: sliceBytes(chain.base),
        deltaBytes: chain.deltas.reduce((sum, delta) => sum + sliceBytes(delta), 0),
        deltas: chain.deltas.length,
      })),
    },
  };
}

/**
 * The restored checkpoint's key-group chains of one operator, when the subtask takes incremental
 * checkpoints and the JobManager offered them (they are this job's shared files): its first
 * checkpoint then references them for every group that did not change.
 */
export function restoredChains(tdd: TaskDeploymentDescriptor, operator: OperatorRestoreDescriptor): readonly GroupChain[] | undefined {
  return operator.chainsReusable === true && tdd.checkpointing.incremental === true ? operator.keyGroupChains : undefined;
}

/**
 * Turns the restore descriptor of a deployment into the bytes each operator restores from. The
 * keyed state of operator `streamed` (the keyed head of a task with network input) is not read:
 * its chains come back for the task to read group by group while it runs.
 */
export async function resolveRestore(
  tdd: TaskDeploymentDescriptor,
  local?: LocalStateStore,
  streamed?: OperatorId,
): Promise<ResolvedRestore | undefined> {
  if (tdd.restore === undefined) return undefined;
  const files = new StateFiles(local);
  const left = tdd.restore.operators.find((operator) => operator.operatorId === streamed && operator.keyGroupChains !== undefined);
  try {
    const operators = await Promise.all(
      tdd.restore.operators.map(async (operator) => ({
        operatorId: operator.operatorId,
        keyGroupChunks: operator === left ? [] : await Promise.all(operator.keyGroupSlices.map((slice) => files.read(slice))),
        ...incrementalBaseOf(tdd, operator),
        listStates: await Promise.all(
          operator.listStates.map(async (list) => ({
            name: list.name,
            mode: list.mode,
            entries: await Promise.all(list.entries.map((slice) => files.read(slice))),
          })),
        ),
      })),
    );
    return {
      operators,
      bytesLocal: files.bytesLocal,
      bytesFromStorage: files.bytesFromStorage,
      ...(left === undefined ? {} : { streamed: { operatorId: left.operatorId, chains: left.keyGroupChains! } }),
    };
  } catch (error) {
    throw restoreFailure(tdd.restore.checkpointId, error);
  } finally {
    await files.close();
  }
}
