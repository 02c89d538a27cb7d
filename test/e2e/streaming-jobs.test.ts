import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assignKeyToParallelOperator } from '../../src/runtime/keygroups/index.js';
import { committedLines } from '../helpers/committed-output.js';
import { TestDist, waitFor } from '../helpers/test-dist.js';
import { TOPSPEED_CONFORMANCE } from '../helpers/fixture-paths.js';

const CONFORMANCE = TOPSPEED_CONFORMANCE;
const TOP_SPEED = 'org.apache.flink.streaming.examples.windowing.TopSpeedWindowing';
const WORD_COUNT = 'org.apache.flink.streaming.examples.wordcount.WordCount';

describe('streaming jobs through standalone-job.sh on two TaskManagers', () => {
  const dist = TestDist.create({ config: { 'heartbeat.interval': '500 ms', 'heartbeat.timeout': '5 s' } });

  before(async () => {
    dist.addExampleJar('TopSpeedWindowing');
    dist.addExampleJar('WordCount');
    for (let i = 0; i < 2; i++) assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
  });
  after(() => dist.destroy());

  for (const parallelism of [1, 2]) {
    it(`TopSpeedWindowing --input/--output writes exactly Flink's expected lines at parallelism ${parallelism}`, async () => {
      const output = join(dist.dir, `topspeed-out-${parallelism}`);
      const run = dist.startForeground('standalone-job.sh', [
        `-Dparallelism.default=${parallelism}`,
        '-j',
        TOP_SPEED,
        '--input',
        join(CONFORMANCE, 'input.txt'),
        '--output',
        output,
      ]);
      const result = await run;
      assert.equal(result.exitCode, 0, String(result.all));
      const expected = readFileSync(join(CONFORMANCE, 'expected.txt'), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .sort();
      assert.deepEqual(committedLines(output).sort(), expected);
    });
  }

  it('WordCount counts every word at parallelism 1, 2 and 3, each printed by the subtask Flink assigns the word to, every line kept', async () => {
    // Thousands of lines printed in a burst: the last ones are still on their way from the slot
    // thread when the job ends and its thread is ended, and all of them must reach the .out file.
    const filler = Array.from({ length: 1_000 }, (_, line) =>
      Array.from({ length: 20 }, (_, i) => `w${(line * 20 + i) % 5_000}`).join(' '),
    );
    const text = ['to be or not to be', 'that is the question', 'to sleep perchance to dream', 'be be be', ...filler].join('\n');
    const input = join(dist.dir, 'words.txt');
    writeFileSync(input, `${text}\n`);
    const expected = new Map<string, number>();
    for (const word of text.split(/\W+/).filter((w) => w !== '')) expected.set(word, (expected.get(word) ?? 0) + 1);
    assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    for (const parallelism of [1, 2, 3]) {
      const mark = dist.stdoutMark();
      const result = await dist.startForeground('standalone-job.sh', [
        `-Dparallelism.default=${parallelism}`,
        '-j',
        WORD_COUNT,
        '--input',
        input,
      ]);
      assert.equal(result.exitCode, 0, String(result.all));
      const lines = await waitFor('the counts to be printed', () => {
        const all = dist.taskManagerStdout(mark);
        return all.length >= [...expected.values()].reduce((a, b) => a + b, 0) ? all : undefined;
      });
      const finalCounts = new Map<string, number>();
      for (const line of lines) {
        const match = /^(?:(\d+)> )?\(([^,]+),(\d+)\)$/.exec(line);
        assert.ok(match !== null, `unexpected line '${line}'`);
        const [, prefix, word, count] = match;
        if (parallelism === 1) assert.equal(prefix, undefined, `no prefix at parallelism 1: '${line}'`);
        else assert.equal(Number(prefix), assignKeyToParallelOperator(word!, 128, parallelism) + 1, `subtask of '${word}'`);
        finalCounts.set(word!, Math.max(finalCounts.get(word!) ?? 0, Number(count)));
      }
      assert.deepEqual(finalCounts, expected, `parallelism ${parallelism}`);
    }
  });

  it('runs TopSpeedWindowing with its car generator and prints Flink-formatted records', async () => {
    const mark = dist.stdoutMark();
    const start = await dist.run('standalone-job.sh', ['start', '-j', TOP_SPEED]);
    assert.equal(start.exitCode, 0, start.stderr);
    const lines = await waitFor(
      'generated top speeds',
      () => {
        const fresh = dist.taskManagerStdout(mark);
        return fresh.length >= 3 ? fresh : undefined;
      },
      20_000,
    );
    for (const line of lines) assert.match(line, /^\([01],\d+,\d+\.\d+(E\d+)?,\d+\)$/);
    const stop = await dist.run('standalone-job.sh', ['stop']);
    assert.match(stop.stdout, /Stopping standalonejob daemon/);
  });
});

describe('jobs that cannot run', () => {
  const dist = TestDist.create({ config: { 'slot.request.timeout': '2 s', 'restart-strategy.type': 'none' } });
  after(() => dist.destroy());

  it('names a job class that is not on the classpath and exits non-zero', async () => {
    dist.addExampleJar('WordCount');
    const result = await dist.run('standalone-job.sh', ['start', '-j', 'org.example.Missing']);
    assert.notEqual(result.exitCode, 0);
    assert.match(result.stderr, /org\.example\.Missing/);
  });

  it('reports a corrupt jar', async () => {
    const dir = join(dist.dir, 'corrupt');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dist.libDir, 'Broken.jar'), 'PK\u0003\u0004 this is not really a zip');
    const result = await dist.run('standalone-job.sh', ['start', '-j', 'org.example.Broken']);
    assert.notEqual(result.exitCode, 0);
    assert.match(result.stderr, /Broken\.jar/);
  });

  it('exits with 163 when the main throws', async () => {
    dist.addFixtureJob('throwing-main');
    const result = await dist.startForeground('standalone-job.sh', ['-j', 'org.tsflink.fixtures.ThrowingMain']);
    assert.equal(result.exitCode, 163);
    assert.match(String(result.all), /this main refuses to run/);
  });

  it('fails the job after slot.request.timeout when no TaskManager offers slots', async () => {
    const result = await dist.startForeground('standalone-job.sh', ['-j', 'org.apache.flink.streaming.examples.wordcount.WordCount']);
    assert.equal(result.exitCode, 163);
    assert.match(String(result.all), /slot\.request\.timeout/);
  });

  it('fails the job with the user exception when a function throws', async () => {
    dist.addFixtureJob('failing-job');
    assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    const result = await dist.startForeground('standalone-job.sh', ['-j', 'org.tsflink.fixtures.FailingJob']);
    assert.equal(result.exitCode, 163, String(result.all));
    const taskManagerLog = dist.log('taskexecutor', 0);
    assert.match(taskManagerLog, /bad record 500/);
    assert.match(taskManagerLog, /explode-on-500/);
  });
});
