import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FRESH_DEFAULTS, runProgramMain } from '../../../src/api/index.js';
import type { JobProgram } from '../../../src/runtime/task-contract.js';
import { runLocalJob } from '../../helpers/local-job-runner.js';
import { TOPSPEED_CONFORMANCE } from '../../helpers/fixture-paths.js';

const CONFORMANCE = TOPSPEED_CONFORMANCE;
const EXAMPLE = new URL('../../../examples/streaming/top-speed-windowing.js', import.meta.url).href;

async function buildProgram(args: string[]): Promise<JobProgram> {
  let program: JobProgram | undefined;
  await runProgramMain(EXAMPLE, args, FRESH_DEFAULTS, async (p) => {
    program = p;
    return { jobName: p.graph.jobName, netRuntimeMs: 0 };
  });
  return program!;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

/** Flink's compareResultsByLinesInMemory: all lines of all visible files, sorted. */
function resultLines(dir: string): string[] {
  const visible = listFiles(dir).filter((p) => !p.split('/').pop()!.startsWith('.') && !p.split('/').pop()!.startsWith('_'));
  return visible
    .flatMap((p) =>
      readFileSync(p, 'utf8')
        .split('\n')
        .filter((l) => l !== ''),
    )
    .sort();
}

describe('TopSpeedWindowing conformance (Flink TopSpeedWindowingExampleITCase)', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const expected = readFileSync(join(CONFORMANCE, 'expected.txt'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .sort();

  for (const parallelism of [1, 2]) {
    it(`produces exactly expected.txt at parallelism ${parallelism}`, async () => {
      const out = mkdtempSync(join(tmpdir(), 'tsflink-topspeed-'));
      dirs.push(out);
      const program = await buildProgram(['--input', join(CONFORMANCE, 'input.txt'), '--output', out, '--execution-mode', 'AUTOMATIC']);
      await runLocalJob(program, { parallelism });
      assert.deepEqual(resultLines(out), expected);
      assert.equal(listFiles(out).filter((p) => p.includes('.inprogress.')).length, 0, 'no in-progress file is left behind');
    });
  }

  it('builds the job graph Flink builds: two vertices with Flink names', async () => {
    const program = await buildProgram([]);
    assert.equal(program.graph.jobName, 'CarTopSpeedWindowingExample');
    assert.deepEqual(
      program.graph.vertices.map((v) => v.name),
      [
        'Source: Car data generator source -> Timestamps/Watermarks',
        'Window(GlobalWindows(), DeltaTrigger, TimeEvictor, ComparableAggregator, PassThroughWindowFunction) -> Sink: Print to Std. Out',
      ],
    );
    assert.deepEqual(
      program.graph.vertices.map((v) => [v.parallelism, v.maxParallelism]),
      [
        [1, -1],
        [-1, -1],
      ],
    );
    assert.equal(program.graph.vertices[1]!.inputs[0]!.shipStrategy, 'HASH');
  });
});
