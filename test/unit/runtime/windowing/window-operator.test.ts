import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamExecutionEnvironment } from '../../../../src/api/environment/stream-execution-environment.js';
import type { KeyedStream } from '../../../../src/api/datastream/data-stream.js';
import { Types } from '../../../../src/api/types.js';
import type { StreamOperatorChain } from '../../../../src/runtime/chain/stream-operator-chain.js';
import { ProcessWindowFunction } from '../../../../src/runtime/windowing/window-functions.js';
import { TimeEvictor } from '../../../../src/runtime/windowing/evictors.js';
import { DeltaTrigger } from '../../../../src/runtime/windowing/triggers.js';
import {
  GlobalWindows,
  SlidingEventTimeWindows,
  TumblingEventTimeWindows,
  TumblingProcessingTimeWindows,
} from '../../../../src/runtime/windowing/window-assigners.js';
import type { TimeWindow } from '../../../../src/runtime/windowing/windows.js';
import { MAX_WATERMARK } from '../../../../src/runtime/task-contract.js';
import type { Collector, SinkContext, SinkFunction } from '../../../../src/runtime/functions/function-types.js';
import { CollectingOutput, TestingProcessingTimeService, testServices } from '../testing.js';
import type { WindowOperator } from '../../../../src/runtime/windowing/window-operator.js';
import { takeAllChunks } from '../../../../src/runtime/state/key-group-snapshot.js';

type Pair = [string, number];
const PAIR = Types.TUPLE([Types.STRING, Types.INT]);

type Emitted = { value: unknown; timestamp: number | undefined };
const emitted = new Map<StreamOperatorChain, Emitted[]>();

/** Builds `build(keyed)` with the API and a collecting sink, then creates the chain of its last vertex for a test-driven subtask. */
function windowChain(
  build: (keyed: KeyedStream<Pair, string>) => { addSink(fn: SinkFunction<never>): unknown },
  pts = new TestingProcessingTimeService(0),
): { chain: StreamOperatorChain; pts: TestingProcessingTimeService } {
  const env = StreamExecutionEnvironment.createDetached();
  const keyed = env.fromData<Pair>([], PAIR).keyBy((p) => p[0], Types.STRING);
  const records: Emitted[] = [];
  build(keyed).addSink((value: unknown, ctx: SinkContext) => void records.push({ value, timestamp: ctx.timestamp() }));
  const program = env.buildJobProgram('windows');
  const vertex = program.graph.vertices[program.graph.vertices.length - 1]!;
  const chain = program.createChain(
    vertex.id,
    testServices({ processingTime: pts, vertexId: vertex.id }),
    new CollectingOutput(),
  ) as StreamOperatorChain;
  emitted.set(chain, records);
  return { chain, pts };
}

async function open(chain: StreamOperatorChain): Promise<void> {
  await chain.initializeState(undefined);
  await chain.open();
}

/** What the window operator emitted, with timestamps. */
function windowOutput(chain: StreamOperatorChain): Emitted[] {
  return emitted.get(chain)!;
}

