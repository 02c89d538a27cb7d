import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decisionRecord } from '../../../src/autoscaler/decision-record.js';
import { FLINK_SCALING_METRICS, flinkScalingMetrics } from '../../../src/autoscaler/flink-scaling-metrics.js';
import type { JobTopology } from '../../../src/autoscaler/job-topology.js';
import type { MetricSample } from '../../../src/autoscaler/metric-sample.js';
import { ScalingDecider } from '../../../src/autoscaler/scaling-decider.js';
import { settingsWith, vertexSample } from '../../helpers/simulated-run.js';

const vertex = vertexSample;

const topology: JobTopology = {
  vertices: [
    { id: 'src', name: 'Source', parallelism: 1, maxParallelism: 128, inputs: [] },
    { id: 'map', name: 'Map', parallelism: 2, maxParallelism: 64, inputs: [{ from: 'src', ship: 'HASH' }] },
  ],
};

/** Busy 500 ‰ for the window's first three samples, then 900 ‰ in the last: Current differs from Average. */
function decide(): ReturnType<ScalingDecider['observe']> {
  const decider = new ScalingDecider(settingsWith({ stabilizationIntervalMs: 0, metricsWindowMs: 15_000, catchUpDurationMs: 0 }));
  const busy = [500, 500, 500, 900];
  let decision: ReturnType<ScalingDecider['observe']> | undefined;
  busy.forEach((b, i) => {
    const sample: MetricSample = { timeMs: i * 5_000, vertices: { src: vertex(50, 1000, 0), map: vertex(b, 1000) } };
    decision = decider.observe(topology, sample);
  });
  return decision!;
}

describe("tsflink's decisions as Flink's autoscaler metrics", () => {
  it("names every reported vertex metric as Flink's ScalingMetric does, with Average only where Flink has one", () => {
    const map = decide().vertices.find((v) => v.id === 'map')!;
    const metrics = flinkScalingMetrics(map);
    assert.deepEqual(Object.keys(metrics), [...FLINK_SCALING_METRICS]);
    const withAverage = Object.entries(metrics)
      .filter(([, v]) => v.average !== undefined)
      .map(([k]) => k);
    assert.deepEqual(withAverage, ['LOAD', 'TRUE_PROCESSING_RATE', 'TARGET_DATA_RATE']);
  });

  it('gives the window as Average and the last interval as Current', () => {
    const map = decide().vertices.find((v) => v.id === 'map')!;
    const metrics = flinkScalingMetrics(map);
    // Window: (500 + 500 + 500 + 900) / 4 = 600 ‰; last interval (two samples): (500 + 900) / 2 = 700 ‰.
    assert.deepEqual(metrics.LOAD, { current: 0.7, average: 0.6 });
    // True processing rate = input rate / busy fraction.
    assert.equal(metrics.TRUE_PROCESSING_RATE.average, Math.round((1000 / 0.6) * 1000) / 1000);
    assert.equal(metrics.TRUE_PROCESSING_RATE.current, Math.round((1000 / 0.7) * 1000) / 1000);
    assert.deepEqual(metrics.TARGET_DATA_RATE, { current: 1000, average: 1000 });
    assert.deepEqual([metrics.PARALLELISM.current, metrics.MAX_PARALLELISM.current], [2, 64]);
    assert.equal(metrics.RECOMMENDED_PARALLELISM.current, map.recommendedParallelism);
    assert.equal(
      metrics.EXPECTED_PROCESSING_RATE.current,
      Math.round(((map.trueProcessingRate * map.recommendedParallelism) / 2) * 1000) / 1000,
    );
  });

  it('gives a source its backlog as LAG and writes unbounded figures as null, not Infinity', () => {
    const source = decide().vertices.find((v) => v.id === 'src')!;
    const metrics = flinkScalingMetrics(source);
    assert.equal(metrics.LAG.current, 0);
    const map = flinkScalingMetrics(decide().vertices.find((v) => v.id === 'map')!);
    assert.equal(map.LAG.current, null);
    // With no catch-up, the scale-down threshold is finite; with utilization 0 (no lower bound) it would be null.
    const record = decisionRecord(decide(), { dryRun: false, applied: false, action: undefined });
    assert.ok(JSON.stringify(record).includes('"scalingMetrics"'));
    assert.ok(!JSON.stringify(record).includes('Infinity'));
  });
});
