import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamExecutionEnvironment } from '../../../../src/api/environment/stream-execution-environment.js';
import { Types } from '../../../../src/api/types.js';
import { assignKeyToParallelOperator } from '../../../../src/runtime/keygroups/index.js';

function programWith(shape: (env: StreamExecutionEnvironment) => void) {
  const env = StreamExecutionEnvironment.createDetached({ parallelism: 2 });
  shape(env);
  const program = env.buildJobProgram('p');
  const edge = program.graph.vertices.flatMap((v) => v.inputs)[0]!;
  return { program, edge };
}

describe('partitioners', () => {
  it('HASH sends a key to the subtask Flink computes from its key group', () => {
    const { program, edge } = programWith((env) =>
      env
        .fromSequence(1, 2)
        .map((x) => [String(x), x], Types.TUPLE([Types.STRING, Types.LONG]))
        .keyBy(0)
        .sum(1)
        .print(),
    );
    assert.equal(edge.shipStrategy, 'HASH');
    const p = program.createPartitioner(edge, 3, 128, 0);
    for (const w of ['flink', 'hello', 'a', 'to', 'be']) assert.equal(p.selectChannel([w, 1]), assignKeyToParallelOperator(w, 128, 3));
  });

  it('FORWARD sends everything of a producer to the consumer of its own index', () => {
    const { program, edge } = programWith((env) =>
      env
        .fromSequence(1, 2)
        .disableChaining()
        .map((x) => x)
        .disableChaining()
        .print(),
    );
    assert.equal(edge.shipStrategy, 'FORWARD');
    assert.equal(program.createPartitioner(edge, 2, 128, 1).selectChannel('x'), 1);
    assert.equal(program.createPartitioner(edge, 2, 128, 0).selectChannel('y'), 0);
  });

  it('REBALANCE and RESCALE cycle over every channel; BROADCAST picks all', () => {
    const rebalance = programWith((env) => env.fromSequence(1, 2).rebalance().print());
    const p = rebalance.program.createPartitioner(rebalance.edge, 3, 128, 0);
    const picks = Array.from({ length: 6 }, () => p.selectChannel(0));
    assert.deepEqual([...picks.slice(0, 3)].sort(), [0, 1, 2]);
    assert.deepEqual(picks.slice(3), picks.slice(0, 3));
    const rescale = programWith((env) => env.fromSequence(1, 2).rescale().print());
    const r = rescale.program.createPartitioner(rescale.edge, 4, 128, 1);
    assert.deepEqual(
      Array.from({ length: 5 }, () => r.selectChannel(0)),
      [1, 2, 3, 0, 1],
    );
    const broadcast = programWith((env) => env.fromSequence(1, 2).broadcast().print());
    assert.equal(broadcast.program.createPartitioner(broadcast.edge, 4, 128, 0).selectChannel(0), -1);
  });
});
