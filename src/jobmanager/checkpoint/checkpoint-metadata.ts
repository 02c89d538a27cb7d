import { isAbsolute, join, relative, sep } from 'node:path';
import { TsFlinkError } from '../../core/errors.js';
import type { JobId, OperatorId, VertexId } from '../../core/ids.js';
import type { BarrierKind, OperatorStateHandle } from '../../rpc/gateways/checkpoint-messages.js';
import type { StateSlice } from '../../rpc/gateways/task-deployment-descriptor.js';
import type { CompletedCheckpoint, OperatorSnapshot, VertexSnapshotInfo } from './completed-checkpoint.js';

/** Name of the metadata file of every checkpoint and savepoint directory (Flink's). */
export const METADATA_FILE_NAME = '_metadata';

const FORMAT = 'tsflink-checkpoint-metadata';
const VERSION = 1;
const KINDS: readonly BarrierKind[] = ['CHECKPOINT', 'SAVEPOINT', 'SYNC_SAVEPOINT'];
const LIST_MODES = ['SPLIT_DISTRIBUTE', 'UNION', 'BROADCAST'] as const;

/** A `_metadata` file that cannot be read as a checkpoint of this format. */
export class CheckpointMetadataError extends TsFlinkError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CHECKPOINT_METADATA_INVALID', message, options);
  }
}

type EncodedSlice = { inline: string } | { file: string; offset: number; length: number; crc32: number };

/**
 * Encodes a checkpoint as versioned JSON. Inline slices become base64; file slices inside the
 * checkpoint's own directory are stored relative to it, so a savepoint can be moved as a whole.
 */
export function encodeCheckpointMetadata(checkpoint: CompletedCheckpoint, directory: string): Uint8Array {
  const encodeSlice = (slice: StateSlice): EncodedSlice => {
    if (slice.kind === 'inline')
      return { inline: Buffer.from(slice.bytes.buffer, slice.bytes.byteOffset, slice.bytes.byteLength).toString('base64') };
    const rel = relative(directory, slice.path);
    const inside = rel.length > 0 && !rel.startsWith('..') && !isAbsolute(rel);
    return { file: inside ? rel.split(sep).join('/') : slice.path, offset: slice.offset, length: slice.length, crc32: slice.crc32 };
  };
  const body = {
    format: FORMAT,
    version: VERSION,
    jobId: checkpoint.jobId,
    checkpointId: checkpoint.id,
    kind: checkpoint.kind,
    triggerTimestamp: checkpoint.triggerTimestamp,
    completionTimestamp: checkpoint.completionTimestamp,
    stateSize: checkpoint.stateSize,
    vertices: checkpoint.vertices,
    operators: checkpoint.operators.map((operator) => ({
      operatorId: operator.operatorId,
      vertexId: operator.vertexId,
      parallelism: operator.parallelism,
      maxParallelism: operator.maxParallelism,
      subtaskStates: operator.subtaskStates.map((handle) => (handle === undefined ? null : encodeHandle(handle, encodeSlice))),
    })),
  };
  return Buffer.from(JSON.stringify(body), 'utf8');
}

function encodeHandle(handle: OperatorStateHandle, encodeSlice: (slice: StateSlice) => EncodedSlice): unknown {
  return {
    operatorId: handle.operatorId,
    keyGroups:
      handle.keyGroups === undefined
        ? undefined
        : {
            start: handle.keyGroups.start,
            slices: handle.keyGroups.slices.map((slice) => (slice === null ? null : encodeSlice(slice))),
            deltas: handle.keyGroups.deltas?.map((chain) => (chain === null ? null : chain.map(encodeSlice))),
          },
    listStates: handle.listStates?.map((list) => ({ name: list.name, mode: list.mode, entries: list.entries.map(encodeSlice) })),
  };
}

/** Decodes `_metadata` bytes read from `directory`; throws CheckpointMetadataError on anything unexpected. */
export function decodeCheckpointMetadata(bytes: Uint8Array, directory: string): CompletedCheckpoint {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new CheckpointMetadataError(`${join(directory, METADATA_FILE_NAME)} is not valid JSON (truncated or overwritten).`, {
      cause: error,
    });
  }
  const doc = record(raw, 'metadata');
  if (doc.format !== FORMAT)
    throw new CheckpointMetadataError(`${join(directory, METADATA_FILE_NAME)} is not tsflink checkpoint metadata.`);
  if (doc.version !== VERSION)
    throw new CheckpointMetadataError(
      `${join(directory, METADATA_FILE_NAME)} has format version ${String(doc.version)}; this version reads ${VERSION}.`,
    );
  const kind = doc.kind as BarrierKind;
  if (!KINDS.includes(kind)) throw new CheckpointMetadataError(`Unknown checkpoint kind '${String(doc.kind)}'.`);
  const decodeSlice = (value: unknown): StateSlice => sliceFrom(value, directory);
  return {
    jobId: idText<JobId>(doc.jobId, 'jobId'),
    id: count(doc.checkpointId, 'checkpointId'),
    kind,
    triggerTimestamp: count(doc.triggerTimestamp, 'triggerTimestamp'),
    completionTimestamp: count(doc.completionTimestamp, 'completionTimestamp'),
    stateSize: count(doc.stateSize, 'stateSize'),
    vertices: array(doc.vertices, 'vertices').map(vertexFrom),
    operators: array(doc.operators, 'operators').map((value) => operatorFrom(value, decodeSlice)),
    externalPath: `file:${directory}`,
    directory,
  };
}

