/** Rewriting every slice a persisted snapshot references, e.g. to inline a snapshot that stayed small. */
import type { OperatorStateHandle } from '../../rpc/gateways/checkpoint-messages.js';
import type { GroupChain, StateSlice } from '../../rpc/gateways/task-deployment-descriptor.js';
import type { OperatorId } from '../../core/ids.js';

/** The parts of a persisted snapshot that reference slices. */
export interface SliceReferences {
  readonly operators: OperatorStateHandle[];
  readonly chains: Map<OperatorId, GroupChain[]>;
}

/** `persisted` with every slice (handles and chains alike) replaced by `swap(slice)`. */
export function withSlicesSwapped<T extends SliceReferences>(persisted: T, swap: (slice: StateSlice) => StateSlice): T {
  const chain = ({ base, deltas }: GroupChain): GroupChain => ({ base: base === null ? null : swap(base), deltas: deltas.map(swap) });
  const operators = persisted.operators.map((operator): OperatorStateHandle => {
    const { keyGroups, listStates } = operator;
    return {
      ...operator,
      ...(keyGroups === undefined
        ? {}
        : {
            keyGroups: {
              ...keyGroups,
              slices: keyGroups.slices.map((slice) => (slice === null ? null : swap(slice))),
              ...(keyGroups.deltas === undefined
                ? {}
                : { deltas: keyGroups.deltas.map((deltas) => (deltas === null ? null : deltas.map(swap))) }),
            },
          }),
      ...(listStates === undefined ? {} : { listStates: listStates.map((list) => ({ ...list, entries: list.entries.map(swap) })) }),
    };
  });
  const chains = new Map([...persisted.chains].map(([operatorId, groups]) => [operatorId, groups.map(chain)] as const));
  return { ...persisted, operators, chains };
}
