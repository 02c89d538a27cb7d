import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FLINK_HOME, TestDist, waitFor } from '../helpers/test-dist.js';

/** A bin/ command run in a pseudo-terminal made by util-linux's `script`, with everything it printed. */
interface PtyRun {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exit: Promise<number | null>;
}

/**
 * Runs `shellCommand` in a fresh pty. With no size set, the pty reports 0 columns and 0 rows, as
 * `script` and Python's pty.fork make them; `stty cols 80` first gives it a usual size.
 */
function inPty(dist: TestDist, shellCommand: string): PtyRun {
  // CI would turn the spinner off; these tests are about the terminal, so they run as a person would.
  const env: NodeJS.ProcessEnv = { ...process.env, ...dist.env, TERM: 'xterm-256color' };
  delete env['CI'];
  const child = spawn('script', ['-qec', shellCommand, '/dev/null'], { env, cwd: FLINK_HOME, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    if (output.length < 1_000_000) output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    if (output.length < 1_000_000) output += chunk.toString('utf8');
  });
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

/** Ends a run that overstayed: the command under `script` first, since it outlives a killed `script`. */
function killAfter(run: PtyRun, ms: number): NodeJS.Timeout {
  return setTimeout(() => {
    const pid = run.child.pid === undefined ? undefined : ptyChildPid(run.child.pid);
    if (pid !== undefined) process.kill(pid, 'SIGKILL');
    run.child.kill('SIGKILL');
  }, ms);
}

/** The process `script` runs the command in (the CLI itself, since the command execs it). */
function ptyChildPid(scriptPid: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return children[0] === undefined ? undefined : Number(children[0]);
  } catch {
    return undefined; // script has already ended
  }
}

const taskManagerStart = join(FLINK_HOME, 'bin', 'taskmanager.sh') + ' start';

describe('bin/ scripts on a pseudo-terminal', () => {
  const dist = TestDist.create({ config: { 'taskmanager.numberOfTaskSlots': 1 } });
  let jobManagerPid = 0;
  before(async () => {
    const started = await dist.run('jobmanager.sh', ['start']);
    assert.equal(started.exitCode, 0, started.stderr);
    jobManagerPid = dist.pids('standalonesession')[0]!;
  });
  after(async () => {
    try {
      process.kill(jobManagerPid, 'SIGCONT');
    } catch {
      // already gone
    }
    await dist.destroy();
  });

  it('a terminal of 0 columns gets no spinner, a bounded output and a start that ends', async () => {
    const run = inPty(dist, `exec ${taskManagerStart}`);
    const killer = killAfter(run, 30_000);
    const code = await run.exit;
    clearTimeout(killer);
    assert.equal(code, 0, run.output());
    assert.match(run.output(), /registered with the JobManager/);
    assert.ok(run.output().length < 2_000, `printed ${run.output().length} characters`);
    assert.doesNotMatch(run.output(), /Waiting for the taskexecutor/, 'no spinner text on a 0-column terminal');
  });

  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    it(`a start waiting behind its spinner ends on ${signal}`, async () => {
      // A frozen JobManager accepts the connection and never answers, so the start keeps waiting.
      process.kill(jobManagerPid, 'SIGSTOP');
      try {
        const run = inPty(dist, `stty cols 80 rows 24; exec ${taskManagerStart}`);
        const killer = killAfter(run, 30_000);
        await waitFor('the spinner', () => (run.output().includes('Waiting for the taskexecutor daemon') ? true : undefined), 20_000);
        const cli = ptyChildPid(run.child.pid!);
        assert.ok(cli !== undefined, 'the CLI runs under script');
        process.kill(cli, signal);
        const code = await run.exit;
        clearTimeout(killer);
        assert.notEqual(code, 0, `the CLI ended by ${signal}`);
        assert.ok(run.output().length < 20_000, `printed ${run.output().length} characters`);
      } finally {
        process.kill(jobManagerPid, 'SIGCONT');
      }
    });
  }
});
