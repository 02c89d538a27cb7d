import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FRESH_DEFAULTS, runProgramMain } from '../../../src/api/index.js';
import { assignKeyToParallelOperator } from '../../../src/runtime/keygroups/index.js';
import type { JobProgram } from '../../../src/runtime/task-contract.js';
import { runLocalJob } from '../../helpers/local-job-runner.js';

const EXAMPLE = new URL('../../../examples/streaming/word-count.js', import.meta.url).href;

async function buildProgram(args: string[]): Promise<JobProgram> {
  let program: JobProgram | undefined;
  await runProgramMain(EXAMPLE, args, FRESH_DEFAULTS, async (p) => {
    program = p;
    return { jobName: p.graph.jobName, netRuntimeMs: 0 };
  });
  return program!;
}

/** Word counts computed directly from the example's own text, independently of the job. */
async function expectedCounts(): Promise<Map<string, number>> {
  const { WORDS } = (await import(EXAMPLE)) as { WORDS: string[] };
  const counts = new Map<string, number>();
  for (const line of WORDS) {
    for (const w of line.toLowerCase().split(/[^a-z0-9_]+/)) if (w !== '') counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return counts;
}

describe('WordCount example on the local runner', () => {
  for (const parallelism of [1, 2, 3]) {
    it(`counts every word and prints it from Flink's subtask at parallelism ${parallelism}`, async () => {
      const expected = await expectedCounts();
      const program = await buildProgram([]);
      const { stdout } = await runLocalJob(program, { parallelism });
      const seen = new Map<string, number[]>();
      for (const line of stdout) {
        const m = /^(?:(\d+)> )?\((.+),(\d+)\)$/.exec(line);
        assert.ok(m, `unexpected line ${line}`);
        const [, prefix, word, count] = m;
        if (parallelism === 1) assert.equal(prefix, undefined, 'no prefix at parallelism 1');
        else assert.equal(Number(prefix), assignKeyToParallelOperator(word!, 128, parallelism) + 1, `subtask of '${word}'`);
        (seen.get(word!) ?? seen.set(word!, []).get(word!)!).push(Number(count));
      }
      assert.equal(seen.size, expected.size);
      for (const [word, n] of expected) {
        // Rolling counts: every word is printed once per occurrence, counting up to its total.
        assert.deepEqual(
          seen.get(word),
          Array.from({ length: n }, (_, i) => i + 1),
          `counts of '${word}'`,
        );
      }
    });
  }

  it('with checkpoints, still counts every word exactly once and finishes only after a final checkpoint', async () => {
    const expected = await expectedCounts();
    const program = await buildProgram([]);
    const { stdout, completedCheckpoints } = await runLocalJob(program, { parallelism: 2, checkpointIntervalMs: 5 });
    // With checkpointing on, a task ends its partitions only after a checkpoint taken after its end of data.
    assert.ok(completedCheckpoints.length >= 1, 'the job finished without a completed checkpoint');
    const totals = new Map<string, number>();
    for (const line of stdout) {
      const m = /^\d+> \((.+),(\d+)\)$/.exec(line);
      assert.ok(m, `unexpected line ${line}`);
      totals.set(m[1]!, Math.max(totals.get(m[1]!) ?? 0, Number(m[2])));
    }
    assert.deepEqual(totals, expected);
    assert.equal(
      stdout.length,
      [...expected.values()].reduce((a, b) => a + b, 0),
      'a record was printed twice',
    );
  });

  it('chains like Flink: the counter and the sink share a vertex, the source is non-parallel', async () => {
    const program = await buildProgram([]);
    const vertices = program.graph.vertices.map((v) => [v.name, v.parallelism, v.maxParallelism]);
    assert.deepEqual(vertices, [
      ['Source: in-memory-input -> tokenizer', 1, 1],
      ['counter -> Sink: print-sink', -1, -1],
    ]);
  });
});
