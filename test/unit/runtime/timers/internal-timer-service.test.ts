import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyGroupRange } from '../../../../src/runtime/keygroups/index.js';
import { HeapKeyedStateBackend } from '../../../../src/runtime/state/heap-keyed-state-backend.js';
import { VOID_NAMESPACE } from '../../../../src/runtime/state/namespace.js';
import { InternalTimerService } from '../../../../src/runtime/timers/internal-timer-service.js';
import { TestingProcessingTimeService } from '../testing.js';

function setup(): { backend: HeapKeyedStateBackend; pts: TestingProcessingTimeService; timers: InternalTimerService; fired: string[] } {
  const backend = new HeapKeyedStateBackend({ kind: 'STRING' }, 128, KeyGroupRange.of(0, 127));
  const pts = new TestingProcessingTimeService(0);
  const fired: string[] = [];
  const timers = new InternalTimerService('t', backend, pts, {
    onEventTime: (t) => fired.push(`E:${String(backend.currentKey)}@${t.timestamp}`),
    onProcessingTime: (t) => fired.push(`P:${String(backend.currentKey)}@${t.timestamp}`),
  });
  return { backend, pts, timers, fired };
}

describe('InternalTimerService', () => {
  it('fires event-time timers up to the watermark in time order, with their key current', () => {
    const { backend, timers, fired } = setup();
    for (const [key, t] of [
      ['a', 30],
      ['b', 10],
      ['a', 20],
      ['c', 40],
    ] as const) {
      backend.setCurrentKey(key);
      timers.registerEventTimeTimer(VOID_NAMESPACE, t);
    }
    timers.advanceWatermark(30);
    assert.deepEqual(fired, ['E:b@10', 'E:a@20', 'E:a@30']);
    timers.advanceWatermark(100);
    assert.deepEqual(fired.slice(3), ['E:c@40']);
  });

  it('registers a timer once per key, namespace and time, and deletes it', () => {
    const { backend, timers, fired } = setup();
    backend.setCurrentKey('k');
    timers.registerEventTimeTimer(VOID_NAMESPACE, 5);
    timers.registerEventTimeTimer(VOID_NAMESPACE, 5);
    timers.registerEventTimeTimer(VOID_NAMESPACE, 6);
    assert.equal(timers.numEventTimeTimers(), 2);
    timers.deleteEventTimeTimer(VOID_NAMESPACE, 6);
    timers.advanceWatermark(10);
    assert.deepEqual(fired, ['E:k@5']);
  });

  it('fires processing-time timers through the processing time service', () => {
    const { backend, pts, timers, fired } = setup();
    backend.setCurrentKey('x');
    timers.registerProcessingTimeTimer(VOID_NAMESPACE, 200);
    backend.setCurrentKey('y');
    timers.registerProcessingTimeTimer(VOID_NAMESPACE, 100);
    pts.advanceTo(150);
    assert.deepEqual(fired, ['P:y@100']);
    timers.deleteProcessingTimeTimer(VOID_NAMESPACE, 200); // current key is y: x's timer stays
    pts.advanceTo(300);
    assert.deepEqual(fired, ['P:y@100', 'P:x@200']);
  });

  it('lets a timer callback register a new timer that fires in the same advance', () => {
    const backend = new HeapKeyedStateBackend(undefined, 128, KeyGroupRange.of(0, 127));
    const pts = new TestingProcessingTimeService(0);
    const fired: number[] = [];
    const timers: InternalTimerService = new InternalTimerService('t', backend, pts, {
      onEventTime: (t) => {
        fired.push(t.timestamp);
        if (t.timestamp < 3) timers.registerEventTimeTimer(VOID_NAMESPACE, t.timestamp + 1);
      },
      onProcessingTime: () => {},
    });
    backend.setCurrentKey(1);
    timers.registerEventTimeTimer(VOID_NAMESPACE, 1);
    timers.advanceWatermark(10);
    assert.deepEqual(fired, [1, 2, 3]);
  });
});
