import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assignToKeyGroup, computeKeyGroupRangeForOperatorIndex } from '../../../../src/runtime/keygroups/index.js';
import { HeapKeyedStateBackend } from '../../../../src/runtime/state/heap-keyed-state-backend.js';
import { KeyGroupChunkWriter } from '../../../../src/runtime/state/key-group-chunk.js';
import { ReducingStateDescriptor, ValueStateDescriptor } from '../../../../src/runtime/state/state-descriptors.js';
import type { ReducingState, ValueState } from '../../../../src/runtime/state/state-types.js';
import { INT, listDesc, MAX_P } from './testing-descriptors.js';
import type { ListState } from '../../../../src/runtime/state/state-types.js';
import { takeAllChunks } from '../../../../src/runtime/state/key-group-snapshot.js';
import { TimeWindow } from '../../../../src/runtime/windowing/windows.js';

const payloadDesc = new ValueStateDescriptor<string>('payload', { kind: 'STRING' });
const countDesc = new ReducingStateDescriptor<number>('count', (a: number, b: number) => a + b, INT);

function backend(): HeapKeyedStateBackend {
  return new HeapKeyedStateBackend(INT, MAX_P, computeKeyGroupRangeForOperatorIndex(MAX_P, 1, 0));
}

function write(b: HeapKeyedStateBackend, key: number, round: number): void {
  b.setCurrentKey(key);
  (b.getPartitionedState(payloadDesc) as unknown as ValueState<string>).update(`p${key}-${round}`);
  (b.getPartitionedState(countDesc) as unknown as ReducingState<number>).add(1);
}

function read(b: HeapKeyedStateBackend, key: number): unknown[] {
  b.setCurrentKey(key);
  return [
    (b.getPartitionedState(payloadDesc) as unknown as ValueState<string>).value(),
    (b.getPartitionedState(countDesc) as unknown as ReducingState<number>).get(),
  ];
}

/** Counts KeyGroupChunkWriter.writeState calls while `run` runs. */
function countWrites(run: () => void): number {
  const original = KeyGroupChunkWriter.prototype.writeState;
  let calls = 0;
  KeyGroupChunkWriter.prototype.writeState = function (...args: Parameters<typeof original>) {
    calls++;
    return original.apply(this, args);
  };
  try {
    run();
  } finally {
    KeyGroupChunkWriter.prototype.writeState = original;
  }
  return calls;
}

const KEYS = [...Array(300).keys()];

describe('copy-on-write of states with immutable values', () => {
  it('a group about to change is frozen and encoded only when the writer takes it', () => {
    const b = backend();
    for (const k of KEYS) write(b, k, 1);
    const expected = KEYS.map((k) => read(b, k));
    const snapshot = b.snapshot();
    const preservingWrites = countWrites(() => {
      for (const k of KEYS) write(b, k, 2); // changes every value of every group
      b.setCurrentKey(4);
      (b.getPartitionedState(payloadDesc) as unknown as ValueState<string>).clear(); // a removal
      write(b, 100_000, 2); // an entry added after the barrier
    });
    assert.equal(preservingWrites, 0, 'nothing was encoded on the record path');
    const chunks: Uint8Array[] = [];
    const takingWrites = countWrites(() => {
      for (let g = 0; g < snapshot.size; g++) {
        const chunk = snapshot.chunk(g);
        if (chunk instanceof Uint8Array) chunks.push(chunk);
      }
    });
    snapshot.release();
    assert.ok(takingWrites > 0, 'the writer encoded the groups');
    const restored = backend();
    restored.restore(chunks);
    assert.deepEqual(
      KEYS.map((k) => read(restored, k)),
      expected,
    );
    assert.deepEqual(read(restored, 100_000), [undefined, undefined], 'the entry added after the barrier is not in the snapshot');
    assert.deepEqual(read(b, 4), [undefined, 2], 'the live state did change');
  });

  it('keeps only what changed, through removals, re-adds, window namespaces and two snapshots at once', () => {
    const b = backend();
    const windowed = new ValueStateDescriptor<string>('windowed', { kind: 'STRING' });
    const w1 = new TimeWindow(0, 10);
    const w2 = new TimeWindow(10, 20);
    const inWindow = (key: number, window: TimeWindow, value: string | undefined): string | undefined => {
      b.setCurrentKey(key);
      const state = b.getPartitionedState(windowed) as unknown as ValueState<string> & { setCurrentNamespace(n: unknown): void };
      state.setCurrentNamespace(window);
      if (value !== undefined) state.update(value);
      return state.value();
    };
    for (const k of KEYS) write(b, k, 1);
    inWindow(7, w1, 'w1-a');
    const first = b.snapshot(1);
    const atFirst = KEYS.map((k) => read(b, k));
    write(b, 3, 2);
    b.setCurrentKey(5);
    (b.getPartitionedState(payloadDesc) as unknown as ValueState<string>).clear();
    write(b, 5, 3); // removed, then added again: the snapshot still holds the barrier-time entry
    inWindow(7, w1, 'w1-b');
    inWindow(7, w2, 'w2-new');
    const second = b.snapshot(2);
    const atSecond = KEYS.map((k) => read(b, k));
    write(b, 3, 4);
    write(b, 5, 4);
    inWindow(7, w1, 'w1-c');
    const restoreFrom = (snapshot: ReturnType<HeapKeyedStateBackend['snapshot']>): HeapKeyedStateBackend => {
      const restored = backend();
      restored.restore(takeAllChunks(snapshot).filter((chunk): chunk is Uint8Array => chunk !== undefined));
      return restored;
    };
    const fromFirst = restoreFrom(first);
    const fromSecond = restoreFrom(second);
    assert.deepEqual(
      KEYS.map((k) => read(fromFirst, k)),
      atFirst,
    );
    assert.deepEqual(
      KEYS.map((k) => read(fromSecond, k)),
      atSecond,
    );
    const windowOf = (from: HeapKeyedStateBackend, window: TimeWindow): string | undefined => {
      from.setCurrentKey(7);
      const state = from.getPartitionedState(windowed) as unknown as ValueState<string> & { setCurrentNamespace(n: unknown): void };
      state.setCurrentNamespace(window);
      return state.value();
    };
    assert.deepEqual([windowOf(fromFirst, w1), windowOf(fromFirst, w2)], ['w1-a', undefined]);
    assert.deepEqual([windowOf(fromSecond, w1), windowOf(fromSecond, w2)], ['w1-b', 'w2-new']);
    assert.deepEqual(read(b, 3), ['p3-4', 3], 'the live state has every change');
    const tables = [payloadDesc, countDesc, windowed].map((d) => b.getPartitionedState(d).table);
    assert.deepEqual(
      tables.map((table) => table.keepers.length),
      [0, 0, 0],
      'released snapshots keep nothing',
    );
  });

  it('a state whose values may change in place (a list) is encoded at the change, as before', () => {
    const b = backend();
    b.setCurrentKey(1);
    const list = b.getPartitionedState(listDesc) as unknown as ListState<string>;
    list.add('before');
    const snapshot = b.snapshot();
    const writes = countWrites(() => {
      b.setCurrentKey(1);
      list.add('after');
    });
    assert.ok(writes > 0, 'the group was encoded before it changed');
    const offset = assignToKeyGroup(1, MAX_P, INT);
    const chunk = snapshot.chunk(offset);
    snapshot.release();
    const restored = backend();
    restored.restore([chunk as Uint8Array]);
    restored.setCurrentKey(1);
    assert.deepEqual([...(restored.getPartitionedState(listDesc) as unknown as ListState<string>).get()], ['before']);
  });
});
