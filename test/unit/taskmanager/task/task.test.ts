import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamExecutionEnvironment } from '../../../../src/api/environment/stream-execution-environment.js';
import { Types } from '../../../../src/api/types.js';
import { runLocalJob } from '../../../helpers/local-job-runner.js';
import { waitUntil } from '../../../helpers/wait-until.js';

/** Lets the tasks' mailboxes run for `turns` event-loop turns. */
async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

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

  it('a source halted by a rescale checkpoint emits nothing after its barrier until that checkpoint is aborted', async () => {
    const env = StreamExecutionEnvironment.createDetached();
    let received = 0;
    env
      .fromSequence(1, 200_000)
      .rebalance()
      .addSink(() => void received++);
    let atCompletion = -1;
    let afterHalt = -1;
    const { counters } = await runLocalJob(env.buildJobProgram('halting'), {
      parallelism: 1,
      checkpointIntervalMs: 200,
      timeoutMs: 30_000,
      whileRunning: async ({ tasks, completedCheckpoints, triggerCheckpoint }) => {
        await waitUntil(() => received > 1_000, 'records at the sink');
        const id = triggerCheckpoint(true);
        await waitUntil(() => completedCheckpoints.includes(id), 'the rescale checkpoint to complete');
        atCompletion = received;
        await turns(50);
        afterHalt = received;
        for (const task of tasks) task.notifyCheckpointAborted(id);
      },
    });
    assert.ok(atCompletion > 1_000 && atCompletion < 200_000, `halted mid-stream (${atCompletion})`);
    assert.equal(afterHalt, atCompletion, 'nothing arrived after the barrier while halted');
    assert.equal(received, 200_000, 'the aborted checkpoint let the source go on to the end');
    assert.equal([...counters.values()][0]![0]!.numRecordsOut, 200_000, 'and emitted each record once');
  });
});