describe('WindowOperator', () => {
  it('sums tumbling event-time windows when the watermark passes their end; result timestamp is the window max', async () => {
    const { chain } = windowChain((k) => k.window(TumblingEventTimeWindows.of(10)).sum(1));
    await open(chain);
    chain.processElement(['a', 1], 1);
    chain.processElement(['a', 2], 5);
    chain.processElement(['b', 7], 6);
    chain.processElement(['a', 4], 12);
    assert.deepEqual(windowOutput(chain), []);
    chain.processWatermark(9);
    assert.deepEqual(windowOutput(chain), [
      { value: ['a', 3], timestamp: 9 },
      { value: ['b', 7], timestamp: 9 },
    ]);
    chain.processWatermark(MAX_WATERMARK);
    assert.deepEqual(windowOutput(chain).slice(2), [{ value: ['a', 4], timestamp: 19 }]);
  });

  it('drops and counts late elements; allowed lateness re-fires the window', async () => {
    const { chain } = windowChain((k) => k.window(TumblingEventTimeWindows.of(10)).allowedLateness(5).sum(1));
    await open(chain);
    chain.processElement(['a', 1], 1);
    chain.processWatermark(12);
    chain.processElement(['a', 10], 3); // window [0,10) is cleaned at 9 + 5 = 14: still allowed, fires at once
    chain.processWatermark(20);
    chain.processElement(['a', 100], 4); // too late now
    assert.deepEqual(
      windowOutput(chain).map((r) => r.value),
      [
        ['a', 1],
        ['a', 11],
      ],
    );
    assert.equal((chain.operators[0] as WindowOperator).numLateRecordsDropped, 1);
  });

  it('puts an element into every sliding window that holds it', async () => {
    const { chain } = windowChain((k) => k.window(SlidingEventTimeWindows.of(10, 5)).sum(1));
    await open(chain);
    chain.processElement(['a', 1], 7); // windows [5,15) and [0,10)
    chain.processElement(['a', 2], 12); // windows [10,20) and [5,15)
    chain.processWatermark(MAX_WATERMARK);
    assert.deepEqual(
      windowOutput(chain).map((r) => [r.value, r.timestamp]),
      [
        [['a', 1], 9],
        [['a', 3], 14],
        [['a', 2], 19],
      ],
    );
  });

  it('fires processing-time windows from the clock', async () => {
    const pts = new TestingProcessingTimeService(1000);
    const { chain } = windowChain((k) => k.window(TumblingProcessingTimeWindows.of(5000)).reduce((x, y) => [x[0], x[1] + y[1]]), pts);
    await open(chain);
    chain.processElement(['w', 1], undefined);
    chain.processElement(['w', 1], undefined);
    pts.advanceTo(4998);
    assert.equal(windowOutput(chain).length, 0);
    pts.advanceTo(4999);
    assert.deepEqual(
      windowOutput(chain).map((r) => r.value),
      [['w', 2]],
    );
    pts.advanceTo(6000);
    chain.processElement(['w', 5], undefined);
    pts.advanceTo(10_000);
    assert.deepEqual(
      windowOutput(chain).map((r) => r.value),
      [
        ['w', 2],
        ['w', 5],
      ],
    );
  });

  it('countWindow(size) purges after each firing; countWindow(size, slide) keeps the last size every slide', async () => {
    const tumbling = windowChain((k) => k.countWindow(3).sum(1));
    await open(tumbling.chain);
    for (let i = 1; i <= 7; i++) tumbling.chain.processElement(['c', i], undefined);
    assert.deepEqual(
      windowOutput(tumbling.chain).map((r) => r.value),
      [
        ['c', 6],
        ['c', 15],
      ],
    );

    const sliding = windowChain((k) => k.countWindow(3, 2).sum(1));
    await open(sliding.chain);
    for (let i = 1; i <= 6; i++) sliding.chain.processElement(['c', i], undefined);
    // fires at the 2nd, 4th, 6th element over the last 3: 1+2, 2+3+4, 4+5+6
    assert.deepEqual(
      windowOutput(sliding.chain).map((r) => r.value),
      [
        ['c', 3],
        ['c', 9],
        ['c', 15],
      ],
    );
  });

  it('evicting window with DeltaTrigger and TimeEvictor: fires without purging, eviction persists, maxBy keeps the first', async () => {
    const { chain } = windowChain((k) =>
      k
        .window(GlobalWindows.create())
        .evictor(TimeEvictor.of(10))
        .trigger(DeltaTrigger.of<Pair>(5, (a, b) => b[1] - a[1], PAIR))
        .maxBy(1),
    );
    await open(chain);
    const feed: [number, number][] = [
      [0, 0],
      [3, 1],
      [6, 2],
      [20, 3],
      [21, 4],
      [30, 30],
    ];
    for (const [value, ts] of feed) chain.processElement(['k', value], ts);
    // Fires at 6 (6-0 > 5): max of ts<=..: all within 10 → 6; at 20 (20-6 > 5): cutoff 3-10<..: max ts 3 → all kept → 20.
    // At 30 (30-20 > 5): max ts 30 → cutoff 20 → everything <= 20 evicted; 30 remains.
    assert.deepEqual(
      windowOutput(chain).map((r) => [r.value, r.timestamp]),
      [
        [['k', 6], MAX_WATERMARK],
        [['k', 20], MAX_WATERMARK],
        [['k', 30], MAX_WATERMARK],
      ],
    );
    chain.processWatermark(MAX_WATERMARK);
    await chain.endInput();
    assert.equal(windowOutput(chain).length, 3, 'a global window never fires at end of input');
  });

  it('keeps window contents across a snapshot and restore', async () => {
    const first = windowChain((k) => k.countWindow(3).sum(1));
    await open(first.chain);
    first.chain.processElement(['x', 1], undefined);
    first.chain.processElement(['x', 2], undefined);
    const snapshot = first.chain.snapshotState(1, 0);
    const second = windowChain((k) => k.countWindow(3).sum(1));
    await second.chain.initializeState(
      snapshot.map((s) => ({
        operatorId: s.operatorId,
        keyGroupChunks: (s.keyGroups === undefined ? [] : takeAllChunks(s.keyGroups)).filter((c): c is Uint8Array => c !== undefined),
        listStates: s.listStates ?? [],
      })),
    );
    await second.chain.open();
    second.chain.processElement(['x', 3], undefined);
    assert.deepEqual(
      windowOutput(second.chain).map((r) => r.value),
      [['x', 6]],
    );
  });

  it('runs a ProcessWindowFunction with the window in its context', async () => {
    class Describe extends ProcessWindowFunction<Pair, string, string, TimeWindow> {
      process(key: string, ctx: { window(): TimeWindow }, elements: readonly Pair[], out: Collector<string>): void {
        out.collect(`${key}[${ctx.window().start},${ctx.window().end})=${elements.map((e) => e[1]).join('+')}`);
      }
    }
    const { chain } = windowChain((k) => k.window(TumblingEventTimeWindows.of(100)).process(new Describe()));
    await open(chain);
    chain.processElement(['p', 1], 10);
    chain.processElement(['p', 2], 20);
    chain.processWatermark(99);
    assert.deepEqual(
      windowOutput(chain).map((r) => r.value),
      ['p[0,100)=1+2'],
    );
  });
});

