import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assignToKeyGroup, computeKeyGroupRangeForOperatorIndex } from '../../../../src/runtime/keygroups/index.js';
import { HeapKeyedStateBackend } from '../../../../src/runtime/state/heap-keyed-state-backend.js';
import { isDeltaChunk } from '../../../../src/runtime/state/key-group-chunk.js';
import { takeAllChunks, takeAllGroupChunks, type GroupChunk } from '../../../../src/runtime/state/key-group-snapshot.js';
import { ListStateDescriptor } from '../../../../src/runtime/state/state-descriptors.js';
import type { ListState, MapState, ValueState } from '../../../../src/runtime/state/state-types.js';
import { UNCHANGED_GROUP } from '../../../../src/runtime/task-contract.js';
import { INT, listDesc, mapDesc, MAX_P, valueDesc } from './testing-descriptors.js';

function backend(p = 1, index = 0): HeapKeyedStateBackend {
  return new HeapKeyedStateBackend(INT, MAX_P, computeKeyGroupRangeForOperatorIndex(MAX_P, p, index));
}

function write(b: HeapKeyedStateBackend, key: number, round: number): void {
  b.setCurrentKey(key);
  (b.getPartitionedState(valueDesc) as unknown as ValueState<number>).update(key * 10 + round);
  (b.getPartitionedState(listDesc) as unknown as ListState<string>).add(`r${round}`);
  (b.getPartitionedState(mapDesc) as unknown as MapState<string, number>).put(`m${round}`, key);
}

function read(b: HeapKeyedStateBackend, key: number): unknown[] {
  b.setCurrentKey(key);
  return [
    (b.getPartitionedState(valueDesc) as unknown as ValueState<number>).value(),
    [...(b.getPartitionedState(listDesc) as unknown as ListState<string>).get()],
    [...(b.getPartitionedState(mapDesc) as unknown as MapState<string, number>).entries()],
  ];
}

/** Registers every state without setting a key, as an operator's open() does. */
function register(b: HeapKeyedStateBackend): void {
  for (const d of [valueDesc, listDesc, mapDesc]) b.getPartitionedState(d);
}

function chunksOf(b: HeapKeyedStateBackend): Uint8Array[] {
  return takeAllChunks(b.snapshot()).filter((c): c is Uint8Array => c !== undefined);
}

const KEYS = [...Array(60).keys()];
const groupsOf = (keys: readonly number[]): number => new Set(keys.map((k) => assignToKeyGroup(k, MAX_P, INT))).size;

describe('restored key groups decode on first access', () => {
  it('a restore decodes nothing up front, and each group on the first access of one of its keys', () => {
    const old = backend();
    for (const k of KEYS) write(old, k, 1);
    const restored = backend();
    restored.restore(chunksOf(old));
    register(restored);
    assert.equal(restored.undecodedGroups, groupsOf(KEYS));
    assert.deepEqual(read(restored, 7), read(old, 7));
    assert.equal(restored.undecodedGroups, groupsOf(KEYS) - 1, 'only the group of key 7 was decoded');
    assert.deepEqual(
      KEYS.map((k) => read(restored, k)),
      KEYS.map((k) => read(old, k)),
    );
    assert.equal(restored.undecodedGroups, 0);
  });

  it('a snapshot of groups never touched carries their bytes on, and they restore to the same state', () => {
    const old = backend();
    for (const k of KEYS) write(old, k, 1);
    const middle = backend();
    middle.restore(chunksOf(old));
    register(middle);
    write(middle, 3, 2); // one group decoded and changed, the others still encoded
    const last = backend(2, 0);
    last.restore(chunksOf(middle));
    for (const k of KEYS.filter((k) => last.keyGroupRange.contains(assignToKeyGroup(k, MAX_P, INT)))) {
      assert.deepEqual(read(last, k), read(middle, k), `key ${k}`);
    }
  });

  it('a running snapshot keeps a group as restored when the group is decoded and changed before it is written', () => {
    const old = backend();
    for (const k of KEYS) write(old, k, 1);
    const expected = KEYS.map((k) => read(old, k));
    const restored = backend();
    restored.restore(chunksOf(old));
    register(restored);
    const snapshot = restored.snapshot();
    for (const k of KEYS) write(restored, k, 2); // decodes and changes every group while the snapshot runs
    const chunks = takeAllChunks(snapshot).filter((c): c is Uint8Array => c !== undefined);
    const again = backend();
    again.restore(chunks);
    assert.deepEqual(
      KEYS.map((k) => read(again, k)),
      expected,
    );
  });

  it('a chain of a base and deltas with removals applies in order when its group is decoded', () => {
    // Enough keys per group that a change to two keys stays a delta rather than a new base.
    const keys = [...Array(2000).keys()];
    const b = backend();
    for (const k of keys) write(b, k, 1);
    const chains: Uint8Array[][] = [];
    const apply = (chunks: readonly GroupChunk[]): void =>
      chunks.forEach((chunk, g) => {
        if (chunk === UNCHANGED_GROUP) return;
        if (chunk === undefined) chains[g] = [];
        else if (isDeltaChunk(chunk)) (chains[g] ??= []).push(chunk);
        else chains[g] = [chunk];
      });
    apply(takeAllGroupChunks(b.snapshot(1, { incremental: true })));
    b.notifyCheckpointComplete(1);
    write(b, 5, 2);
    b.setCurrentKey(6);
    (b.getPartitionedState(valueDesc) as unknown as ValueState<number>).clear();
    (b.getPartitionedState(mapDesc) as unknown as MapState<string, number>).remove('m1');
    apply(takeAllGroupChunks(b.snapshot(2, { incremental: true })));
    assert.ok(
      chains.some((chain) => chain.length > 1),
      'some group has a delta',
    );
    const restored = backend();
    restored.restore(chains.flatMap((chain) => chain ?? []));
    register(restored);
    assert.ok(restored.undecodedGroups > 0);
    assert.deepEqual(
      keys.map((k) => read(restored, k)),
      keys.map((k) => read(b, k)),
    );
  });

  it('a state registered after its group was decoded for another state waits for the next access', () => {
    const old = backend();
    for (const k of KEYS) write(old, k, 1);
    const restored = backend();
    restored.restore(chunksOf(old));
    restored.getPartitionedState(valueDesc);
    restored.setCurrentKey(9); // decodes the group of key 9 for the value state only
    const other = KEYS.find((k) => assignToKeyGroup(k, MAX_P, INT) !== assignToKeyGroup(9, MAX_P, INT))!;
    restored.setCurrentKey(other); // decodes that group too, and leaves it current
    const before = restored.undecodedGroups;
    restored.getPartitionedState(listDesc);
    restored.getPartitionedState(mapDesc);
    assert.equal(
      restored.undecodedGroups,
      before + 1,
      'the group of key 9 waits again, for the list and map states; the current one is decoded at once',
    );
    assert.deepEqual(read(restored, other), read(old, other));
    assert.deepEqual(read(restored, 9), read(old, 9));
    assert.equal(restored.entryCount('list'), KEYS.length);
  });

  it('refuses a restored state registered as another kind', () => {
    const old = backend();
    write(old, 1, 1);
    const restored = backend();
    restored.restore(chunksOf(old));
    const wrongKind = new ListStateDescriptor<string>('value', { kind: 'STRING' });
    assert.throws(() => restored.getPartitionedState(wrongKind), /was a value state in the checkpoint/);
  });
});
