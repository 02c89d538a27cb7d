import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregateMetrics, availableMetricIds, formatMetricValue } from '../../../src/metrics/metric-aggregation.js';

describe('formatMetricValue', () => {
  it("writes Flink's Long bounds for watermarks and integers in full", () => {
    assert.equal(formatMetricValue(-(2 ** 63)), '-9223372036854775808');
    assert.equal(formatMetricValue(2 ** 63), '9223372036854775807');
    assert.equal(formatMetricValue(2 ** 60), '1152921504606846976');
    assert.equal(formatMetricValue(1795504381566), '1795504381566');
    assert.equal(formatMetricValue(0.25), '0.25');
    assert.equal(formatMetricValue('n/a'), 'n/a');
  });
});

describe('aggregateMetrics', () => {
  const components = [
    [
      ['numRecordsIn', 10],
      ['path', '/x'],
    ],
    [['numRecordsIn', 30]],
    [['other', 1]],
  ] as const;

  it('aggregates each requested metric over the components that have it', () => {
    const [metric] = aggregateMetrics(components, ['numRecordsIn'], ['min', 'max', 'sum', 'avg', 'skew']);
    assert.deepEqual(metric, { id: 'numRecordsIn', min: 10, max: 30, avg: 20, sum: 40, skew: ((30 - 20) / 30) * 100 });
  });

  it("returns only the requested modes, in Flink's order, and leaves out metrics no component has or that are not numbers", () => {
    assert.deepEqual(aggregateMetrics(components, ['missing', 'numRecordsIn', 'path'], ['sum', 'min']), [
      { id: 'numRecordsIn', min: 10, sum: 40 },
    ]);
  });

  it('lists every id once, in order of first appearance', () => {
    assert.deepEqual(availableMetricIds(components), ['numRecordsIn', 'path', 'other']);
  });
});
