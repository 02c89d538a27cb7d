import type { OperatorId, VertexId } from '../../core/ids.js';
import { TsFlinkError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import type {
  GroupChain,
  OperatorRestoreDescriptor,
  StateSlice,
  TaskRestoreDescriptor,
} from '../../rpc/gateways/task-deployment-descriptor.js';
import type { OperatorStateHandle } from '../../rpc/gateways/checkpoint-messages.js';
import { computeKeyGroupRangeForOperatorIndex } from '../../runtime/keygroups/index.js';
import { displayPath, operatorHasState, type CompletedCheckpoint, type OperatorSnapshot } from './completed-checkpoint.js';
import { repartitionListStates } from './list-state-repartitioner.js';
import { sharedStateRootOf } from './shared-state-registry.js';

const log = getLogger('checkpoint.assignment');

/** A vertex of the execution plan being restored. */
export interface VertexRestorePlan {
  readonly vertexId: VertexId;
  readonly parallelism: number;
  readonly maxParallelism: number;
  /** True when the max parallelism was derived, not configured: it may then adopt the checkpoint's. */
  readonly maxParallelismDerived: boolean;
  /** The chain's operator ids, head first. */
  readonly operatorIds: readonly OperatorId[];
}

/** Options of a restore. */
export interface StateAssignmentOptions {
  /** Skip checkpointed state of operators the new job no longer has (--allowNonRestoredState). */
  readonly allowNonRestoredState?: boolean;
  /**
   * The job owns the checkpoint's shared files (it wrote them, or claimed them), so its new run's
   * incremental checkpoints may reference them: the restore descriptors then carry each group's chain.
   */
  readonly ownsSharedState?: boolean;
}

/** What every new subtask restores from one checkpoint. */
export interface StateAssignment {
  readonly checkpointId: number;
  /** Vertices whose derived max parallelism was replaced by the checkpoint's; the graph must run with these. */
  readonly adoptedMaxParallelism: ReadonlyMap<string, number>;
  /** Per vertex, per subtask: what it restores (no operators when it had no state); undefined for a vertex new to the job. */
  readonly tasks: ReadonlyMap<string, ReadonlyArray<TaskRestoreDescriptor | undefined>>;
  restoreFor(vertexId: VertexId, subtaskIndex: number): TaskRestoreDescriptor | undefined;
}

/** A checkpoint that cannot be restored into the new plan. */
export class StateAssignmentError extends TsFlinkError {
  constructor(
    code: 'STATE_MAX_PARALLELISM_TOO_LOW' | 'STATE_MAX_PARALLELISM_CHANGED' | 'STATE_NOT_RESTORABLE',
    message: string,
    suggestion: string,
  ) {
    super(code, message, { suggestion });
  }
}

/** The max parallelism the checkpoint recorded for any of `operatorIds`; undefined when none is in it. */
export function checkpointMaxParallelism(checkpoint: CompletedCheckpoint, operatorIds: readonly OperatorId[]): number | undefined {
  return checkpoint.operators.find((operator) => operatorIds.includes(operator.operatorId))?.maxParallelism;
}

/**
 * Maps a checkpoint onto a new plan, as Flink's StateAssignmentOperation: keyed state re-split by
 * key-group range, list state redistributed by mode, after checking max parallelism and that every
 * stateful operator of the checkpoint still exists (unless non-restored state is allowed).
 */
export function assignState(
  checkpoint: CompletedCheckpoint,
  plan: readonly VertexRestorePlan[],
  options: StateAssignmentOptions = {},
): StateAssignment {
  checkMappingCompleteness(checkpoint, plan, options.allowNonRestoredState ?? false);
  const byOperator = new Map(checkpoint.operators.map((operator) => [operator.operatorId, operator]));
  const adopted = new Map<string, number>();
  const tasks = new Map<string, Array<TaskRestoreDescriptor | undefined>>();
  const checkpointed = new Set(checkpoint.vertices.flatMap((vertex) => vertex.operatorIds));
  const sharedRoot = options.ownsSharedState === true ? sharedStateRootOf(checkpoint) : undefined;
  for (const vertex of plan) {
    const matched = vertex.operatorIds.flatMap((id) => byOperator.get(id) ?? []);
    if (!matched.some(operatorHasState)) {
      // A vertex the checkpoint knew restores too, with nothing: a source whose splits were all read
      // (or whose subtasks had finished) must start with no splits, not create its splits afresh and
      // emit its input a second time. Only operators new to the job start as a fresh run.
      const known = vertex.operatorIds.some((id) => checkpointed.has(id) || byOperator.has(id));
      const empty = (): TaskRestoreDescriptor => ({ checkpointId: checkpoint.id, operators: [] });
      tasks.set(
        vertex.vertexId,
        Array.from({ length: vertex.parallelism }, () => (known ? empty() : undefined)),
      );
      continue;
    }
    const maxParallelism = checkMaxParallelism(vertex, matched);
    if (maxParallelism !== vertex.maxParallelism) adopted.set(vertex.vertexId, maxParallelism);
    tasks.set(vertex.vertexId, assignVertex(checkpoint.id, matched, maxParallelism, vertex.parallelism, sharedRoot));
  }
  return {
    checkpointId: checkpoint.id,
    adoptedMaxParallelism: adopted,
    tasks,
    restoreFor: (vertexId, subtaskIndex) => tasks.get(vertexId)?.[subtaskIndex],
  };
}

function assignVertex(
  checkpointId: number,
  operators: readonly OperatorSnapshot[],
  maxParallelism: number,
  parallelism: number,
  sharedRoot: string | undefined,
): TaskRestoreDescriptor[] {
  const listStates = operators.map((operator) => repartitionListStates(operator.subtaskStates, parallelism));
  return Array.from({ length: parallelism }, (_, subtask) => ({
    checkpointId,
    operators: operators.map((operator, index): OperatorRestoreDescriptor => {
      const chains = keyedChains(operator, maxParallelism, parallelism, subtask);
      return {
        operatorId: operator.operatorId,
        keyGroupSlices: keyedSlices(operator, maxParallelism, parallelism, subtask),
        ...(chains === undefined ? {} : { keyGroupChains: chains }),
        ...(chains !== undefined && sharedRoot !== undefined && chainsIn(chains, sharedRoot) ? { chainsReusable: true } : {}),
        listStates: listStates[index]![subtask]!,
      };
    }),
  }));
}

/**
 * The chain of every key group of new subtask `subtask`'s range, in group order (an empty chain
 * where no old subtask held the group); undefined when the operator has no keyed state.
 */
function keyedChains(operator: OperatorSnapshot, maxParallelism: number, parallelism: number, subtask: number): GroupChain[] | undefined {
  if (!operator.subtaskStates.some((handle) => handle?.keyGroups !== undefined)) return undefined;
  const range = computeKeyGroupRangeForOperatorIndex(maxParallelism, parallelism, subtask);
  const chains: GroupChain[] = Array.from({ length: range.size() }, () => ({ base: null, deltas: [] }));
  for (const handle of operator.subtaskStates) {
    const groups = handle?.keyGroups;
    if (groups === undefined) continue;
    const from = Math.max(range.startKeyGroup, groups.start);
    const to = Math.min(range.endKeyGroup, groups.start + groups.slices.length - 1);
    for (let keyGroup = from; keyGroup <= to; keyGroup++) {
      chains[keyGroup - range.startKeyGroup] = {
        base: groups.slices[keyGroup - groups.start] ?? null,
        deltas: groups.deltas?.[keyGroup - groups.start] ?? [],
      };
    }
  }
  return chains;
}

/** True when every slice of `chains` is inline or a file under `sharedRoot`: only files the shared-state registry counts may be referenced again. */
function chainsIn(chains: readonly GroupChain[], sharedRoot: string): boolean {
  // An inline slice (a snapshot below the inline threshold) travels in the metadata: any checkpoint may carry it on.
  const shared = (slice: StateSlice | null): boolean => slice === null || slice.kind === 'inline' || slice.path.startsWith(sharedRoot);
  return chains.every((chain) => shared(chain.base) && chain.deltas.every(shared));
}

/**
 * The keyed slices of new subtask `subtask`: its own at equal parallelism, else every old slice of
 * its key-group range. Per group, the base comes first and its deltas follow in order, which is
 * the order a restore applies them in.
 */
function keyedSlices(operator: OperatorSnapshot, maxParallelism: number, parallelism: number, subtask: number): StateSlice[] {
  const slices: StateSlice[] = [];
  const addGroup = (groups: NonNullable<OperatorStateHandle['keyGroups']>, offset: number): void => {
    const base = groups.slices[offset];
    if (base !== null && base !== undefined) slices.push(base);
    for (const delta of groups.deltas?.[offset] ?? []) slices.push(delta);
  };
  if (operator.subtaskStates.length === parallelism) {
    const groups = operator.subtaskStates[subtask]?.keyGroups;
    if (groups !== undefined) for (let offset = 0; offset < groups.slices.length; offset++) addGroup(groups, offset);
    return slices;
  }
  const range = computeKeyGroupRangeForOperatorIndex(maxParallelism, parallelism, subtask);
  for (const handle of operator.subtaskStates) {
    const groups = handle?.keyGroups;
    if (groups === undefined) continue;
    const from = Math.max(range.startKeyGroup, groups.start);
    const to = Math.min(range.endKeyGroup, groups.start + groups.slices.length - 1);
    for (let keyGroup = from; keyGroup <= to; keyGroup++) addGroup(groups, keyGroup - groups.start);
  }
  return slices;
}

/** Flink's preconditions; returns the max parallelism to restore with. */
function checkMaxParallelism(vertex: VertexRestorePlan, operators: readonly OperatorSnapshot[]): number {
  const recorded = operators[0]!.maxParallelism;
  if (operators.some((operator) => operator.maxParallelism !== recorded)) {
    throw new StateAssignmentError(
      'STATE_MAX_PARALLELISM_CHANGED',
      `The operators chained in vertex ${vertex.vertexId} were checkpointed with different maximum parallelisms.`,
      'restore from a checkpoint taken by the same job graph',
    );
  }
  if (recorded < vertex.parallelism) {
    throw new StateAssignmentError(
      'STATE_MAX_PARALLELISM_TOO_LOW',
      `Cannot restore vertex ${vertex.vertexId} at parallelism ${vertex.parallelism}: its state was checkpointed with maximum parallelism ${recorded}, which is lower.`,
      `lower the parallelism of the vertex to at most ${recorded}`,
    );
  }
  if (recorded !== vertex.maxParallelism && !vertex.maxParallelismDerived) {
    throw new StateAssignmentError(
      'STATE_MAX_PARALLELISM_CHANGED',
      `Cannot restore vertex ${vertex.vertexId}: its state was checkpointed with maximum parallelism ${recorded}, but the job now sets ${vertex.maxParallelism}; changing the maximum parallelism of stateful operators is not supported.`,
      `set the maximum parallelism back to ${recorded}, or leave it unset so it is taken from the checkpoint`,
    );
  }
  return recorded;
}

function checkMappingCompleteness(
  checkpoint: CompletedCheckpoint,
  plan: readonly VertexRestorePlan[],
  allowNonRestoredState: boolean,
): void {
  const known = new Set(plan.flatMap((vertex) => vertex.operatorIds));
  const unmapped = checkpoint.operators
    .filter((operator) => !known.has(operator.operatorId) && operatorHasState(operator))
    .map((operator) => operator.operatorId);
  if (unmapped.length === 0) return;
  if (allowNonRestoredState) {
    for (const id of unmapped) log.info(`Skipping the state of operator ${id} in ${displayPath(checkpoint)}: the job no longer has it.`);
    return;
  }
  throw new StateAssignmentError(
    'STATE_NOT_RESTORABLE',
    `Cannot restore ${displayPath(checkpoint)}: the state of operator(s) ${unmapped.join(', ')} has no operator in the new job.`,
    'allow non-restored state (flink run --allowNonRestoredState, or execution.state-recovery.ignore-unclaimed-state: true) to skip it',
  );
}
