import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAggregator } from '../../../../src/runtime/aggregation/aggregators.js';
import { StreamExecutionEnvironment } from '../../../../src/api/environment/stream-execution-environment.js';
import { Types } from '../../../../src/api/types.js';
import { runLocalJob } from '../../../helpers/local-job-runner.js';

const T3 = Types.TUPLE([Types.STRING, Types.INT, Types.INT]);
const fold = (type: Parameters<typeof createAggregator>[0], field: number, values: unknown[][], first = true): unknown[] => {
  const agg = createAggregator(type, field, T3, first);
  const out: unknown[] = [];
  let acc: unknown;
  for (const v of values) out.push((acc = acc === undefined ? v : agg.reduce(acc, v)));
  return out;
};

describe('built-in aggregations (Flink semantics)', () => {
  const rows = [
    ['a', 3, 1],
    ['b', 5, 2],
    ['c', 5, 3],
    ['d', 1, 4],
  ];

  it('sum adds one field and keeps the other fields of the first record', () => {
    assert.deepEqual(fold('SUM', 1, rows), [
      ['a', 3, 1],
      ['a', 8, 1],
      ['a', 13, 1],
      ['a', 14, 1],
    ]);
  });

  it('sum of an INT field wraps around like a Java int', () => {
    assert.deepEqual(
      fold('SUM', 1, [
        ['x', 2147483647, 0],
        ['x', 1, 0],
      ]).at(-1),
      ['x', -2147483648, 0],
    );
  });

  it('max/min replace only the field; maxBy/minBy return a whole record', () => {
    assert.deepEqual(fold('MAX', 1, rows).at(-1), ['a', 5, 1]);
    assert.deepEqual(fold('MIN', 1, rows).at(-1), ['a', 1, 1]);
    assert.deepEqual(fold('MAX_BY', 1, rows).at(-1), ['b', 5, 2]);
    assert.deepEqual(fold('MIN_BY', 1, rows).at(-1), ['d', 1, 4]);
  });

  it('maxBy keeps the first of equal records by default and the last with first = false', () => {
    assert.deepEqual(fold('MAX_BY', 1, rows.slice(0, 3), true).at(-1), ['b', 5, 2]);
    assert.deepEqual(fold('MAX_BY', 1, rows.slice(0, 3), false).at(-1), ['c', 5, 3]);
  });

  it('does not modify the records it is given', () => {
    const a = ['k', 1, 0];
    fold('SUM', 1, [a, ['k', 2, 0]]);
    assert.deepEqual(a, ['k', 1, 0]);
  });

  it('rolls per key on a keyed stream', async () => {
    const env = StreamExecutionEnvironment.createDetached();
    const seen: unknown[] = [];
    env
      .fromData(
        [
          ['a', 1, 0],
          ['b', 10, 0],
          ['a', 2, 0],
          ['b', 5, 0],
          ['a', 3, 0],
        ],
        T3,
      )
      .keyBy(0)
      .maxBy(1)
      .addSink((v) => void seen.push(v));
    await runLocalJob(env.buildJobProgram('rolling'), { parallelism: 1 });
    assert.deepEqual(seen, [
      ['a', 1, 0],
      ['b', 10, 0],
      ['a', 2, 0],
      ['b', 10, 0],
      ['a', 3, 0],
    ]);
  });
});
