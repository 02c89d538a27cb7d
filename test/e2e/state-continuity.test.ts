import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { checkKeyedCounts, committedLines } from '../helpers/committed-output.js';
import { TestDist } from '../helpers/test-dist.js';

const RECORDS = 30_000;
const KEYS = 300;

describe('state continuity across rescales', () => {
  const dist = TestDist.create({
    config: {
      'heartbeat.interval': '200 ms',
      'heartbeat.timeout': '2 s',
      'scheduler-mode': 'reactive',
      'execution.checkpointing.interval': '300 ms',
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': 1000,
      'restart-strategy.fixed-delay.delay': '100 ms',
    },
  });
  after(() => dist.destroy());

  it('counts every record exactly once per key through scale-ups, a stop, a kill -9 and a restart', async () => {
    dist.addFixtureJob('keyed-counter');
    const output = join(dist.dir, 'counts');
    const job = dist.startForeground('standalone-job.sh', [
      '-Dexecution.checkpointing.dir=file://' + join(dist.dir, 'checkpoints'),
      '-j',
      'org.tsflink.fixtures.KeyedCounter',
      '--records',
      String(RECORDS),
      '--keys',
      String(KEYS),
      '--rate',
      '1200',
      '--output',
      output,
    ]);
    const startTaskManager = async (): Promise<void> => {
      const result = await dist.run('taskmanager.sh', ['start']);
      assert.equal(result.exitCode, 0, result.stderr);
    };
    await startTaskManager();
    await sleep(2000);
    await startTaskManager();
    await sleep(1500);
    await startTaskManager();
    await sleep(1500);
    assert.equal((await dist.run('taskmanager.sh', ['stop'])).exitCode, 0);
    await sleep(1500);
    const victim = dist.pids('taskexecutor').at(-1)!;
    process.kill(victim, 'SIGKILL');
    await sleep(1500);
    await startTaskManager();
    const result = await job;
    assert.equal(result.exitCode, 0, String(result.all).slice(-3000));
    const lines = committedLines(output);
    const { missing, duplicated } = checkKeyedCounts(lines, KEYS, RECORDS / KEYS);
    assert.deepEqual(duplicated.slice(0, 10), [], 'no (key,count) line is committed twice');
    assert.deepEqual(missing.slice(0, 10), [], 'every (key,count) line is committed');
    assert.equal(lines.length, RECORDS);
    const log = dist.log('standalonejob', 0);
    assert.ok((log.match(/switched from state RUNNING to RESTARTING/g) ?? []).length >= 5, 'the job rescaled at every event');
    assert.match(log, /Restoring job .* from checkpoint/);
  });
});