function vertexFrom(value: unknown): VertexSnapshotInfo {
  const v = record(value, 'vertex');
  return {
    vertexId: idText<VertexId>(v.vertexId, 'vertexId'),
    parallelism: count(v.parallelism, 'parallelism'),
    maxParallelism: count(v.maxParallelism, 'maxParallelism'),
    operatorIds: array(v.operatorIds, 'operatorIds').map((id) => idText<OperatorId>(id, 'operatorId')),
  };
}

function operatorFrom(value: unknown, decodeSlice: (value: unknown) => StateSlice): OperatorSnapshot {
  const o = record(value, 'operator');
  return {
    operatorId: idText<OperatorId>(o.operatorId, 'operatorId'),
    vertexId: idText<VertexId>(o.vertexId, 'vertexId'),
    parallelism: count(o.parallelism, 'parallelism'),
    maxParallelism: count(o.maxParallelism, 'maxParallelism'),
    subtaskStates: array(o.subtaskStates, 'subtaskStates').map((h) => (h === null ? undefined : handleFrom(h, decodeSlice))),
  };
}

function handleFrom(value: unknown, decodeSlice: (value: unknown) => StateSlice): OperatorStateHandle {
  const h = record(value, 'state handle');
  const handle: { operatorId: OperatorId; keyGroups?: OperatorStateHandle['keyGroups']; listStates?: OperatorStateHandle['listStates'] } = {
    operatorId: idText<OperatorId>(h.operatorId, 'operatorId'),
  };
  if (h.keyGroups !== undefined) {
    const kg = record(h.keyGroups, 'keyGroups');
    handle.keyGroups = {
      start: count(kg.start, 'keyGroups.start'),
      slices: array(kg.slices, 'keyGroups.slices').map((s) => (s === null ? null : decodeSlice(s))),
      ...(kg.deltas !== undefined
        ? {
            deltas: array(kg.deltas, 'keyGroups.deltas').map((chain) =>
              chain === null ? null : array(chain, 'keyGroups.deltas[]').map(decodeSlice),
            ),
          }
        : {}),
    };
  }
  if (h.listStates !== undefined) {
    handle.listStates = array(h.listStates, 'listStates').map((l) => {
      const list = record(l, 'list state');
      const mode = list.mode as (typeof LIST_MODES)[number];
      if (!LIST_MODES.includes(mode)) throw new CheckpointMetadataError(`Unknown list state mode '${String(list.mode)}'.`);
      return { name: text(list.name, 'listStates.name'), mode, entries: array(list.entries, 'listStates.entries').map(decodeSlice) };
    });
  }
  return handle;
}

function sliceFrom(value: unknown, directory: string): StateSlice {
  const s = record(value, 'slice');
  if (typeof s.inline === 'string') return { kind: 'inline', bytes: new Uint8Array(Buffer.from(s.inline, 'base64')) };
  const file = text(s.file, 'slice.file');
  const path = isAbsolute(file) ? file : join(directory, ...file.split('/'));
  return {
    kind: 'file',
    path,
    offset: count(s.offset, 'slice.offset'),
    length: count(s.length, 'slice.length'),
    crc32: count(s.crc32, 'slice.crc32'),
  };
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new CheckpointMetadataError(`Checkpoint metadata: ${what} is not an object.`);
  return value as Record<string, unknown>;
}

function array(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new CheckpointMetadataError(`Checkpoint metadata: ${what} is not a list.`);
  return value;
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new CheckpointMetadataError(`Checkpoint metadata: ${what} is not a string.`);
  return value;
}

/** An id read from the file: where it enters the process, so where it is branded. */
function idText<T extends JobId | VertexId | OperatorId>(value: unknown, what: string): T {
  return text(value, what) as T;
}

function count(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new CheckpointMetadataError(`Checkpoint metadata: ${what} is not a non-negative integer.`);
  return value;
}
