import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { StreamExecutionEnvironment } from '../../../src/api/index.js';
import { committedLines } from '../../helpers/committed-output.js';
import { runLocalJob } from '../../helpers/local-job-runner.js';
import * as snippets from '../../fixtures/docs/writing-jobs-snippets.js';

/** A detached environment at `parallelism`, the program `build` adds to it, run on real tasks. */
async function run(parallelism: number, build: (env: StreamExecutionEnvironment) => void): Promise<string[]> {
  const env = StreamExecutionEnvironment.createDetached({ parallelism });
  build(env);
  const { stdout } = await runLocalJob(env.buildJobProgram('snippet'), { parallelism });
  return stdout;
}

/** print() lines without their `N> ` subtask prefix, sorted. */
const unprefixed = (lines: readonly string[]): string[] => lines.map((l) => l.replace(/^\d+> /, '')).sort();

const CLICKS: snippets.Click[] = [
  ['a', 0],
  ['b', 5_000],
  ['a', 10_000],
  ['a', 70_000],
];

describe("docs/writing-jobs.md's snippets on real tasks", () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsflink-doc-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('sources: elements, a sequence, files and a generator each deliver every record', async () => {
    const input = join(dir, 'in.txt');
    writeFileSync(input, 'one\ntwo\n');
    const lines = await run(2, (env) => {
      const [words, numbers, files, clicks] = snippets.sources(env, input);
      words!.print('words');
      numbers!.print('numbers');
      files!.print('lines');
      clicks!.print('clicks');
    });
    const count = (prefix: string): number => lines.filter((l) => l.startsWith(`${prefix}:`) || l.startsWith(`${prefix}>`)).length;
    assert.deepEqual([count('words'), count('numbers'), count('lines'), count('clicks')], [3, 1_000, 2, 100]);
  });

  it('socket: builds a parallelism-1 source', () => {
    const env = StreamExecutionEnvironment.createDetached({ parallelism: 2 });
    snippets.socket(env).print();
    const [source] = env.buildJobProgram('socket').graph.vertices;
    assert.equal(source!.parallelism, 1);
  });

  it('keyBy: the running counts the comment lists', async () => {
    assert.deepEqual(await run(1, (env) => snippets.wordCount(env)), ['(to,1)', '(be,1)', '(or,1)', '(to,2)', '(be,2)']);
  });

  it('state: the averages the comment lists', async () => {
    assert.deepEqual(unprefixed(await run(2, (env) => snippets.state(env))), ['(1,4.0)', '(1,5.5)']);
  });

  it('timers: each user once, when the end of input fires its last timer', async () => {
    const lines = await run(2, (env) => snippets.timers(env.fromData(CLICKS)));
    assert.deepEqual(unprefixed(lines), ['(a,3)', '(b,1)']);
  });

  it('windows: one labelled count per user and minute', async () => {
    const lines = await run(2, (env) => snippets.windows(env.fromData(CLICKS)));
    assert.deepEqual(unprefixed(lines), [
      'a clicked 1 times in [60000, 120000)',
      'a clicked 2 times in [0, 60000)',
      'b clicked 1 times in [0, 60000)',
    ]);
  });

  it('sinks: print with and without an id, a sink function and the file sink all get every record', async () => {
    const output = join(dir, 'sinks');
    const seen: string[] = [];
    const lines = await run(1, (env) => snippets.sinks(env, output, seen));
    assert.deepEqual(lines.sort(), ['a', 'b', 'c', 'lines> a', 'lines> b', 'lines> c']);
    assert.deepEqual(seen.sort(), ['a', 'b', 'c']);
    assert.deepEqual(committedLines(output).sort(), ['a', 'b', 'c']);
  });

  it('exactly-once: with checkpoints, the file sink commits every line once', async () => {
    const output = join(dir, 'exactly-once');
    const env = StreamExecutionEnvironment.createDetached({ parallelism: 2 });
    snippets.exactlyOnce(env, output);
    const { completedCheckpoints } = await runLocalJob(env.buildJobProgram('exactly-once'), { parallelism: 2, checkpointIntervalMs: 20 });
    assert.ok(completedCheckpoints.length >= 1);
    const expected = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).sort();
    assert.deepEqual(committedLines(output).sort(), expected);
  });
});
