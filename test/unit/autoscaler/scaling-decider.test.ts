import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScalingDecider } from '../../../src/autoscaler/scaling-decider.js';
import type { MetricSample } from '../../../src/autoscaler/metric-sample.js';
import type { JobTopology } from '../../../src/autoscaler/job-topology.js';
import { PipelineSimulator } from '../../helpers/pipeline-simulator.js';
import { parallelismPath, reversals, runLoop, settingsWith, vertexSample } from '../../helpers/simulated-run.js';

const MINUTE = 60_000;

/** source → keyed map: the map costs 200 µs a record (5000 records/s per subtask). */
function keyedPipeline(mapParallelism: number, load: (t: number) => number, options = {}): PipelineSimulator {
  return new PipelineSimulator(
    [
      { id: 'source', capacityPerSubtask: 1_000_000, parallelism: 1 },
      { id: 'map', capacityPerSubtask: 5_000, parallelism: mapParallelism, ship: 'HASH' },
    ],
    load,
    options,
  );
}

describe('ScalingDecider on simulated load', () => {
  it('does nothing on steady load inside the band', () => {
    const sim = keyedPipeline(4, () => 13_000); // map busy 65 %
    const run = runLoop(sim, settingsWith(), 15 * MINUTE);
    assert.deepEqual(run.applied, []);
    assert.ok(
      run.rounds.some((d) => d.outcome === 'within-target' || d.outcome === 'no-change'),
      'the window filled and was judged',
    );
  });

  it('waits out stabilization and a full window before the first decision', () => {
    const settings = settingsWith();
    const sim = keyedPipeline(1, () => 20_000);
    const run = runLoop(sim, settings, MINUTE);
    const first = run.applied[0];
    assert.ok(first, 'an overloaded job is scaled');
    assert.ok(first.timeMs >= settings.stabilizationIntervalMs + settings.metricsWindowMs);
    assert.deepEqual(
      run.rounds.slice(0, 2).map((d) => d.outcome),
      ['stabilizing', 'stabilizing'],
    );
  });

  it('follows a step up and a step down in few decisions, without reversals', () => {
    const settings = settingsWith();
    const load = (t: number): number => (t < 2 * MINUTE ? 6_000 : t < 6 * MINUTE ? 20_000 : 6_000);
    const sim = keyedPipeline(2, load);
    const run = runLoop(sim, settings, 12 * MINUTE);
    const path = parallelismPath(run, 'map');
    const ups = run.applied.filter((d) => d.timeMs >= 2 * MINUTE && d.timeMs < 6 * MINUTE);
    const downs = run.applied.filter((d) => d.timeMs >= 6 * MINUTE);
    assert.ok(ups.length >= 1 && ups.length <= 2, `decisions after the step up: ${ups.length} (${path})`);
    assert.ok(downs.length >= 1 && downs.length <= 3, `decisions after the step down: ${downs.length} (${path})`);
    // At 20k/s the map needs 20000 / 5000 / 0.7 ≈ 5.7 subtasks: 8 is the next divisor of 128 key groups.
    assert.equal(ups.at(-1)!.parallelism!['map'], 8);
    assert.ok(downs.at(-1)!.parallelism!['map']! <= 4, `scaled back down to ${downs.at(-1)!.parallelism!['map']}`);
    assert.equal(
      reversals(
        path.filter((_, i) => run.applied[i]!.timeMs < 6 * MINUTE),
        2,
      ),
      0,
      `path ${path}`,
    );
    assert.equal(sim.backlog, 0, 'the backlog of the step is worked off');
    assert.match(ups[0]!.summary!, /^autoscaler: busy \d+ % at p=2, target 70 % .*→ p=\d+ \(map\)$/);
  });

  it('converges within 60 s of a step up', () => {
    const settings = settingsWith();
    const sim = keyedPipeline(2, (t) => (t < 2 * MINUTE ? 6_000 : 20_000));
    const run = runLoop(sim, settings, 5 * MINUTE);
    const last = run.applied.at(-1)!;
    assert.ok(last.timeMs - 2 * MINUTE < MINUTE, `converged ${last.timeMs - 2 * MINUTE} ms after the step`);
  });

  it('sizes for a tenfold step in one decision, and saves slots against a fixed maximum', () => {
    // 20k → 200k → 50k records/s, 25k/s per map subtask: 200k needs 11.4 subtasks at 70 %, so 16.
    const load = (t: number): number => (t < 5 * MINUTE ? 20_000 : t < 15 * MINUTE ? 200_000 : 50_000);
    const sim = new PipelineSimulator(
      [
        { id: 'source', capacityPerSubtask: 10_000_000, parallelism: 1 },
        { id: 'map', capacityPerSubtask: 25_000, parallelism: 2, ship: 'HASH' },
      ],
      load,
      { noise: 0.05 },
    );
    const run = runLoop(sim, settingsWith(), 30 * MINUTE);
    const up = run.applied.filter((d) => d.timeMs >= 5 * MINUTE && d.timeMs < 15 * MINUTE);
    assert.deepEqual(
      up.map((d) => d.parallelism!['map']),
      [16],
    );
    assert.ok(up[0]!.timeMs - 5 * MINUTE < MINUTE);
    let parallelism = 2;
    let slotSeconds = 0;
    for (const round of run.rounds) {
      parallelism = round.outcome === 'scale' ? round.parallelism!['map']! : parallelism;
      slotSeconds += parallelism * 5;
    }
    assert.ok(slotSeconds < 0.7 * 16 * 30 * 60, `${slotSeconds} slot-seconds against ${16 * 30 * 60} at a fixed 16`);
  });

  it('sizes a keyed vertex for its hottest subtask under key skew (MAX aggregator)', () => {
    const build = (): PipelineSimulator =>
      new PipelineSimulator(
        [
          { id: 'source', capacityPerSubtask: 1_000_000, parallelism: 1 },
          { id: 'map', capacityPerSubtask: 5_000, parallelism: 4, ship: 'HASH', skew: 1.55 },
        ],
        () => 12_400, // even share 62 % busy, the hottest subtask 96 %
      );
    const skewAware = runLoop(build(), settingsWith(), 3 * MINUTE);
    assert.ok(skewAware.applied.length > 0, 'scaled for the hot subtask');
    assert.ok(skewAware.applied[0]!.parallelism!['map']! > 4);
    const averaged = runLoop(build(), settingsWith({ busyTimeAggregator: 'AVG' }), 3 * MINUTE);
    assert.deepEqual(averaged.applied, [], 'the average hides the hot subtask');
  });

  it('scales the sink of a sink-bound pipeline, not the backpressured vertices before it', () => {
    const sim = new PipelineSimulator(
      [
        { id: 'source', capacityPerSubtask: 200_000, parallelism: 1, ship: 'FORWARD' },
        { id: 'map', capacityPerSubtask: 100_000, parallelism: 1, ship: 'REBALANCE' },
        { id: 'sink', capacityPerSubtask: 2_000, parallelism: 1, ship: 'REBALANCE' },
      ],
      () => 5_000,
    );
    const run = runLoop(sim, settingsWith(), 4 * MINUTE);
    const first = run.applied[0];
    assert.ok(first, 'the saturated sink is scaled');
    assert.deepEqual({ source: first.parallelism!['source'], map: first.parallelism!['map'] }, { source: 1, map: 1 });
    // 5000/s at 70 % is 3.6 sinks, plus catch-up of the backlog built up while the window filled.
    assert.ok(first.parallelism!['sink']! >= 4, `sink → ${first.parallelism!['sink']!}`);
    const sink = first.vertices.find((v) => v.id === 'sink')!;
    assert.ok(sink.targetDataRate > 4_500, `target rate seen through the backpressure: ${sink.targetDataRate}`);
    assert.equal(sim.backlog, 0);
  });

  it('does not flap on noisy metrics', () => {
    const sim = keyedPipeline(4, () => 14_000, { noise: 0.15, seed: 11 });
    const run = runLoop(sim, settingsWith(), 30 * MINUTE);
    assert.deepEqual(
      run.applied.map((d) => d.parallelism),
      [],
    );
  });

  it('does not flap when the load settles between two parallelisms', () => {
    // 30k/s needs 8.6 map subtasks at 70 %: 16 (the next divisor of 128) is 37 % busy, 8 is 75 %.
    const sim = keyedPipeline(2, () => 30_000, { noise: 0.1, seed: 3 });
    const run = runLoop(sim, settingsWith(), 30 * MINUTE);
    const path = parallelismPath(run, 'map');
    assert.equal(reversals(path, 2), 0, `path ${path}`);
    assert.ok(run.applied.length <= 2, `path ${path}`);
  });

  it('scales up to catch up a backlog within catch-up.duration, then back down', () => {
    const settings = settingsWith();
    // 1.2 million records wait at the start; the map keeps up with the live 6000/s at p=2 (60 % busy).
    const sim = keyedPipeline(2, () => 6_000, { initialBacklog: 1_200_000 });
    const run = runLoop(sim, settings, 6 * MINUTE);
    const first = run.applied[0];
    assert.ok(first && first.parallelism!['map']! > 2, 'scaled up for the backlog');
    const map = first.vertices.find((v) => v.id === 'map')!;
    assert.ok(map.catchUpDataRate > 0, 'the backlog is part of the target');
    const drained = run.backlog.find((b) => b.timeMs > first.timeMs && b.backlog === 0);
    assert.ok(drained, 'the backlog is worked off');
    assert.ok(
      drained.timeMs - first.timeMs <= settings.catchUpDurationMs + settings.restartTimeMs,
      `drained after ${drained.timeMs - first.timeMs} ms`,
    );
    assert.ok(parallelismPath(run, 'map').at(-1)! < first.parallelism!['map']!, 'scaled back down once caught up');
  });

  it('only recommends in dry-run: nothing applied, the recommendation repeated', () => {
    const sim = keyedPipeline(1, () => 20_000);
    const run = runLoop(sim, settingsWith(), 2 * MINUTE, { apply: false });
    const scales = run.rounds.filter((d) => d.outcome === 'scale');
    assert.ok(scales.length > 1);
    assert.equal(sim.vertices[1]!.parallelism, 1);
  });
});

