import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assignToKeyGroup, computeKeyGroupRangeForOperatorIndex } from '../../../../src/runtime/keygroups/index.js';
import { HeapKeyedStateBackend } from '../../../../src/runtime/state/heap-keyed-state-backend.js';
import { avgDesc, INT, listDesc, mapDesc, MAX_P, sumDesc, valueDesc } from './testing-descriptors.js';
import { ValueStateDescriptor } from '../../../../src/runtime/state/state-descriptors.js';
import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from '../../../../src/runtime/state/state-types.js';
import { TimeWindow } from '../../../../src/runtime/windowing/windows.js';
import { InternalTimerService } from '../../../../src/runtime/timers/internal-timer-service.js';
import { TestingProcessingTimeService } from '../testing.js';
import { takeAllChunks } from '../../../../src/runtime/state/key-group-snapshot.js';
import type { KeyedStateSnapshot as KeyedSnapshot } from '../../../../src/runtime/task-contract.js';

function backend(p: number, index: number, keyType = INT as typeof INT | undefined): HeapKeyedStateBackend {
  return new HeapKeyedStateBackend(keyType, MAX_P, computeKeyGroupRangeForOperatorIndex(MAX_P, p, index));
}

/** The backend of the subtask that owns `key` at parallelism p. */
function owner(backends: HeapKeyedStateBackend[], key: number): HeapKeyedStateBackend {
  const kg = assignToKeyGroup(key, MAX_P, INT);
  return backends.find((b) => b.keyGroupRange.contains(kg))!;
}

function writeAll(b: HeapKeyedStateBackend, key: number): void {
  b.setCurrentKey(key);
  (b.getPartitionedState(valueDesc) as unknown as ValueState<number>).update(key * 10);
  const list = b.getPartitionedState(listDesc) as unknown as ListState<string>;
  list.add(`a${key}`);
  list.add(`b${key}`);
  const map = b.getPartitionedState(mapDesc) as unknown as MapState<string, number>;
  map.put('x', key);
  map.put('y', key + 1);
  const sum = b.getPartitionedState(sumDesc) as unknown as ReducingState<number>;
  sum.add(key);
  sum.add(1);
  const avg = b.getPartitionedState(avgDesc) as unknown as AggregatingState<number, number>;
  avg.add(key);
  avg.add(key + 2);
}

function readAll(b: HeapKeyedStateBackend, key: number): unknown[] {
  b.setCurrentKey(key);
  return [
    (b.getPartitionedState(valueDesc) as unknown as ValueState<number>).value(),
    [...(b.getPartitionedState(listDesc) as unknown as ListState<string>).get()],
    [...(b.getPartitionedState(mapDesc) as unknown as MapState<string, number>).entries()],
    (b.getPartitionedState(sumDesc) as unknown as ReducingState<number>).get(),
    (b.getPartitionedState(avgDesc) as unknown as AggregatingState<number, number>).get(),
  ];
}

