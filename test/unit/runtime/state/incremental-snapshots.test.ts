import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assignToKeyGroup, computeKeyGroupRangeForOperatorIndex, type KeyGroupRange } from '../../../../src/runtime/keygroups/index.js';
import { HeapKeyedStateBackend } from '../../../../src/runtime/state/heap-keyed-state-backend.js';
import { maxDeltas, REBASE_RATIO, shouldRebase } from '../../../../src/runtime/state/incremental-snapshots.js';
import { isDeltaChunk, readKeyGroupChunk } from '../../../../src/runtime/state/key-group-chunk.js';
import { takeAllGroupChunks, type GroupChunk } from '../../../../src/runtime/state/key-group-snapshot.js';
import { avgDesc, INT, listDesc, mapDesc, MAX_P, sumDesc, valueDesc } from './testing-descriptors.js';
import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from '../../../../src/runtime/state/state-types.js';
import { InternalTimerService } from '../../../../src/runtime/timers/internal-timer-service.js';
import { TimeWindow } from '../../../../src/runtime/windowing/windows.js';
import { UNCHANGED_GROUP } from '../../../../src/runtime/task-contract.js';
import { serializerOf } from '../../../../src/runtime/state/state-value-codec.js';
import { TestingProcessingTimeService } from '../testing.js';

const INCREMENTAL = { incremental: true } as const;

function backend(range: KeyGroupRange = computeKeyGroupRangeForOperatorIndex(MAX_P, 1, 0)): HeapKeyedStateBackend {
  return new HeapKeyedStateBackend(INT, MAX_P, range);
}

function states(b: HeapKeyedStateBackend, key: number) {
  b.setCurrentKey(key);
  return {
    value: b.getPartitionedState(valueDesc) as unknown as ValueState<number>,
    list: b.getPartitionedState(listDesc) as unknown as ListState<string>,
    map: b.getPartitionedState(mapDesc) as unknown as MapState<string, number>,
    sum: b.getPartitionedState(sumDesc) as unknown as ReducingState<number>,
    avg: b.getPartitionedState(avgDesc) as unknown as AggregatingState<number, number>,
  };
}

function writeAll(b: HeapKeyedStateBackend, key: number): void {
  const s = states(b, key);
  s.value.update(key * 10);
  s.list.add(`a${key}`);
  s.map.put('x', key);
  s.map.put('y', key + 1);
  s.sum.add(key);
  s.avg.add(key);
}

function readAll(b: HeapKeyedStateBackend, key: number): unknown[] {
  const s = states(b, key);
  return [s.value.value(), [...s.list.get()], [...s.map.entries()], s.sum.get(), s.avg.get()];
}

/** The chains of one subtask as the persister keeps them: per group, base chunk then deltas. */
class Chains {
  readonly byGroup: Uint8Array[][] = [];

  apply(chunks: readonly GroupChunk[]): void {
    chunks.forEach((chunk, g) => {
      if (chunk === UNCHANGED_GROUP) return;
      if (chunk === undefined) this.byGroup[g] = [];
      else if (isDeltaChunk(chunk)) (this.byGroup[g] ??= []).push(chunk);
      else this.byGroup[g] = [chunk];
    });
  }

  all(): Uint8Array[] {
    return this.byGroup.flatMap((chain) => chain ?? []);
  }
}

function groupOf(key: number): number {
  return assignToKeyGroup(key, MAX_P, INT);
}

function changedGroups(chunks: readonly GroupChunk[]): number[] {
  return chunks.flatMap((chunk, g) => (chunk === UNCHANGED_GROUP ? [] : [g])).sort((a, b) => a - b);
}

