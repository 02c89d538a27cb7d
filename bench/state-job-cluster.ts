import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { FLINK_HOME, restUrlFrom, type TestDist } from '../test/helpers/test-dist.js';

/**
 * Starts the benchmarks' keyed-state job (bench/jobs/state-job.ts) in an application cluster of
 * `dist`, with checkpoints on disk; resolves with its REST address.
 */
export async function startStateJob(dist: TestDist, jobArgs: readonly string[]): Promise<string> {
  copyFileSync(join(FLINK_HOME, 'dist', 'bench', 'jobs', 'state-job.js'), join(dist.libDir, 'state-job.mjs'));
  const started = await dist.run('standalone-job.sh', [
    'start',
    `-Dexecution.checkpointing.dir=file://${join(dist.dir, 'chk')}`,
    '-j',
    'org.tsflink.bench.KeyedState',
    ...jobArgs,
  ]);
  if (started.exitCode !== 0) throw new Error(started.stderr);
  return restUrlFrom(started.stdout);
}
