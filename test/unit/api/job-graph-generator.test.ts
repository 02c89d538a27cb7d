import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamExecutionEnvironment } from '../../../src/api/environment/stream-execution-environment.js';
import { Types } from '../../../src/api/types.js';
import { WatermarkStrategy } from '../../../src/runtime/watermarks/watermark-strategy.js';
import type { JobGraph } from '../../../src/jobgraph/job-graph.js';

const names = (g: JobGraph) => g.vertices.map((v) => v.name);
const strategies = (g: JobGraph) => g.vertices.flatMap((v) => v.inputs.map((e) => e.shipStrategy));

function pipeline(configure?: (env: StreamExecutionEnvironment) => void): JobGraph {
  const env = StreamExecutionEnvironment.createDetached();
  configure?.(env);
  env
    .fromSequence(1, 100)
    .map((x) => x * 2, Types.LONG)
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<number>())
    .keyBy((x) => x % 7, Types.LONG)
    .reduce((a, b) => a + b)
    .print();
  return env.buildJobProgram('job').graph;
}

describe('job graph translation', () => {
  it('chains forward edges of equal parallelism and breaks at keyBy, with Flink names', () => {
    const g = pipeline();
    assert.deepEqual(names(g), ['Source: Sequence Source -> Map -> Timestamps/Watermarks', 'Keyed Reduce -> Sink: Print to Std. Out']);
    assert.deepEqual(strategies(g), ['HASH']);
    assert.equal(g.vertices[1]!.inputs[0]!.type.kind, 'LONG');
    assert.deepEqual(
      g.vertices[1]!.operators.map((o) => [o.kind, o.keyed]),
      [
        ['keyed-reduce', true],
        ['print', false],
      ],
    );
    assert.equal(g.vertices[0]!.isSource, true);
    assert.equal(g.vertices[0]!.id, g.vertices[0]!.operators[0]!.id, 'vertex id = head operator id');
  });

  it('breaks chains on a parallelism change (REBALANCE), disableChaining, startNewChain and slot sharing groups', () => {
    const env = StreamExecutionEnvironment.createDetached();
    const s = env.fromSequence(1, 10);
    s.map((x) => x)
      .setParallelism(2)
      .name('m2')
      .filter(() => true)
      .name('f')
      .print();
    s.filter(() => true)
      .disableChaining()
      .name('nochain')
      .print();
    s.map((x) => x)
      .name('head')
      .startNewChain()
      .map((x) => x)
      .name('tail')
      .slotSharingGroup('other')
      .print();
    const g = env.buildJobProgram('j').graph;
    // Operators take the environment's parallelism, not their input's (f runs at 1 after m2 at 2).
    assert.deepEqual(names(g), [
      'Source: Sequence Source',
      'm2',
      'nochain',
      'head',
      'f -> Sink: Print to Std. Out',
      'Sink: Print to Std. Out',
      'tail -> Sink: Print to Std. Out',
    ]);
    assert.deepEqual(
      g.vertices.map((v) => v.inputs.map((e) => e.shipStrategy)),
      [[], ['REBALANCE'], ['FORWARD'], ['FORWARD'], ['REBALANCE'], ['FORWARD'], ['FORWARD']],
    );
    // The sink after 'tail' inherits its input's slot sharing group, as in Flink.
    assert.deepEqual(
      g.vertices.map((v) => v.slotSharingGroup),
      ['default', 'default', 'default', 'default', 'default', 'default', 'other'],
    );
  });

  it('gives a union consumer one edge per input and never chains it', () => {
    const env = StreamExecutionEnvironment.createDetached();
    const a = env.fromSequence(1, 5);
    const b = env.fromSequence(6, 9);
    a.union(b.rebalance())
      .map((x) => x)
      .print();
    const g = env.buildJobProgram('u').graph;
    const map = g.vertices.find((v) => v.name.startsWith('Map'))!;
    assert.deepEqual(
      map.inputs.map((e) => [e.shipStrategy, e.inputIndex]),
      [
        ['FORWARD', 0],
        ['REBALANCE', 1],
      ],
    );
  });

  it('refuses forward() across a parallelism change', () => {
    const env = StreamExecutionEnvironment.createDetached();
    env
      .fromSequence(1, 5)
      .forward()
      .map((x) => x)
      .setParallelism(3)
      .print();
    assert.throws(() => env.buildJobProgram('f'), /Forward partitioning does not allow a change of parallelism/);
  });

  it('produces the same ids and fingerprint for the same program, every time', () => {
    const a = pipeline();
    const b = pipeline();
    assert.deepEqual(a, b);
    for (const v of a.vertices) for (const op of v.operators) assert.match(op.id, /^[0-9a-f]{32}$/);
    assert.match(a.fingerprint, /^[0-9a-f]{64}$/);
  });

  it('changes the fingerprint when the graph changes, and ids follow uid()', () => {
    const base = pipeline();
    assert.notEqual(pipeline((env) => env.setParallelism(3)).fingerprint, base.fingerprint);
    const env = StreamExecutionEnvironment.createDetached();
    env
      .fromSequence(1, 2)
      .uid('numbers')
      .map((x) => x)
      .uid('doubler')
      .print();
    const other = StreamExecutionEnvironment.createDetached();
    other
      .fromSequence(5, 9)
      .name('renamed')
      .uid('numbers')
      .filter(() => true)
      .map((x) => x)
      .uid('doubler')
      .print();
    const ids = (g: JobGraph, uid: string) => g.vertices.flatMap((v) => v.operators).find((o) => o.uid === uid)!.id;
    const g1 = env.buildJobProgram('a').graph;
    const g2 = other.buildJobProgram('a').graph;
    assert.equal(ids(g1, 'numbers'), ids(g2, 'numbers'));
    assert.equal(ids(g1, 'doubler'), ids(g2, 'doubler'));
    assert.notEqual(g1.fingerprint, g2.fingerprint);
  });

  it('refuses duplicate uids', () => {
    const env = StreamExecutionEnvironment.createDetached();
    env
      .fromSequence(1, 2)
      .uid('x')
      .map((v) => v)
      .uid('x')
      .print();
    assert.throws(() => env.buildJobProgram('d'), /uid 'x' is used by both/);
  });

  it('records the max parallelism reactive mode needs', () => {
    const env = StreamExecutionEnvironment.createDetached();
    env.fromElements(1, 2, 3).print();
    env.socketTextStream('localhost', 9999).print();
    env.fromSequence(1, 9).setMaxParallelism(16).print();
    env
      .fromSequence(1, 9)
      .rebalance()
      .map((x) => x)
      .setMaxParallelism(64)
      .setParallelism(4)
      .print();
    const g = env.buildJobProgram('m').graph;
    assert.deepEqual(
      g.vertices.map((v) => [v.name, v.parallelism, v.maxParallelism]),
      [
        ['Source: Collection Source -> Sink: Print to Std. Out', 1, 1],
        ['Source: Socket Stream -> Sink: Print to Std. Out', 1, 1],
        ['Source: Sequence Source -> Sink: Print to Std. Out', -1, 16],
        ['Source: Sequence Source', -1, -1],
        ['Map', 4, 64],
        ['Sink: Print to Std. Out', -1, -1],
      ],
    );
    const withEnvMax = StreamExecutionEnvironment.createDetached();
    withEnvMax.setMaxParallelism(256);
    withEnvMax.fromSequence(1, 2).print();
    assert.equal(withEnvMax.buildJobProgram('x').graph.vertices[0]!.maxParallelism, 256);
  });

  it('refuses a parallelism above 1 for non-parallel sources', () => {
    const env = StreamExecutionEnvironment.createDetached();
    assert.throws(() => env.fromElements(1).setParallelism(2), /non-parallel/);
  });

  it('carries the program settings', () => {
    const env = StreamExecutionEnvironment.createDetached({ autoWatermarkIntervalMs: 50 });
    env.enableCheckpointing(10_000).setParallelism(2);
    env.getConfig().setAutoWatermarkInterval(100);
    env.fromSequence(1, 2).print();
    const { settings, jobType } = env.buildJobProgram('s').graph;
    assert.deepEqual(settings, {
      parallelism: 2,
      maxParallelism: -1,
      autoWatermarkIntervalMs: 100,
      checkpointIntervalMs: 10_000,
      bufferTimeoutMs: 100,
      programArgs: [],
    });
    assert.equal(jobType, 'STREAMING');
  });
});