describe('WindowedStream functions', () => {
  it('aggregate() keeps an accumulator per window; apply() sees key, window and elements', async () => {
    const avg = windowChain((k) =>
      k.window(TumblingEventTimeWindows.of(10)).aggregate<[number, number], number>({
        createAccumulator: () => [0, 0],
        add: (v, [s, n]) => [s + v[1], n + 1],
        getResult: ([s, n]) => s / n,
        merge: ([a, b], [c, d]) => [a + c, b + d],
      }),
    );
    await open(avg.chain);
    for (const [v, ts] of [
      [1, 1],
      [2, 2],
      [6, 3],
    ])
      avg.chain.processElement(['k', v], ts);
    avg.chain.processWatermark(9);
    assert.deepEqual(
      windowOutput(avg.chain).map((r) => r.value),
      [3],
    );

    const applied = windowChain((k) =>
      k
        .window(TumblingEventTimeWindows.of(10))
        .apply<string>((key, window, input, out) => out.collect(`${key}:${window.start}:${input.length}`)),
    );
    await open(applied.chain);
    applied.chain.processElement(['z', 1], 15);
    applied.chain.processElement(['z', 1], 16);
    applied.chain.processWatermark(MAX_WATERMARK);
    assert.deepEqual(
      windowOutput(applied.chain).map((r) => r.value),
      ['z:10:2'],
    );
  });
});
