import type { OperatorStateHandle } from '../../rpc/gateways/checkpoint-messages.js';
import type { StateSlice } from '../../rpc/gateways/task-deployment-descriptor.js';

/** How a named list state is redistributed (Flink's OperatorStateHandle.Mode). */
export type ListStateMode = 'SPLIT_DISTRIBUTE' | 'UNION' | 'BROADCAST';

/** One named list state as a new subtask restores it. */
export interface AssignedListState {
  readonly name: string;
  readonly mode: ListStateMode;
  readonly entries: readonly StateSlice[];
}

interface NamedState {
  readonly mode: ListStateMode;
  /** Entries per old subtask that reported the state, in old-subtask order. */
  readonly reports: StateSlice[][];
}

/**
 * Redistributes one operator's list states from the old subtasks to `newParallelism` new ones,
 * with Flink's rules (RoundRobinOperatorStateRepartitioner): SPLIT_DISTRIBUTE keeps each subtask's
 * own entries at equal parallelism and otherwise cuts the concatenation into contiguous chunks,
 * the first (total mod n) one longer, the starting receiver rotating from state to state; UNION
 * gives everyone everything; BROADCAST gives subtask i the copy of old subtask i mod oldP.
 * Named states are visited in order of first appearance (Flink iterates a hash map).
 */
export function repartitionListStates(
  oldStates: ReadonlyArray<OperatorStateHandle | undefined>,
  newParallelism: number,
): AssignedListState[][] {
  const named = groupByName(oldStates);
  const result: AssignedListState[][] = Array.from({ length: newParallelism }, () => []);
  const sameParallelism = oldStates.length === newParallelism;
  let splitStart = 0;
  for (const [name, state] of named) {
    if (state.mode === 'UNION') {
      const all = state.reports.flat();
      for (const assigned of result) assigned.push({ name, mode: state.mode, entries: all });
    } else if (state.mode === 'BROADCAST') {
      for (let i = 0; i < newParallelism; i++)
        result[i]!.push({ name, mode: state.mode, entries: state.reports[i % state.reports.length] ?? [] });
    } else if (sameParallelism) {
      for (let i = 0; i < newParallelism; i++) result[i]!.push({ name, mode: state.mode, entries: ownEntries(oldStates[i], name) });
    } else {
      splitStart = splitContiguously(name, state.reports.flat(), result, splitStart);
    }
  }
  return result;
}

/** Cuts `all` into contiguous chunks over the receivers starting at `start`; returns where the next state starts. */
function splitContiguously(name: string, all: readonly StateSlice[], result: AssignedListState[][], start: number): number {
  const n = result.length;
  const base = Math.floor(all.length / n);
  let remainder = all.length % n;
  let nextStart = start;
  let position = 0;
  for (let i = 0; i < n; i++) {
    const receiver = (i + start) % n;
    let count = base;
    if (remainder > 0) {
      count++;
      remainder--;
    } else if (remainder === 0) {
      // The first receiver without an extra entry starts the next state, for balance.
      nextStart = receiver;
      remainder--;
    }
    result[receiver]!.push({ name, mode: 'SPLIT_DISTRIBUTE', entries: all.slice(position, position + count) });
    position += count;
  }
  return nextStart;
}

function groupByName(oldStates: ReadonlyArray<OperatorStateHandle | undefined>): Map<string, NamedState> {
  const named = new Map<string, NamedState>();
  for (const handle of oldStates) {
    for (const list of handle?.listStates ?? []) {
      let state = named.get(list.name);
      if (state === undefined) {
        state = { mode: list.mode, reports: [] };
        named.set(list.name, state);
      }
      state.reports.push([...list.entries]);
    }
  }
  return named;
}

function ownEntries(handle: OperatorStateHandle | undefined, name: string): StateSlice[] {
  const list = handle?.listStates?.find((candidate) => candidate.name === name);
  return list === undefined ? [] : [...list.entries];
}