describe('incremental keyed snapshots', () => {
  it('the first snapshot is full, and a later one holds exactly the groups changed since the completed base', () => {
    const b = backend();
    for (let k = 0; k < 400; k++) writeAll(b, k);
    const first = takeAllGroupChunks(b.snapshot(1, INCREMENTAL));
    assert.ok(first.every((chunk) => chunk === undefined || (typeof chunk !== 'string' && !isDeltaChunk(chunk))));
    b.notifyCheckpointComplete(1);

    // One write through each kind of state, a removal and a clear, each on its own key.
    states(b, 1).value.update(-1);
    states(b, 2).list.add('more');
    states(b, 3).map.put('z', 3);
    states(b, 4).map.remove('x');
    states(b, 5).sum.add(100);
    states(b, 6).avg.add(7);
    states(b, 7).value.clear();
    states(b, 8).value.value(); // a read changes nothing
    const second = takeAllGroupChunks(b.snapshot(2, INCREMENTAL));
    const touched = [...new Set([1, 2, 3, 4, 5, 6, 7].map(groupOf))].sort((a, c) => a - c);
    assert.deepEqual(changedGroups(second), touched);
    for (const g of touched) assert.ok(isDeltaChunk(second[g] as Uint8Array), `group ${g} is a delta`);
    // The clear of key 7 travels as a removal.
    const chunk7 = readKeyGroupChunk(second[groupOf(7)] as Uint8Array, serializerOf(INT));
    assert.ok(chunk7.states.some((section) => section.name === 'value' && section.removed === true));
  });

  it('base + deltas restore exactly the state of the last checkpoint, removals included', () => {
    const b = backend();
    const chains = new Chains();
    for (let k = 0; k < 300; k++) writeAll(b, k);
    chains.apply(takeAllGroupChunks(b.snapshot(1, INCREMENTAL)));
    b.notifyCheckpointComplete(1);
    for (let round = 2; round <= 6; round++) {
      for (let k = round; k < 300; k += 17) writeAll(b, k);
      states(b, round * 3).value.clear();
      states(b, round * 5).map.remove('y');
      writeAll(b, 1000 + round); // a new key
      chains.apply(takeAllGroupChunks(b.snapshot(round, INCREMENTAL)));
      b.notifyCheckpointComplete(round);
    }
    const restored = backend();
    restored.restore(chains.all());
    for (const k of [...Array.from({ length: 300 }, (_, i) => i), 1002, 1003, 1004, 1005, 1006, 2000]) {
      assert.deepEqual(readAll(restored, k), readAll(b, k), `key ${k}`);
    }
    // Restoring into two halves (a rescale) splits the same chains by key group.
    const halves = [0, 1].map((i) => backend(computeKeyGroupRangeForOperatorIndex(MAX_P, 2, i)));
    for (const half of halves) half.restore(chains.all());
    for (let k = 0; k < 300; k++) {
      const half = halves.find((h) => h.keyGroupRange.contains(groupOf(k)))!;
      assert.deepEqual(readAll(half, k), readAll(b, k), `key ${k} after the split`);
    }
  });

  it('a restore with its chains is the base: the first snapshot after it writes only what changed, and the chains still restore exactly', () => {
    const b = backend();
    const chains = new Chains();
    for (let k = 0; k < 300; k++) writeAll(b, k);
    chains.apply(takeAllGroupChunks(b.snapshot(1, INCREMENTAL)));
    b.notifyCheckpointComplete(1);
    const shapes = chains.byGroup.map((chain) => ({ baseBytes: chain?.[0]?.byteLength ?? 0, deltaBytes: 0, deltas: 0 }));
    while (shapes.length < MAX_P) shapes.push({ baseBytes: 0, deltaBytes: 0, deltas: 0 });
    const restored = backend();
    restored.restore(chains.all(), { checkpointId: 1, groups: shapes });
    // Reading a key decodes its group but changes nothing; writing one changes its group only.
    readAll(restored, 5);
    states(restored, 7).value.update(777);
    states(restored, 8).map.remove('x');
    const next = restored.snapshot(2, INCREMENTAL);
    assert.equal(next.baseCheckpointId, 1, 'the restored checkpoint is the base');
    const chunks = takeAllGroupChunks(next);
    assert.deepEqual(
      changedGroups(chunks),
      [...new Set([groupOf(7), groupOf(8)])].sort((a, c) => a - c),
    );
    assert.ok(
      chunks.every((chunk) => chunk === UNCHANGED_GROUP || (chunk !== undefined && isDeltaChunk(chunk))),
      'changes are deltas on the restored bases',
    );
    chains.apply(chunks);
    const again = backend();
    again.restore(chains.all());
    for (let k = 0; k < 300; k++) assert.deepEqual(readAll(again, k), readAll(restored, k), `key ${k}`);
    assert.equal(states(again, 7).value.value(), 777);
  });

  it('a restore without chains, or with chains of another range, starts with a full snapshot', () => {
    const b = backend();
    const chains = new Chains();
    for (let k = 0; k < 50; k++) writeAll(b, k);
    chains.apply(takeAllGroupChunks(b.snapshot(1, INCREMENTAL)));
    for (const base of [undefined, { checkpointId: 1, groups: [{ baseBytes: 1, deltaBytes: 0, deltas: 0 }] }]) {
      const restored = backend();
      restored.restore(chains.all(), base);
      const next = restored.snapshot(2, INCREMENTAL);
      assert.equal(next.baseCheckpointId, undefined);
      assert.ok(takeAllGroupChunks(next).every((chunk) => chunk !== UNCHANGED_GROUP));
    }
  });

  it('a checkpoint that never completed is not a base: the next one carries its changes too', () => {
    const b = backend();
    const chains = new Chains();
    for (let k = 0; k < 100; k++) writeAll(b, k);
    chains.apply(takeAllGroupChunks(b.snapshot(1, INCREMENTAL)));
    b.notifyCheckpointComplete(1);
    states(b, 11).value.update(111);
    takeAllGroupChunks(b.snapshot(2, INCREMENTAL)); // aborted: never confirmed
    states(b, 22).value.update(222);
    const third = takeAllGroupChunks(b.snapshot(3, INCREMENTAL));
    assert.deepEqual(
      changedGroups(third),
      [...new Set([groupOf(11), groupOf(22)])].sort((a, c) => a - c),
    );
    chains.apply(third);
    const restored = backend();
    restored.restore(chains.all());
    assert.equal(states(restored, 11).value.value(), 111);
    assert.equal(states(restored, 22).value.value(), 222);
  });

  it('timers are keyed state: a change rewrites the group timers, and firing one removes it', () => {
    const b = backend();
    const pts = new TestingProcessingTimeService(0);
    const timers = new InternalTimerService('t', b, pts, { onEventTime: () => {}, onProcessingTime: () => {} });
    const chains = new Chains();
    b.setCurrentKey(1);
    timers.registerEventTimeTimer(new TimeWindow(0, 100), 99);
    b.setCurrentKey(2);
    timers.registerEventTimeTimer(new TimeWindow(0, 200), 199);
    chains.apply(takeAllGroupChunks(b.snapshot(1, INCREMENTAL)));
    b.notifyCheckpointComplete(1);
    timers.advanceWatermark(150); // fires key 1's timer
    b.setCurrentKey(3);
    timers.registerProcessingTimeTimer(new TimeWindow(0, 300), 5000);
    const second = takeAllGroupChunks(b.snapshot(2, INCREMENTAL));
    assert.deepEqual(
      changedGroups(second),
      [...new Set([groupOf(1), groupOf(3)])].sort((a, c) => a - c),
    );
    chains.apply(second);
    const restored = backend();
    restored.restore(chains.all());
    const again = new InternalTimerService('t', restored, new TestingProcessingTimeService(0), {
      onEventTime: () => {},
      onProcessingTime: () => {},
    });
    assert.equal(again.numEventTimeTimers(), 1);
    assert.equal(again.numProcessingTimeTimers(), 1);
  });

  it('a streamed restore: keys of groups not here are reported missing, each group arrives with its timers, and no snapshot is taken before all did', () => {
    const b = backend();
    const timers = new InternalTimerService('t', b, new TestingProcessingTimeService(0), {
      onEventTime: () => {},
      onProcessingTime: () => {},
    });
    for (let k = 0; k < 60; k++) writeAll(b, k);
    b.setCurrentKey(7);
    timers.registerEventTimeTimer(new TimeWindow(0, 100), 99);
    const chunks = takeAllGroupChunks(b.snapshot(1, INCREMENTAL));
    const restored = backend();
    const fired: unknown[] = [];
    const again = new InternalTimerService('t', restored, new TestingProcessingTimeService(0), {
      onEventTime: (timer) => fired.push(timer.key),
      onProcessingTime: () => {},
    });
    const groups = chunks.flatMap((chunk, g) => (chunk === undefined ? [] : [g]));
    restored.expectGroups(groups);
    assert.equal(restored.groupsToArrive, groups.length);
    assert.equal(restored.missingGroupOf(7), groupOf(7));
    assert.throws(() => restored.snapshot(2, INCREMENTAL), /have not arrived yet/);
    for (const g of groups) restored.restoreGroup(g, [chunks[g] as Uint8Array]);
    assert.equal(restored.groupsToArrive, 0);
    assert.equal(restored.missingGroupOf(7), undefined);
    for (let k = 0; k < 60; k++) assert.deepEqual(readAll(restored, k), readAll(b, k), `key ${k}`);
    assert.equal(again.numEventTimeTimers(), 1, "the group's timer joined the service created before it arrived");
    again.advanceWatermark(150);
    assert.deepEqual(fired, [7]);
  });

  it('a savepoint is always full, and does not become the base', () => {
    const b = backend();
    for (let k = 0; k < 50; k++) writeAll(b, k);
    takeAllGroupChunks(b.snapshot(1, INCREMENTAL));
    b.notifyCheckpointComplete(1);
    states(b, 1).value.update(5);
    const savepoint = b.snapshot(2, { incremental: true, savepoint: true });
    assert.equal(savepoint.baseCheckpointId, undefined);
    const chunks = takeAllGroupChunks(savepoint);
    assert.ok(chunks.every((chunk) => chunk === undefined || (typeof chunk !== 'string' && !isDeltaChunk(chunk))));
    b.notifyCheckpointComplete(2);
    const next = b.snapshot(3, INCREMENTAL);
    assert.equal(next.baseCheckpointId, 1);
    assert.deepEqual(changedGroups(takeAllGroupChunks(next)), [groupOf(1)]);
  });

  it('rebases a group whose deltas outgrow half its base', () => {
    assert.equal(shouldRebase(0, 1000, 0, 0, 400), false);
    assert.equal(shouldRebase(0, 1000, 400, 1, 100), false);
    assert.equal(shouldRebase(0, 1000, 400, 1, 101), true);
    assert.equal(shouldRebase(5, 1_000_000, 10, maxDeltas(5), 1), true);
    assert.equal(REBASE_RATIO, 0.5);

    const b = backend();
    const key = 7;
    const others = Array.from({ length: 2000 }, (_, i) => i).filter((k) => k !== key && groupOf(k) === groupOf(key));
    for (const k of [key, ...others]) states(b, k).value.update(k);
    takeAllGroupChunks(b.snapshot(1, INCREMENTAL));
    b.notifyCheckpointComplete(1);
    // A small change: a delta.
    states(b, key).value.update(1);
    const small = takeAllGroupChunks(b.snapshot(2, INCREMENTAL))[groupOf(key)] as Uint8Array;
    assert.ok(isDeltaChunk(small));
    b.notifyCheckpointComplete(2);
    // Most of the group changes: the delta would pass half the base, so the group is written in full.
    for (const k of others) states(b, k).value.update(-k);
    // ...unless a planned rescale waits for the checkpoint: then it stays a delta, and the next one rebases.
    const deferred = takeAllGroupChunks(b.snapshot(3, { ...INCREMENTAL, deferRebase: true }))[groupOf(key)] as Uint8Array;
    assert.ok(isDeltaChunk(deferred));
    b.notifyCheckpointComplete(3);
    for (const k of others) states(b, k).value.update(k);
    const large = takeAllGroupChunks(b.snapshot(4, INCREMENTAL))[groupOf(key)] as Uint8Array;
    assert.ok(!isDeltaChunk(large));
    const restored = backend();
    restored.restore([large]);
    assert.deepEqual(
      [key, ...others.slice(0, 5)].map((k) => states(restored, k).value.value()),
      [1, ...others.slice(0, 5)],
    );
  });
});
