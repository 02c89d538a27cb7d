import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamExecutionEnvironment } from '../../../../src/api/environment/stream-execution-environment.js';
import { Types } from '../../../../src/api/types.js';
import {
  KeyedProcessFunction,
  type KeyedProcessContext,
  type OnTimerContext,
} from '../../../../src/runtime/functions/process-functions.js';
import { RichMapFunction } from '../../../../src/runtime/functions/rich-functions.js';
import type { Collector } from '../../../../src/runtime/functions/function-types.js';
import type { RuntimeContext } from '../../../../src/runtime/functions/runtime-context.js';
import { ValueStateDescriptor } from '../../../../src/runtime/state/state-descriptors.js';
import type { ValueState } from '../../../../src/runtime/state/state-types.js';
import { WatermarkStrategy } from '../../../../src/runtime/watermarks/watermark-strategy.js';
import { TimestampsAndWatermarksOperator } from '../../../../src/runtime/operators/timestamps-and-watermarks-operator.js';
import { MAX_WATERMARK } from '../../../../src/runtime/task-contract.js';
import { runLocalJob } from '../../../helpers/local-job-runner.js';
import { openFresh, singleOperatorChain, TestingProcessingTimeService, testServices } from '../testing.js';

describe('operators', () => {
  it('a rich map function gets its own runtime context and keyed state per subtask', async () => {
    class CountPerKey extends RichMapFunction<string, string> {
      private count!: ValueState<number>;
      subtasks: number[] = [];
      override open(ctx: RuntimeContext): void {
        this.count = ctx.getState(new ValueStateDescriptor<number>('count', Types.INT));
        this.subtasks.push(ctx.getIndexOfThisSubtask());
      }
      map(word: string): string {
        const n = (this.count.value() ?? 0) + 1;
        this.count.update(n);
        return `${word}#${n}@${this.getRuntimeContext().getIndexOfThisSubtask()}`;
      }
    }
    const fn = new CountPerKey();
    const env = StreamExecutionEnvironment.createDetached();
    const out: string[] = [];
    env
      .fromData(['x', 'y', 'x', 'x', 'y'])
      .keyBy((w) => w, Types.STRING)
      .map(fn, Types.STRING)
      .addSink((v) => void out.push(v));
    await runLocalJob(env.buildJobProgram('rich'), { parallelism: 2 });
    assert.deepEqual(out.map((s) => s.replace(/@\d$/, '')).sort(), ['x#1', 'x#2', 'x#3', 'y#1', 'y#2']);
    assert.deepEqual(fn.subtasks, [], 'the original object is copied per subtask, never opened itself');
  });

  it('a KeyedProcessFunction uses timers and sees its key; timer output carries the timer time', async () => {
    class Expire extends KeyedProcessFunction<string, [string, number], string> {
      processElement(v: [string, number], ctx: KeyedProcessContext<string>, out: Collector<string>): void {
        ctx.timerService().registerEventTimeTimer(ctx.timestamp()! + 10);
        out.collect(`in ${ctx.getCurrentKey()} ${v[1]}`);
      }
      override onTimer(ts: number, ctx: OnTimerContext<string>, out: Collector<string>): void {
        out.collect(`timer ${ctx.getCurrentKey()} ${ts} ${ctx.timeDomain()}`);
      }
    }
    const env = StreamExecutionEnvironment.createDetached();
    const out: [string, number | undefined][] = [];
    env
      .fromData<[string, number]>(
        [
          ['a', 1],
          ['b', 5],
          ['a', 20],
        ],
        Types.TUPLE([Types.STRING, Types.INT]),
      )
      .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<[string, number]>().withTimestampAssigner((e) => e[1]))
      .keyBy(0)
      .process(new Expire(), Types.STRING)
      .addSink((v: string, ctx) => void out.push([v, ctx.timestamp()]));
    await runLocalJob(env.buildJobProgram('timers'), { parallelism: 1 });
    assert.deepEqual(
      out.filter(([v]) => v.startsWith('in')).map(([v]) => v),
      ['in a 1', 'in b 5', 'in a 20'],
    );
    assert.deepEqual(
      out.filter(([v]) => v.startsWith('timer')),
      [
        ['timer a 11 EVENT_TIME', 11],
        ['timer b 15 EVENT_TIME', 15],
        ['timer a 30 EVENT_TIME', 30],
      ],
    );
  });

  it('TimestampsAndWatermarks: monotonous watermark = max - 1, periodic; swallows upstream watermarks but MAX', async () => {
    const pts = new TestingProcessingTimeService(0);
    const { chain, output } = singleOperatorChain(
      () =>
        new TimestampsAndWatermarksOperator(
          WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner((e) => e) as WatermarkStrategy<unknown>,
        ),
      { services: testServices({ processingTime: pts, autoWatermarkIntervalMs: 200 }) },
    );
    await openFresh(chain);
    chain.processElement(1000, undefined);
    chain.processElement(1500, undefined);
    chain.processWatermark(5000);
    assert.deepEqual(output.watermarks, []);
    pts.advanceTo(200);
    assert.deepEqual(output.watermarks, [1499]);
    pts.advanceTo(400);
    assert.deepEqual(output.watermarks, [1499], 'no repeat of an unchanged watermark');
    assert.deepEqual(
      output.records.map((r) => r.timestamp),
      [1000, 1500],
    );
    chain.processWatermark(MAX_WATERMARK);
    assert.deepEqual(output.watermarks, [1499, MAX_WATERMARK]);
  });

  it('counts records into the head and out of the tail', async () => {
    const env = StreamExecutionEnvironment.createDetached();
    env
      .fromData([1, 2, 3, 4])
      .rebalance()
      .filter((x) => x % 2 === 0)
      .map((x) => x * 10, Types.INT)
      .addSink(() => {});
    const { counters } = await runLocalJob(env.buildJobProgram('count'), { parallelism: 1 });
    assert.deepEqual(counters.get('Filter -> Map -> Sink: Unnamed'), [{ numRecordsIn: 4, numRecordsOut: 0 }]);
    assert.deepEqual(counters.get('Source: Collection Source'), [{ numRecordsIn: 0, numRecordsOut: 4 }]);
  });
});
