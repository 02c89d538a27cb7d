import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { ProgramError } from '../../../src/core/errors.js';
import { FRESH_DEFAULTS, type ProgramDefaults } from '../../../src/api/environment/program-context.js';
import { StreamExecutionEnvironment } from '../../../src/api/environment/stream-execution-environment.js';
import { runProgramMain } from '../../../src/api/program-runner.js';
import type { JobProgram } from '../../../src/runtime/task-contract.js';

const API = new URL('../../../src/api/index.js', import.meta.url).href;
const dir = mkdtempSync(join(tmpdir(), 'tsflink-programs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function jobModule(name: string, body: string): string {
  const path = join(dir, `${name}.mjs`);
  writeFileSync(path, `import { StreamExecutionEnvironment } from ${JSON.stringify(API)};\n${body}\n`);
  return pathToFileURL(path).href;
}

async function capture(url: string, args: string[] = [], defaults: ProgramDefaults = FRESH_DEFAULTS): Promise<JobProgram> {
  let program: JobProgram | undefined;
  await runProgramMain(url, args, defaults, async (p) => {
    program = p;
    return { jobName: p.graph.jobName, netRuntimeMs: 1 };
  });
  return program!;
}

describe('runProgramMain', () => {
  it('runs a named main with its arguments and captures the program at execute()', async () => {
    const url = jobModule(
      'named',
      `export async function main(args) {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.fromSequence(1, Number(args[1])).print();
      const result = await env.execute('named-job');
      if (result.netRuntimeMs !== 1) throw new Error('execute() must return what onExecute returned');
    }`,
    );
    const program = await capture(url, ['--n', '5']);
    assert.equal(program.graph.jobName, 'named-job');
    assert.deepEqual(program.graph.settings.programArgs, ['--n', '5']);
  });

  it('accepts a default export function and seeds the environment with the defaults', async () => {
    const url = jobModule(
      'default',
      `export default async function (args) {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      if (env.getParallelism() !== 4 || env.getConfig().getAutoWatermarkInterval() !== 50) throw new Error('defaults not applied');
      env.fromSequence(1, 2).print();
      await env.execute();
    }`,
    );
    const program = await capture(url, [], { ...FRESH_DEFAULTS, parallelism: 4, autoWatermarkIntervalMs: 50 });
    assert.equal(program.graph.jobName, 'Flink Streaming Job');
    assert.equal(program.graph.settings.autoWatermarkIntervalMs, 50);
  });

  it('wraps an error of main in a ProgramError that keeps the cause and its stack', async () => {
    const url = jobModule('throws', `export function main() { throw new TypeError('bad input format'); }`);
    const error = await runProgramMain(url, [], FRESH_DEFAULTS, async () => ({ jobName: '', netRuntimeMs: 0 })).catch((e: unknown) => e);
    assert.ok(error instanceof ProgramError);
    assert.match(error.message, /bad input format/);
    assert.ok(error.cause instanceof TypeError);
    assert.match(error.stack ?? '', /Caused by: TypeError: bad input format/);
  });

  it('fails clearly for a module without main and for a main that never executes', async () => {
    await assert.rejects(
      runProgramMain(jobModule('nomain', 'export const x = 1;'), [], FRESH_DEFAULTS, async () => ({ jobName: '', netRuntimeMs: 0 })),
      /has no main\(args\)/,
    );
    await assert.rejects(
      runProgramMain(jobModule('noexec', 'export function main() {}'), [], FRESH_DEFAULTS, async () => ({ jobName: '', netRuntimeMs: 0 })),
      /without executing a job/,
    );
    await assert.rejects(
      runProgramMain(pathToFileURL(join(dir, 'missing.mjs')).href, [], FRESH_DEFAULTS, async () => ({ jobName: '', netRuntimeMs: 0 })),
      /Cannot load the job module/,
    );
  });

  it('keeps concurrent programs apart', async () => {
    // Each main waits on a gate the test opens, so the two interleave in a known order: the one
    // started first builds its job last, while the other's context is current in between.
    const gates = new Map<string, () => void>();
    const opened = new Map<string, Promise<void>>();
    for (const name of ['first', 'second']) opened.set(name, new Promise<void>((resolve) => gates.set(name, resolve)));
    (globalThis as { __programGates?: Map<string, Promise<void>> }).__programGates = opened;
    const url = jobModule(
      'concurrent',
      `export async function main(args) {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      await globalThis.__programGates.get(args[0]);
      env.fromSequence(1, 2).print();
      await env.execute('p' + StreamExecutionEnvironment.getExecutionEnvironment().getParallelism());
    }`,
    );
    try {
      const first = capture(url, ['first'], { ...FRESH_DEFAULTS, parallelism: 2 });
      const second = capture(url, ['second'], { ...FRESH_DEFAULTS, parallelism: 3 });
      gates.get('second')!();
      const b = await second;
      gates.get('first')!();
      const a = await first;
      assert.deepEqual([a.graph.jobName, b.graph.jobName], ['p2', 'p3']);
    } finally {
      delete (globalThis as { __programGates?: unknown }).__programGates;
    }
  });

  it('getExecutionEnvironment() outside a submitted program explains how to run the job', () => {
    assert.throws(
      () => StreamExecutionEnvironment.getExecutionEnvironment(),
      (e: unknown) => {
        assert.ok(e instanceof ProgramError);
        assert.match(e.suggestion ?? '', /bin\/standalone-job\.sh/);
        return true;
      },
    );
  });
});
