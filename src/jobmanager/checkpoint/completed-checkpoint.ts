import type { JobId, OperatorId, VertexId } from '../../core/ids.js';
import type { BarrierKind, OperatorStateHandle } from '../../rpc/gateways/checkpoint-messages.js';
import type { StateSlice } from '../../rpc/gateways/task-deployment-descriptor.js';

/** A vertex as it ran when a checkpoint was taken. */
export interface VertexSnapshotInfo {
  readonly vertexId: VertexId;
  readonly parallelism: number;
  readonly maxParallelism: number;
  /** The chain's operators, head first. */
  readonly operatorIds: readonly OperatorId[];
}

/** One operator's state in a checkpoint: entry i is the handle subtask i acknowledged (undefined: none). */
export interface OperatorSnapshot {
  readonly operatorId: OperatorId;
  readonly vertexId: VertexId;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly subtaskStates: ReadonlyArray<OperatorStateHandle | undefined>;
}

/** A checkpoint or savepoint whose metadata is durable: what a restore starts from. */
export interface CompletedCheckpoint {
  readonly jobId: JobId;
  readonly id: number;
  readonly kind: BarrierKind;
  readonly triggerTimestamp: number;
  readonly completionTimestamp: number;
  readonly vertices: readonly VertexSnapshotInfo[];
  readonly operators: readonly OperatorSnapshot[];
  /** Flink's external pointer: `file:<directory>`; undefined when the checkpoint lives only in memory. */
  readonly externalPath: string | undefined;
  /** Plain path of the directory holding `_metadata`; undefined in memory. */
  readonly directory: string | undefined;
  /** Bytes of state acknowledged by the subtasks. */
  readonly stateSize: number;
}

/** The external path Flink reports for a checkpoint kept in the JobManager's memory. */
export const NOT_EXTERNALLY_ADDRESSABLE = '<checkpoint-not-externally-addressable>';

/** Savepoints (also the one stopping a job) are owned by the user and never deleted by tsflink. */
export function isSavepoint(checkpoint: Pick<CompletedCheckpoint, 'kind'>): boolean {
  return checkpoint.kind !== 'CHECKPOINT';
}

/** How logs name a kind of checkpoint. */
export function describeKind(kind: BarrierKind): string {
  return kind === 'CHECKPOINT' ? 'checkpoint' : kind === 'SAVEPOINT' ? 'savepoint' : 'synchronous savepoint';
}

/** The external path as shown in statistics and logs. */
export function displayPath(checkpoint: CompletedCheckpoint): string {
  return checkpoint.externalPath ?? NOT_EXTERNALLY_ADDRESSABLE;
}

/** Whether a handle carries any keyed slice or list-state entry. */
export function handleHasState(handle: OperatorStateHandle | undefined): boolean {
  if (handle === undefined) return false;
  const groups = handle.keyGroups;
  if (
    groups !== undefined &&
    (groups.slices.some((slice) => slice !== null) || groups.deltas?.some((d) => d !== null && d.length > 0) === true)
  )
    return true;
  return handle.listStates !== undefined && handle.listStates.some((list) => list.entries.length > 0);
}

/** Whether any subtask of the operator had state. */
export function operatorHasState(operator: OperatorSnapshot): boolean {
  return operator.subtaskStates.some(handleHasState);
}

/** A copy of the handle with every slice passed through `map` (used to relocate file slices). */
export function mapHandleSlices(handle: OperatorStateHandle, map: (slice: StateSlice) => StateSlice): OperatorStateHandle {
  const copy: { operatorId: OperatorId; keyGroups?: OperatorStateHandle['keyGroups']; listStates?: OperatorStateHandle['listStates'] } = {
    operatorId: handle.operatorId,
  };
  if (handle.keyGroups !== undefined) {
    const deltas = handle.keyGroups.deltas;
    copy.keyGroups = {
      start: handle.keyGroups.start,
      slices: handle.keyGroups.slices.map((slice) => (slice === null ? null : map(slice))),
      ...(deltas !== undefined ? { deltas: deltas.map((chain) => (chain === null ? null : chain.map(map))) } : {}),
    };
  }
  if (handle.listStates !== undefined) {
    copy.listStates = handle.listStates.map((list) => ({ name: list.name, mode: list.mode, entries: list.entries.map(map) }));
  }
  return copy;
}

/** Every distinct file a checkpoint's slices point into, with the least size it must have. */
export function referencedFiles(checkpoint: CompletedCheckpoint): Map<string, number> {
  const files = new Map<string, number>();
  const note = (slice: StateSlice): StateSlice => {
    if (slice.kind === 'file') files.set(slice.path, Math.max(files.get(slice.path) ?? 0, slice.offset + slice.length));
    return slice;
  };
  for (const operator of checkpoint.operators) {
    for (const handle of operator.subtaskStates) if (handle !== undefined) mapHandleSlices(handle, note);
  }
  return files;
}