const vertex = vertexSample;

describe('ScalingDecider on a recorded series', () => {
  const topology = (p: number): JobTopology => ({
    vertices: [
      { id: 'src', name: 'Source', parallelism: p, maxParallelism: 128, inputs: [] },
      { id: 'win', name: 'Window', parallelism: p, maxParallelism: 128, inputs: [{ from: 'src', ship: 'HASH' }] },
    ],
  });
  const sample = (t: number, busy: number): MetricSample => ({
    timeMs: t,
    vertices: { src: vertex(100, 2000, 0), win: vertex(busy, 2000) },
  });

  it('gives Reactive Mode one parallelism for every vertex, the largest recommendation', () => {
    const decider = new ScalingDecider(settingsWith({ stabilizationIntervalMs: 0, metricsWindowMs: 10_000 }), { uniformParallelism: true });
    const decisions = [0, 5_000, 10_000].map((t) => decider.observe(topology(2), sample(t, 920)));
    const decision = decisions.at(-1)!;
    assert.equal(decision.outcome, 'scale');
    assert.deepEqual(decision.parallelism, { src: 4, win: 4 });
    assert.equal(decision.summary, 'autoscaler: busy 92 % at p=2, target 70 % → p=4 (Window)');
  });

  it('starts over when the parallelism changes under it', () => {
    const decider = new ScalingDecider(settingsWith({ stabilizationIntervalMs: 5_000, metricsWindowMs: 10_000 }));
    decider.observe(topology(2), sample(0, 920));
    decider.observe(topology(2), sample(5_000, 920));
    assert.equal(decider.observe(topology(2), sample(10_000, 920)).outcome, 'collecting');
    assert.equal(decider.observe(topology(3), sample(15_000, 920)).outcome, 'stabilizing');
  });

  it('keeps a pending scale-down through a round inside the band, and lets it lapse after a quiet interval', () => {
    const settings = settingsWith({ stabilizationIntervalMs: 0, metricsWindowMs: 4_000, scaleDownIntervalMs: 10_000 });
    const decider = new ScalingDecider(settings);
    // Busy 20 % at p=4 is far below the band, 60 % inside it; with a 4 s window and 5 s rounds each window is one sample.
    const busyAt = (t: number, busy: number): MetricSample => ({
      timeMs: t,
      vertices: { src: vertex(600, 2000, 0), win: vertex(busy, 2000) },
    });
    const outcomes = [
      [0, 200],
      [5_000, 200],
      [10_000, 600],
      [15_000, 200],
    ].map(([t, busy]) => decider.observe(topology(4), busyAt(t!, busy!)));
    assert.deepEqual(
      outcomes.map((d) => d.outcome),
      ['collecting', 'no-change', 'within-target', 'scale'],
    );
    const lapsed = new ScalingDecider(settings);
    const later = [
      [0, 200],
      [5_000, 200],
      [10_000, 600],
      [15_000, 600],
      [20_000, 600],
      [25_000, 200],
    ].map(([t, busy]) => lapsed.observe(topology(4), busyAt(t!, busy!)));
    assert.equal(later.at(-1)!.outcome, 'no-change', 'a new scale-down waits its own interval');
  });
});
