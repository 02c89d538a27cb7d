import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FRESH_DEFAULTS, runProgramMain } from '../../../src/api/index.js';
import type { JobProgram } from '../../../src/runtime/task-contract.js';
import { runLocalJob } from '../../helpers/local-job-runner.js';

const example = (name: string) => new URL(`../../../examples/streaming/${name}.js`, import.meta.url).href;

async function buildProgram(name: string, args: string[]): Promise<JobProgram> {
  let program: JobProgram | undefined;
  await runProgramMain(example(name), args, FRESH_DEFAULTS, async (p) => {
    program = p;
    return { jobName: p.graph.jobName, netRuntimeMs: 0 };
  });
  return program!;
}

describe('WindowWordCount example', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsflink-wwc-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('sums the last --window occurrences of a word every --slide occurrences', async () => {
    const input = join(dir, 'in.txt');
    writeFileSync(input, 'A a, a\na! b a\nB c\n');
    const program = await buildProgram('window-word-count', ['--input', input, '--window', '3', '--slide', '2']);
    assert.equal(program.graph.jobName, 'WindowWordCount');
    const { stdout } = await runLocalJob(program, { parallelism: 2 });
    const lines = stdout.map((l) => l.replace(/^\d+> /, '')).sort();
    // a: 5 occurrences, fires at the 2nd (2) and 4th (last 3 → 3); b: 2 occurrences → 2; c never fires.
    assert.deepEqual(lines, ['(a,2)', '(a,3)', '(b,2)']);
  });
});

describe('SocketWindowWordCount example', () => {
  it("builds Flink's pipeline from --hostname/--port", async () => {
    const program = await buildProgram('socket-window-word-count', ['--port', '9999']);
    assert.equal(program.graph.jobName, 'Socket Window WordCount');
    assert.deepEqual(
      program.graph.vertices.map((v) => [v.name, v.parallelism, v.maxParallelism]),
      [
        ['Source: Socket Stream -> Flat Map', 1, 1],
        // print().setParallelism(1) equals the default parallelism here, so it chains (vertex parallelism 1).
        [
          'Window(TumblingProcessingTimeWindows(5000), ProcessingTimeTrigger, ReduceFunction, PassThroughWindowFunction) -> format -> Sink: Print to Std. Out',
          1,
          -1,
        ],
      ],
    );
  });

  it('explains how to run it when --port is missing', async () => {
    await assert.rejects(buildProgram('socket-window-word-count', []), /No port specified/);
  });
});
