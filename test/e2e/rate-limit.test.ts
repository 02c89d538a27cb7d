import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { TestDist, waitFor } from '../helpers/test-dist.js';

const RECORDS = 100_000;
const RATE = 50_000;

describe('DataGeneratorSource rate limit on a real TaskManager', () => {
  const dist = TestDist.create();
  after(() => dist.destroy());

  it(`delivers at least 80% of ${RATE.toLocaleString('en')} records/s, counted between its first and last record`, async () => {
    dist.addFixtureJob('rate-limited');
    assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    const mark = dist.stdoutMark();
    const result = await dist.startForeground('standalone-job.sh', [
      '-Dparallelism.default=1',
      '-j',
      'org.tsflink.fixtures.RateLimited',
      '--records',
      String(RECORDS),
      '--rate',
      String(RATE),
    ]);
    assert.equal(result.exitCode, 0, String(result.all));
    const stamps = await waitFor('the first and last record to be printed', () => {
      const lines = dist.taskManagerStdout(mark);
      return lines.length >= 2 ? lines : undefined;
    });
    const at = new Map(stamps.map((line) => line.split('@').map(Number) as [number, number]));
    const first = at.get(0);
    const last = at.get(RECORDS - 1);
    assert.ok(first !== undefined && last !== undefined, `unexpected output: ${stamps.join(' | ')}`);
    const delivered = (RECORDS - 1) / (Math.max(1, last - first) / 1000);
    assert.ok(delivered >= 0.8 * RATE, `delivered ${Math.round(delivered)} records/s, asked for ${RATE}`);
    assert.ok(delivered <= 1.05 * RATE, `delivered ${Math.round(delivered)} records/s, more than the ${RATE} asked`);
  });
});
