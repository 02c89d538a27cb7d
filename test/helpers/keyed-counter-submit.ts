/** Submitting the keyed-counter fixture to a session cluster, as a user would with `bin/flink run -d`. */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FLINK_HOME, type TestDist } from './test-dist.js';

/** The built keyed-counter fixture job. */
export const KEYED_COUNTER = join(FLINK_HOME, 'dist', 'test', 'fixtures', 'jobs', 'keyed-counter.js');

/** A keyed counter submitted detached at parallelism 2: its job id and its output directory. */
export interface SubmittedCounter {
  readonly jobId: string;
  readonly output: string;
}

/** Submits the keyed counter over `keys` keys, detached, writing into `<dist>/<name>`. */
export async function submitKeyedCounter(
  dist: TestDist,
  name: string,
  keys: number,
  records: number,
  rate: number,
): Promise<SubmittedCounter> {
  const output = join(dist.dir, name);
  mkdirSync(output);
  const args = ['--records', String(records), '--keys', String(keys), '--rate', String(rate), '--output', output];
  const run = await dist.run('flink', ['run', '-d', '-p', '2', KEYED_COUNTER, ...args]);
  assert.equal(run.exitCode, 0, run.stderr);
  return { jobId: /JobID ([0-9a-f]{32})/.exec(run.stdout)![1]!, output };
}
