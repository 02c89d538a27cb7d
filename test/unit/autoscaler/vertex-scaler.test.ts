import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autoscalerSettings } from '../../../src/autoscaler/autoscaler-settings.js';
import type { VertexInfo } from '../../../src/autoscaler/job-topology.js';
import type { VertexEvaluation } from '../../../src/autoscaler/vertex-evaluator.js';
import { alignToKeyGroups, recommendParallelism } from '../../../src/autoscaler/vertex-scaler.js';
import { Configuration } from '../../../src/config/configuration.js';
import { settingsWith } from '../../helpers/simulated-run.js';

const keyed = (parallelism: number, maxParallelism = 128): VertexInfo => ({
  id: 'v',
  name: 'Keyed',
  parallelism,
  maxParallelism,
  inputs: [{ from: 'src', ship: 'HASH' }],
});
const rebalanced = (parallelism: number): VertexInfo => ({ ...keyed(parallelism), inputs: [{ from: 'src', ship: 'REBALANCE' }] });

/** An evaluation whose only inputs that matter are the capacity wanted and the capacity measured. */
const evaluation = (targetCapacity: number, trueProcessingRate: number): VertexEvaluation => ({
  parallelism: 0,
  maxParallelism: 0,
  inputRate: 0,
  load: 0,
  backPressure: 0,
  trueProcessingRate,
  targetDataRate: 0,
  catchUpDataRate: 0,
  targetCapacity,
  scaleUpThreshold: 0,
  scaleDownThreshold: 0,
});

describe('recommendParallelism', () => {
  it('scales linearly and rounds up when nothing is keyed', () => {
    assert.equal(recommendParallelism(rebalanced(2), evaluation(3_000, 2_000), settingsWith()).parallelism, 3);
  });

  it('rounds a keyed vertex up to a divisor of its key groups', () => {
    const r = recommendParallelism(keyed(2), evaluation(3_000, 2_000), settingsWith());
    assert.equal(r.parallelism, 4);
    assert.deepEqual(r.notes, ['aligned to 128 key groups']);
    assert.equal(recommendParallelism(keyed(2, 6), evaluation(4_000, 2_000), settingsWith()).parallelism, 6);
  });

  it('caps one decision by scale-up.max-factor and scale-down.max-factor', () => {
    const settings = settingsWith({ scaleUpMaxFactor: 1, scaleDownMaxFactor: 0.5 });
    assert.equal(recommendParallelism(rebalanced(2), evaluation(100_000, 1_000), settings).parallelism, 4);
    assert.equal(recommendParallelism(rebalanced(8), evaluation(1_000, 100_000), settings).parallelism, 4);
  });

  it('keeps within vertex min/max parallelism and the key groups', () => {
    const settings = settingsWith({ vertexMinParallelism: 2, vertexMaxParallelism: 6 });
    assert.equal(recommendParallelism(rebalanced(4), evaluation(100_000, 1_000), settings).parallelism, 6);
    assert.equal(
      recommendParallelism(rebalanced(4), evaluation(1, 1_000), settingsWith({ vertexMinParallelism: 2, scaleDownMaxFactor: 1 }))
        .parallelism,
      2,
    );
    assert.equal(recommendParallelism(keyed(4, 16), evaluation(1e9, 1_000), settingsWith()).parallelism, 16);
  });

  it('leaves the parallelism alone when no rate could be measured', () => {
    assert.equal(recommendParallelism(rebalanced(3), evaluation(NaN, 1_000), settingsWith()).parallelism, 3);
  });
});

describe('alignToKeyGroups', () => {
  it("follows Flink's modes", () => {
    assert.equal(alignToKeyGroups(5, 128, 200, 1, 'EVENLY_SPREAD'), 8);
    assert.equal(alignToKeyGroups(5, 128, 200, 1, 'MAXIMIZE_UTILISATION'), 6);
    // No divisor of 100 between 34 and 40: fall back to the smallest parallelism with the same largest share.
    assert.equal(alignToKeyGroups(34, 100, 40, 1, 'EVENLY_SPREAD'), 34);
    assert.equal(alignToKeyGroups(3, 128, 3, 1, 'EVENLY_SPREAD'), 3);
  });
});

describe('autoscalerSettings', () => {
  it("reads Flink's keys and fills tsflink's defaults", () => {
    const settings = autoscalerSettings(
      Configuration.fromEntries([
        { key: 'job.autoscaler.target.utilization', value: '0.6', origin: { kind: 'dynamic' } },
        { key: 'job.autoscaler.metrics.window', value: '2 min', origin: { kind: 'dynamic' } },
      ]),
    );
    assert.equal(settings.targetUtilization, 0.6);
    assert.equal(settings.metricsWindowMs, 120_000);
    assert.equal(settings.targetUtilizationBoundary, 0.2);
    assert.equal(settings.busyTimeAggregator, 'MAX');
    assert.equal(settings.scaleDownIntervalMs, 30_000);
  });
});
