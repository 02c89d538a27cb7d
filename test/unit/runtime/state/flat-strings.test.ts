import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString, getHeapStatistics } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { computeKeyGroupRangeForOperatorIndex } from '../../../../src/runtime/keygroups/index.js';
import { HeapKeyedStateBackend } from '../../../../src/runtime/state/heap-keyed-state-backend.js';
import { ReducingStateDescriptor, ValueStateDescriptor } from '../../../../src/runtime/state/state-descriptors.js';
import type { ReducingState, ValueState } from '../../../../src/runtime/state/state-types.js';
import { INT, MAX_P } from './testing-descriptors.js';

setFlagsFromString('--expose-gc');
/** A full collection on demand; the flag above makes `gc` a global of contexts created after it. */
const gc = runInNewContext('gc') as () => void;

const KEYS = 20_000;
const LENGTH = 1_000;

/** Heap bytes still in use after two full collections. */
function liveHeap(): number {
  gc();
  gc();
  return getHeapStatistics().used_heap_size;
}

/**
 * What the state keeps per value, after collecting garbage, when every key is given
 * `'x'.repeat(LENGTH)` through `store`. A rope of that string is about 380 bytes (a tree of
 * pieces sharing one another); its flat form is LENGTH bytes and a header.
 */
function keptBytesPerValue(store: (b: HeapKeyedStateBackend, value: string) => void): number {
  const backend = new HeapKeyedStateBackend(INT, MAX_P, computeKeyGroupRangeForOperatorIndex(MAX_P, 1, 0));
  const before = liveHeap();
  for (let key = 0; key < KEYS; key++) {
    backend.setCurrentKey(key);
    store(backend, 'x'.repeat(LENGTH));
  }
  const kept = (liveHeap() - before) / KEYS;
  // Used after the measurement, so the backend cannot be collected before it.
  backend.setCurrentKey(KEYS - 1);
  return kept;
}

describe('strings kept in keyed state', () => {
  it('a value state keeps a string built as a rope in flat form', () => {
    const desc = new ValueStateDescriptor<string>('payload', { kind: 'STRING' });
    const kept = keptBytesPerValue((b, v) => (b.getPartitionedState(desc) as unknown as ValueState<string>).update(v));
    assert.ok(kept >= LENGTH, `${kept.toFixed(0)} bytes kept per ${LENGTH}-character value: still a rope`);
  });

  it('a reducing state keeps a string its reduce function concatenated in flat form', () => {
    const desc = new ReducingStateDescriptor<string>('joined', (a: string, b: string) => a + b, { kind: 'STRING' });
    const kept = keptBytesPerValue((b) => {
      const state = b.getPartitionedState(desc) as unknown as ReducingState<string>;
      state.add('x'.repeat(LENGTH / 2));
      state.add('y'.repeat(LENGTH / 2));
    });
    assert.ok(kept >= LENGTH, `${kept.toFixed(0)} bytes kept per ${LENGTH}-character value: still a rope`);
  });
});
