import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyGroupRange } from '../../../../src/runtime/keygroups/index.js';
import { HeapKeyedStateBackend } from '../../../../src/runtime/state/heap-keyed-state-backend.js';
import { InternalTimerService } from '../../../../src/runtime/timers/internal-timer-service.js';
import { CountEvictor, TimeEvictor, TimestampedValue } from '../../../../src/runtime/windowing/evictors.js';
import { CountTrigger, DeltaTrigger, EventTimeTrigger, PurgingTrigger } from '../../../../src/runtime/windowing/triggers.js';
import { WindowTriggerContext } from '../../../../src/runtime/windowing/window-contexts.js';
import { GlobalWindow, TimeWindow } from '../../../../src/runtime/windowing/windows.js';
import { TestingProcessingTimeService } from '../testing.js';

function triggerContext(): { ctx: WindowTriggerContext; timers: InternalTimerService; backend: HeapKeyedStateBackend } {
  const backend = new HeapKeyedStateBackend(undefined, 128, KeyGroupRange.of(0, 127));
  const timers = new InternalTimerService('t', backend, new TestingProcessingTimeService(), {
    onEventTime: () => {},
    onProcessingTime: () => {},
  });
  const ctx = new WindowTriggerContext(backend, timers);
  backend.setCurrentKey('k');
  ctx.window = GlobalWindow.INSTANCE;
  return { ctx, timers, backend };
}

const tv = (ts: number | undefined, v = ts) => new TimestampedValue(v, ts);

describe('triggers', () => {
  it('CountTrigger fires every n elements, per key and window', () => {
    const { ctx, backend } = triggerContext();
    const t = CountTrigger.of(3);
    const results = [1, 2, 3, 4, 5, 6].map((e) => t.onElement(e, undefined, GlobalWindow.INSTANCE, ctx));
    assert.deepEqual(results, ['CONTINUE', 'CONTINUE', 'FIRE', 'CONTINUE', 'CONTINUE', 'FIRE']);
    backend.setCurrentKey('other');
    assert.equal(t.onElement(1, undefined, GlobalWindow.INSTANCE, ctx), 'CONTINUE', 'another key counts on its own');
  });

  it('PurgingTrigger turns FIRE into FIRE_AND_PURGE', () => {
    const { ctx } = triggerContext();
    const t = PurgingTrigger.of(CountTrigger.of(1));
    assert.equal(t.onElement(1, undefined, GlobalWindow.INSTANCE, ctx), 'FIRE_AND_PURGE');
  });

  it('DeltaTrigger remembers the first element and fires only when the delta is strictly above the threshold', () => {
    const { ctx } = triggerContext();
    const t = DeltaTrigger.of<number>(50, (a, b) => b - a);
    const r = [0, 50, 51, 100, 101.5, 151.5].map((x) => t.onElement(x, undefined, GlobalWindow.INSTANCE, ctx));
    // 0 stored; 50-0 = 50 not > 50; 51 fires and is stored; 100-51 = 49; 101.5-51 = 50.5 fires; 151.5-101.5 = 50 does not.
    assert.deepEqual(r, ['CONTINUE', 'CONTINUE', 'FIRE', 'CONTINUE', 'FIRE', 'CONTINUE']);
  });

  it('EventTimeTrigger registers the window end and fires on it, or at once when the watermark is past it', () => {
    const { ctx, timers } = triggerContext();
    const w = new TimeWindow(0, 10);
    ctx.window = w;
    const t = EventTimeTrigger.create();
    assert.equal(t.onElement(1, 1, w, ctx), 'CONTINUE');
    assert.equal(timers.numEventTimeTimers(), 1);
    assert.equal(t.onEventTime(9, w, ctx), 'FIRE');
    assert.equal(t.onEventTime(8, w, ctx), 'CONTINUE');
    timers.advanceWatermark(20);
    assert.equal(t.onElement(2, 2, w, ctx), 'FIRE');
  });
});

describe('evictors', () => {
  it('TimeEvictor removes elements at or before max timestamp minus the window size', () => {
    const elements = [tv(1000), tv(5000), tv(11_000), tv(3000), tv(12_000)];
    TimeEvictor.of(10_000).evictBefore(elements);
    // cutoff = 12 000 - 10 000 = 2000: 1000 goes, order of the rest kept.
    assert.deepEqual(
      elements.map((e) => e.timestamp),
      [5000, 11_000, 3000, 12_000],
    );
  });

  it('TimeEvictor does nothing when elements carry no timestamp, and evicts after with doEvictAfter', () => {
    const none = [tv(undefined, 1), tv(undefined, 2)];
    TimeEvictor.of(1).evictBefore(none);
    assert.equal(none.length, 2);
    const after = [tv(0), tv(100)];
    const e = TimeEvictor.of(50, true);
    e.evictBefore(after);
    assert.equal(after.length, 2);
    e.evictAfter(after);
    assert.deepEqual(
      after.map((x) => x.timestamp),
      [100],
    );
  });

  it('CountEvictor keeps the last n', () => {
    const elements = [1, 2, 3, 4, 5].map((v) => tv(v));
    CountEvictor.of(2).evictBefore(elements, 5);
    assert.deepEqual(
      elements.map((e) => e.value),
      [4, 5],
    );
    const small = [1, 2].map((v) => tv(v));
    CountEvictor.of(3).evictBefore(small, 2);
    assert.equal(small.length, 2);
  });
});
