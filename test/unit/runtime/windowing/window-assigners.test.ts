import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GlobalWindows,
  SlidingEventTimeWindows,
  SlidingProcessingTimeWindows,
  TumblingEventTimeWindows,
  TumblingProcessingTimeWindows,
} from '../../../../src/runtime/windowing/window-assigners.js';
import { GlobalWindow, TimeWindow } from '../../../../src/runtime/windowing/windows.js';
import { Duration } from '../../../../src/runtime/time/duration.js';
import { MAX_WATERMARK } from '../../../../src/runtime/task-contract.js';

const at = (now: number) => ({ getCurrentProcessingTime: () => now });
const spans = (ws: readonly TimeWindow[]) => ws.map((w) => [w.start, w.end]);

describe('window assigners', () => {
  it('tumbling event-time windows start at multiples of the size plus the offset', () => {
    const w = TumblingEventTimeWindows.of(Duration.ofSeconds(5));
    assert.deepEqual(spans(w.assignWindows(null, 12_345, at(0))), [[10_000, 15_000]]);
    assert.deepEqual(spans(w.assignWindows(null, -1, at(0))), [[-5000, 0]], 'negative timestamps use the window below');
    assert.equal(w.isEventTime(), true);
    assert.equal(String(w), 'TumblingEventTimeWindows(5000)');
  });

  it('tumbling windows with an offset', () => {
    const w = TumblingEventTimeWindows.of(1000, 100);
    assert.deepEqual(spans(w.assignWindows(null, 1050, at(0))), [[100, 1100]]);
    assert.deepEqual(spans(w.assignWindows(null, 1150, at(0))), [[1100, 2100]]);
  });

  it('sliding windows: every window of `size` that holds the element, latest first', () => {
    const w = SlidingEventTimeWindows.of(10, 5);
    assert.deepEqual(spans(w.assignWindows(null, 12, at(0))), [
      [10, 20],
      [5, 15],
    ]);
    assert.deepEqual(spans(SlidingEventTimeWindows.of(30, 10).assignWindows(null, 25, at(0))), [
      [20, 50],
      [10, 40],
      [0, 30],
    ]);
  });

  it('processing-time windows use the operator clock, not the record', () => {
    assert.deepEqual(spans(TumblingProcessingTimeWindows.of(5000).assignWindows(null, 1, at(12_000))), [[10_000, 15_000]]);
    assert.deepEqual(spans(SlidingProcessingTimeWindows.of(10, 5).assignWindows(null, undefined, at(7))), [
      [5, 15],
      [0, 10],
    ]);
    assert.equal(TumblingProcessingTimeWindows.of(1).isEventTime(), false);
  });

  it('event-time windows refuse records without a timestamp', () => {
    assert.throws(() => TumblingEventTimeWindows.of(10).assignWindows(null, undefined, at(0)), /no timestamp/);
  });

  it('global windows: one window ending at MAX, never fires by default', () => {
    const g = GlobalWindows.create();
    const [w] = g.assignWindows(null, undefined, at(0));
    assert.equal(w, GlobalWindow.INSTANCE);
    assert.equal(w.maxTimestamp(), MAX_WATERMARK);
    assert.equal(String(g), 'GlobalWindows()');
  });

  it('validates sizes and offsets as Flink', () => {
    assert.throws(() => TumblingEventTimeWindows.of(10, 10), /abs\(offset\) < size/);
    assert.throws(() => SlidingEventTimeWindows.of(10, 0), /slide/);
  });
});
