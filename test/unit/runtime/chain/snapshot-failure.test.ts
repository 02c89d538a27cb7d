import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamOperatorChain } from '../../../../src/runtime/chain/stream-operator-chain.js';
import type { StreamOperator } from '../../../../src/runtime/operators/stream-operator.js';
import type { KeyedStateSnapshot, OperatorCounters } from '../../../../src/runtime/task-contract.js';
import { asOperatorId } from '../../../helpers/ids.js';

describe('StreamOperatorChain.snapshotState', () => {
  it('releases the keyed snapshots it took when a later operator fails to snapshot', () => {
    let released = 0;
    const keyGroups = {
      start: 0,
      size: 0,
      chunk: () => undefined,
      nextReady: () => undefined,
      release: () => released++,
    } as KeyedStateSnapshot;
    const keyed = { snapshotState: () => ({ operatorId: asOperatorId('keyed'), keyGroups }) } as unknown as StreamOperator;
    const failing = {
      snapshotState: () => {
        throw new Error('snapshot failed');
      },
    } as unknown as StreamOperator;
    const chain = new StreamOperatorChain([asOperatorId('keyed'), asOperatorId('failing')], [keyed, failing], {} as OperatorCounters);
    assert.throws(() => chain.snapshotState(1, 0), /snapshot failed/);
    assert.equal(released, 1, 'the keyed snapshot no longer keeps its groups');
  });
});
