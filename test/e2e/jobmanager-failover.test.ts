import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkKeyedCounts, committedLines } from '../helpers/committed-output.js';
import { waitForProcessExit } from '../helpers/cluster-probes.js';
import { TestDist, waitFor } from '../helpers/test-dist.js';

const RECORDS = 24_000;
const KEYS = 200;
const JOB_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

describe('JobManager failure with a file-based HA store', () => {
  const dist = TestDist.create({
    config: {
      'heartbeat.interval': '200 ms',
      'heartbeat.timeout': '2 s',
      'scheduler-mode': 'reactive',
      'execution.checkpointing.interval': '300 ms',
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': 100,
      'restart-strategy.fixed-delay.delay': '100 ms',
      'high-availability.type': 'filesystem',
    },
  });
  dist.writeConfig({
    'high-availability.storageDir': `file://${join(dist.dir, 'ha')}`,
    'execution.checkpointing.dir': `file://${join(dist.dir, 'checkpoints')}`,
  });
  after(() => dist.destroy());

  it('resumes from the latest completed checkpoint after kill -9, TaskManagers reconnect, output stays exactly-once', async () => {
    dist.addFixtureJob('keyed-counter');
    const output = join(dist.dir, 'counts');
    const args = [
      '--job-id',
      JOB_ID,
      '-j',
      'org.tsflink.fixtures.KeyedCounter',
      '--records',
      String(RECORDS),
      '--keys',
      String(KEYS),
      '--rate',
      '1000',
      '--output',
      output,
    ];
    const first = await dist.run('standalone-job.sh', ['start', ...args]);
    assert.equal(first.exitCode, 0, first.stderr);
    for (let i = 0; i < 2; i++) assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    await waitFor(
      'a completed checkpoint',
      () => (/Completed checkpoint [2-9]/.test(dist.log('standalonejob', 0)) ? true : undefined),
      20_000,
    );
    const record = join(dist.dir, 'ha', 'default', `job-${JOB_ID}`, 'completed-checkpoints.json');
    await waitFor('the HA store to record the retained checkpoints', () => (existsSync(record) ? true : undefined));
    const jobManager = dist.pids('standalonejob')[0]!;
    process.kill(jobManager, 'SIGKILL');
    assert.ok(await waitForProcessExit(jobManager, 10_000), 'the killed JobManager is gone');
    const second = await dist.startForeground('standalone-job.sh', args);
    assert.equal(second.exitCode, 0, String(second.all).slice(-3000));
    const secondLog = String(second.all);
    assert.match(
      secondLog,
      /Recovered \d+ completed checkpoint\(s\) of job a1b2c3d4e5f60718293a4b5c6d7e8f90 \([1-9]\d* from the HA record\)/,
    );
    assert.equal(existsSync(record), false, "the finished job's HA data is removed");
    assert.match(secondLog, /Restoring job a1b2c3d4e5f60718293a4b5c6d7e8f90 from checkpoint \d+/);
    assert.match(secondLog, /Registering TaskManager/, 'the TaskManagers reconnected by themselves');
    const lines = committedLines(output);
    const { missing, duplicated } = checkKeyedCounts(lines, KEYS, RECORDS / KEYS);
    assert.deepEqual(duplicated.slice(0, 5), [], 'no line committed twice');
    assert.deepEqual(missing.slice(0, 5), []);
    assert.equal(lines.length, RECORDS);
  });
});
