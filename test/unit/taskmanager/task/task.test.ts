import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamExecutionEnvironment } from '../../../../src/api/environment/stream-execution-environment.js';
import { Types } from '../../../../src/api/types.js';
import { runLocalJob } from '../../../helpers/local-job-runner.js';

/** Real Tasks wired in-process by the local job runner: how a job's tasks end, fail and move records. */
describe('Task (wired in-process)', () => {
  it('moves every record through keyBy across subtasks exactly once, and finishes', async () => {
    const env = StreamExecutionEnvironment.createDetached();
    const out: Array<[number, number]> = [];
    env
      .fromSequence(1, 5000)
      .keyBy((x) => x % 7, Types.INT)
      .map((x) => [x % 7, x] as [number, number], Types.TUPLE([Types.INT, Types.LONG]))
      .addSink((v) => void out.push(v));
    const { counters } = await runLocalJob(env.buildJobProgram('keyed'), { parallelism: 3 });
    assert.deepEqual(
      out.map(([, v]) => Number(v)).sort((a, b) => a - b),
      Array.from({ length: 5000 }, (_, i) => i + 1),
    );
    const totalIn = [...counters.values()].at(-1)!.reduce((sum, c) => sum + c.numRecordsIn, 0);
    assert.equal(totalIn, 5000);
  });

  it('a task that fails mid-stream fails the job with its error, and the other tasks are torn down without hanging', async () => {
    const env = StreamExecutionEnvironment.createDetached();
    env
      .fromSequence(1, 100_000)
      .rebalance()
      .map((x) => {
        if (Number(x) === 3000) throw new Error('bad record 3000');
        return x;
      }, Types.LONG)
      .addSink(() => undefined);
    await assert.rejects(runLocalJob(env.buildJobProgram('failing'), { parallelism: 2, timeoutMs: 30_000 }), /bad record 3000/);
  });
});
