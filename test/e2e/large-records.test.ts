import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkKeyedCounts, committedLines } from '../helpers/committed-output.js';
import { TestDist } from '../helpers/test-dist.js';

const BIG_RECORDS = 'org.tsflink.fixtures.BigRecords';

/** A dist with the big-records job and two one-slot TaskManagers, started before and destroyed after the suite. */
function twoTaskManagers(extra: Record<string, string>): TestDist {
  const dist = TestDist.create({
    config: {
      'taskmanager.numberOfTaskSlots': 1,
      'parallelism.default': 2,
      'execution.checkpointing.interval': '1 s',
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': 3,
      'restart-strategy.fixed-delay.delay': '100 ms',
      ...extra,
    },
  });
  before(async () => {
    dist.addFixtureJob('big-records');
    for (let i = 0; i < 2; i++) assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
  });
  after(() => dist.destroy());
  return dist;
}

describe('large records between two TaskManagers', () => {
  const dist = twoTaskManagers({});

  it('runs 200 KB records through keyBy, every record exactly once and intact', async () => {
    const output = join(dist.dir, 'counts-200k');
    mkdirSync(output);
    const keys = 4;
    const records = 800;
    const run = await dist.startForeground('standalone-job.sh', [
      '-j',
      BIG_RECORDS,
      '--records',
      String(records),
      '--keys',
      String(keys),
      '--size',
      String(200 * 1024),
      '--output',
      output,
    ]);
    assert.equal(run.exitCode, 0, String(run.all).slice(-3000));
    const { missing, duplicated } = checkKeyedCounts(committedLines(output), keys, records / keys);
    assert.deepEqual({ missing: missing.slice(0, 5), duplicated: duplicated.slice(0, 5) }, { missing: [], duplicated: [] });
    const log = dist.log('standalonejob', 0);
    assert.doesNotMatch(log, /RESTARTING/, 'no restart on the way');
  });
});

// The limit is the TaskManagers' own option (as in Flink, -D of the JobManager does not reach them), so it is in their config.
describe('a record larger than the largest data frame', () => {
  const dist = twoTaskManagers({ 'taskmanager.network.max-frame-size': '1 mb' });

  it('fails the job once, in one line naming the size, the limit and the option, for a record larger than a frame', async () => {
    const output = join(dist.dir, 'counts-oversize');
    mkdirSync(output);
    const run = await dist.startForeground('standalone-job.sh', [
      '-j',
      BIG_RECORDS,
      '--records',
      '40',
      '--keys',
      '4',
      '--size',
      String(2 * 1024 * 1024),
      '--output',
      output,
    ]);
    assert.notEqual(run.exitCode, 0, 'the application fails');
    const log = dist.log('standalonejob', 0);
    const lines = log
      .split('\n')
      .filter((line) =>
        /A record of \d+ bytes \(serialized\) exceeds the largest data frame of 1048576 bytes; raise taskmanager\.network\.max-frame-size on every TaskManager to send it\./.test(
          line,
        ),
      );
    assert.ok(lines.length >= 1, `the JobManager log names the record's size, the limit and the option:\n${log.slice(-3000)}`);
    assert.doesNotMatch(log, /switched from state \w+ to RESTARTING/, 'no restart into the same record');
    assert.match(log, /switched from state \w+ to FAILED/);
  });
});