describe('HeapKeyedStateBackend', () => {
  it('keeps each state type per key', () => {
    const b = backend(1, 0);
    writeAll(b, 1);
    writeAll(b, 2);
    assert.deepEqual(readAll(b, 1), [
      10,
      ['a1', 'b1'],
      [
        ['x', 1],
        ['y', 2],
      ],
      2,
      2,
    ]);
    assert.deepEqual(readAll(b, 2), [
      20,
      ['a2', 'b2'],
      [
        ['x', 2],
        ['y', 3],
      ],
      3,
      3,
    ]);
    b.setCurrentKey(3);
    assert.equal((b.getPartitionedState(valueDesc) as unknown as ValueState<number>).value(), undefined);
    assert.deepEqual([...(b.getPartitionedState(listDesc) as unknown as ListState<string>).get()], []);
  });

  it('clears one key and keeps the others; null updates clear a value', () => {
    const b = backend(1, 0);
    writeAll(b, 1);
    writeAll(b, 2);
    b.setCurrentKey(1);
    const value = b.getPartitionedState(valueDesc) as unknown as ValueState<number>;
    value.update(null);
    (b.getPartitionedState(mapDesc) as unknown as MapState<string, number>).remove('x');
    assert.equal(value.value(), undefined);
    assert.deepEqual([...(b.getPartitionedState(mapDesc) as unknown as MapState<string, number>).keys()], ['y']);
    assert.equal(readAll(b, 2)[0], 20);
  });

  it('a snapshot keeps every group as it was when taken while the state goes on changing (copy-on-write)', () => {
    const b = backend(1, 0);
    const keys = [...Array(40).keys()];
    for (const k of keys) writeAll(b, k);
    const expected = keys.map((k) => readAll(b, k));
    const snapshot = b.snapshot();
    // Half the groups are taken before the changes, the rest after: both halves must hold the old state.
    const early = [...Array(snapshot.size / 2).keys()].map((offset) => snapshot.chunk(offset));
    for (const k of keys) writeAll(b, k); // every value, list, map, sum and average changes
    b.setCurrentKey(3);
    (b.getPartitionedState(valueDesc) as unknown as ValueState<number>).update(null);
    const late = [...Array(snapshot.size / 2).keys()].map((offset) => snapshot.chunk(snapshot.size / 2 + offset));
    snapshot.release();

    const restored = backend(1, 0);
    restored.restore([...early, ...late].filter((c): c is Uint8Array => c !== undefined));
    assert.deepEqual(
      keys.map((k) => readAll(restored, k)),
      expected,
    );
    assert.notDeepEqual(readAll(b, 5), readAll(restored, 5), 'the live state did change');
  });

  it('snapshots one after another and two at once each write their own state, borrowed chunks included', () => {
    const b = backend(1, 0);
    const keys = [...Array(40).keys()];
    const stateNow = (): unknown[][] => keys.map((k) => readAll(b, k));
    // Borrowed bytes are only valid until the next group: copied at once, as the persister does.
    const takeAll = (snapshot: KeyedSnapshot, order: number[]): Uint8Array[] =>
      order.flatMap((offset) => {
        const chunk = snapshot.chunk(offset, true);
        return chunk instanceof Uint8Array ? [new Uint8Array(chunk)] : [];
      });
    const restoredFrom = (chunks: Uint8Array[]): unknown[][] => {
      const restored = backend(1, 0);
      restored.restore(chunks);
      return keys.map((k) => readAll(restored, k));
    };
    const groups = [...Array(MAX_P).keys()];

    for (const k of keys) writeAll(b, k);
    const atFirst = stateNow();
    const first = b.snapshot();
    const firstChunks = takeAll(first, groups);
    first.release();

    for (const k of keys) writeAll(b, k);
    const atSecond = stateNow();
    // The second takes the encoder the first released; the third, taken while the second is open, gets its own.
    const second = b.snapshot();
    for (const k of keys) writeAll(b, k);
    const atThird = stateNow();
    const third = b.snapshot();
    for (const k of keys) writeAll(b, k);
    const secondChunks: Uint8Array[] = [];
    const thirdChunks: Uint8Array[] = [];
    for (const offset of groups) {
      secondChunks.push(...takeAll(second, [offset]));
      thirdChunks.push(...takeAll(third, [groups.length - 1 - offset]));
    }
    second.release();
    third.release();

    assert.deepEqual(restoredFrom(firstChunks), atFirst);
    assert.deepEqual(restoredFrom(secondChunks), atSecond);
    assert.deepEqual(restoredFrom(thirdChunks), atThird);
    assert.notDeepEqual(atSecond, atThird, 'the state changed between the snapshots');
  });

  it('a snapshot that failed to encode a group while records flowed hands the error to its writer', () => {
    const b = backend(1, 0);
    const bad = new ValueStateDescriptor<unknown>('bad', INT);
    b.setCurrentKey(1);
    (b.getPartitionedState(bad) as unknown as ValueState<unknown>).update({ not: 'an int' });
    const snapshot = b.snapshot();
    assert.doesNotThrow(() => b.setCurrentKey(1), 'the record path is not failed by the snapshot');
    const offset = assignToKeyGroup(1, MAX_P, INT);
    assert.throws(() => snapshot.chunk(offset));
    snapshot.release();
  });

  it('refuses a key outside the subtask range', () => {
    const b = backend(2, 0); // key groups 0..63
    const outside = [...Array(100).keys()].find((k) => assignToKeyGroup(k, MAX_P, INT) >= 64)!;
    assert.throws(() => b.setCurrentKey(outside), /not in/);
  });

  it('writes composite keys as the keys themselves, not their canonical form, frozen groups included', () => {
    const pair = { kind: 'TUPLE', fields: [INT, { kind: 'STRING' }] } as const;
    const keys: [number, string][] = [...Array(30).keys()].map((i) => [i, `k${i}`]);
    const make = (): HeapKeyedStateBackend => new HeapKeyedStateBackend(pair, MAX_P, computeKeyGroupRangeForOperatorIndex(MAX_P, 1, 0));
    const value = (b: HeapKeyedStateBackend, key: [number, string]): ValueState<number> => {
      b.setCurrentKey([...key]); // an equal key, not the same array
      return b.getPartitionedState(valueDesc) as unknown as ValueState<number>;
    };
    const b = make();
    for (const key of keys) value(b, key).update(key[0]);
    const snapshot = b.snapshot();
    for (const key of keys) value(b, key).update(key[0] + 100); // every group is frozen at its first change
    value(b, keys[3]!).clear();
    const restored = make();
    restored.restore(takeAllChunks(snapshot).filter((c): c is Uint8Array => c !== undefined));
    assert.deepEqual(
      keys.map((key) => value(restored, key).value()),
      keys.map(([i]) => i),
    );
    const again = make();
    again.restore(takeAllChunks(b.snapshot()).filter((c): c is Uint8Array => c !== undefined));
    assert.deepEqual(
      keys.map((key) => value(again, key).value()),
      keys.map(([i]) => (i === 3 ? undefined : i + 100)),
    );
  });

  it('restores every key exactly once after a re-split from parallelism 2 to 3', () => {
    const keys = [...Array(200).keys()];
    const old = [backend(2, 0), backend(2, 1)];
    for (const k of keys) writeAll(owner(old, k), k);
    const snapshots = old.map((b) => ({ start: b.keyGroupRange.startKeyGroup, chunks: takeAllChunks(b.snapshot()) }));

    const fresh = [0, 1, 2].map((i) => backend(3, i));
    for (const b of fresh) {
      const range = b.keyGroupRange;
      const chunks: Uint8Array[] = [];
      for (const snap of snapshots) {
        snap.chunks.forEach((c, offset) => {
          if (c !== undefined && range.contains(snap.start + offset)) chunks.push(c);
        });
      }
      b.restore(chunks);
    }
    for (const k of keys) {
      const holders = fresh.filter((b) => b.keyGroupRange.contains(assignToKeyGroup(k, MAX_P, INT)));
      assert.equal(holders.length, 1, `key ${k} has one owner`);
      assert.deepEqual(readAll(holders[0]!, k), readAll(owner(old, k), k), `state of key ${k}`);
    }
    // Every key readable at its owner and the totals match: no key is lost or restored twice.
    for (const name of ['value', 'list', 'map', 'sum', 'avg']) {
      assert.equal(
        fresh.reduce((n, b) => n + b.entryCount(name), 0),
        keys.length,
        `entries of ${name}`,
      );
    }
  });

  it('skips chunks of key groups outside the range and keeps unregistered restored state in the next snapshot', () => {
    const old = backend(1, 0);
    for (const k of [1, 2, 3, 4]) writeAll(old, k);
    const snap = old.snapshot();
    const half = backend(2, 1);
    half.restore(takeAllChunks(snap).filter((c): c is Uint8Array => c !== undefined));
    const expectedKeys = [1, 2, 3, 4].filter((k) => half.keyGroupRange.contains(assignToKeyGroup(k, MAX_P, INT)));
    assert.equal(half.entryCount('list'), expectedKeys.length);
    // Never touched: still carried in its own snapshot.
    const again = backend(2, 1);
    again.restore(takeAllChunks(half.snapshot()).filter((c): c is Uint8Array => c !== undefined));
    for (const k of expectedKeys) assert.deepEqual(readAll(again, k), readAll(old, k));
  });

  it('scopes state by namespace (windows)', () => {
    const b = backend(1, 0);
    b.setCurrentKey(7);
    const s = b.getPartitionedState(listDesc) as unknown as ListState<string> & { setCurrentNamespace(n: unknown): void };
    const w1 = new TimeWindow(0, 10);
    const w2 = new TimeWindow(10, 20);
    s.setCurrentNamespace(w1);
    s.add('in-w1');
    s.setCurrentNamespace(w2);
    s.add('in-w2');
    const restored = backend(1, 0);
    restored.restore(takeAllChunks(b.snapshot()).filter((c): c is Uint8Array => c !== undefined));
    restored.setCurrentKey(7);
    const r = restored.getPartitionedState(listDesc) as unknown as ListState<string> & { setCurrentNamespace(n: unknown): void };
    r.setCurrentNamespace(new TimeWindow(0, 10));
    assert.deepEqual([...r.get()], ['in-w1']);
    r.setCurrentNamespace(new TimeWindow(10, 20));
    assert.deepEqual([...r.get()], ['in-w2']);
  });

  it('snapshots timers with their key group and re-registers them on restore', () => {
    const pts = new TestingProcessingTimeService(1000);
    const b = backend(1, 0);
    const fired: string[] = [];
    const timers = new InternalTimerService('t', b, pts, { onEventTime: () => {}, onProcessingTime: () => {} });
    b.setCurrentKey(5);
    timers.registerEventTimeTimer(new TimeWindow(0, 100), 99);
    timers.registerProcessingTimeTimer(new TimeWindow(0, 100), 2000);
    const chunks = takeAllChunks(b.snapshot()).filter((c): c is Uint8Array => c !== undefined);
    assert.equal(chunks.length, 1);

    const pts2 = new TestingProcessingTimeService(1000);
    const b2 = backend(1, 0);
    b2.restore(chunks);
    const restored = new InternalTimerService('t', b2, pts2, {
      onEventTime: (t) => fired.push(`event ${String(b2.currentKey)} ${t.timestamp} ${(t.namespace as TimeWindow).end}`),
      onProcessingTime: (t) => fired.push(`proc ${String(b2.currentKey)} ${t.timestamp}`),
    });
    assert.equal(restored.numEventTimeTimers(), 1);
    restored.advanceWatermark(99);
    pts2.advanceTo(2000);
    assert.deepEqual(fired, ['event 5 99 100', 'proc 5 2000']);
  });
});
