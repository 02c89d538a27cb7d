import assert from 'node:assert/strict';
import { join } from 'node:path';
import { checkKeyedCounts, committedLines } from './committed-output.js';
import { haDist, type ZooKeeperQuorum } from './ha-dist.js';
import { type TestDist, waitFor } from './test-dist.js';

/** The line a JobManager logs when it becomes leader; group 1 is its leader session id. */
export const GRANTED = /granted leadership with leader session id ([0-9a-f-]{36})/;

/** One JobManager as its log tells it: its pid, REST URL and, once it leads, its leader session id. */
export interface JobManagerView {
  readonly instance: number;
  readonly pid: number;
  readonly restUrl: string;
  readonly leaderSession: string | undefined;
}

/** The view of `standalonejob` instance `instance`, once its log names its pid and REST URL. */
export function jobManagerView(dist: TestDist, instance: number): JobManagerView | undefined {
  const log = dist.log('standalonejob', instance);
  const pid = /pid (\d+)\)/.exec(log)?.[1];
  const restUrl = /Web frontend listening at (\S+)\./.exec(log)?.[1];
  if (pid === undefined || restUrl === undefined) return undefined;
  return { instance, pid: Number(pid), restUrl, leaderSession: GRANTED.exec(log)?.[1] };
}

/** A dist of haDist's in Reactive Mode, with `extra` options on top. */
export function reactiveHaDist(zookeeper: ZooKeeperQuorum, extra: Record<string, string | number | boolean> = {}): TestDist {
  return haDist(zookeeper, { 'scheduler-mode': 'reactive', ...extra });
}

/** The keyed counter's size and pace: `records` over `keys` keys at `rate` records per second per source subtask. */
export interface KeyedCounterJob {
  readonly jobId: string;
  readonly records: number;
  readonly keys: number;
  readonly rate: number;
}

/** The keyed counter running with two JobManagers and two TaskManagers, once its leader completed a checkpoint. */
export interface RunningHaJob {
  readonly leader: JobManagerView;
  readonly standby: JobManagerView;
  readonly output: string;
}

/** Starts `count` JobManagers for `job` (application mode, fixed job id) and two TaskManagers; resolves with the output dir. */
export async function startJobManagers(dist: TestDist, job: KeyedCounterJob, count: number): Promise<string> {
  dist.addFixtureJob('keyed-counter');
  const output = join(dist.dir, 'counts');
  const size = ['--records', String(job.records), '--keys', String(job.keys)];
  const jobArgs = [
    '--job-id',
    job.jobId,
    '-j',
    'org.tsflink.fixtures.KeyedCounter',
    ...size,
    '--rate',
    String(job.rate),
    '--output',
    output,
  ];
  for (let i = 0; i < count; i++) {
    const started = await dist.run('standalone-job.sh', ['start', ...jobArgs]);
    assert.equal(started.exitCode, 0, started.stderr);
  }
  for (let i = 0; i < 2; i++) assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
  return output;
}

/** Starts two JobManagers for `job` and two TaskManagers; resolves once one leads and completed a checkpoint. */
export async function startHaJob(dist: TestDist, job: KeyedCounterJob): Promise<RunningHaJob> {
  const output = await startJobManagers(dist, job, 2);
  const [leader, standby] = await waitFor(
    'one JobManager to lead',
    () => {
      const views = [jobManagerView(dist, 0), jobManagerView(dist, 1)];
      if (views.some((view) => view === undefined)) return undefined;
      const leading = views.filter((view) => view!.leaderSession !== undefined);
      return leading.length === 1 ? [leading[0]!, views.find((view) => view !== leading[0])!] : undefined;
    },
    30_000,
  );
  await completedCheckpointOn(dist, leader.instance);
  return { leader, standby, output };
}

/** Waits until JobManager `instance` completed its second checkpoint. */
export async function completedCheckpointOn(dist: TestDist, instance: number): Promise<void> {
  await waitFor(
    'a completed checkpoint on the leader',
    () => (/Completed checkpoint [2-9]/.test(dist.log('standalonejob', instance)) ? true : undefined),
    30_000,
  );
}

/** Ids of the checkpoints a JobManager log reports completed, in order. */
export function completedCheckpoints(log: string): number[] {
  return [...log.matchAll(/Completed checkpoint (\d+) /g)].map((match) => Number(match[1]));
}

/** Ids of the checkpoints a JobManager log reports restoring from, in order. */
export function restoredCheckpoints(log: string): number[] {
  return [...log.matchAll(/Restoring job \w+ from checkpoint (\d+)/g)].map((match) => Number(match[1]));
}

/** The committed output is every line of the fault-free run of `job`, each exactly once. */
export function checkExactlyOnce(output: string, job: KeyedCounterJob): void {
  const lines = committedLines(output);
  const { missing, duplicated } = checkKeyedCounts(lines, job.keys, job.records / job.keys);
  assert.deepEqual(duplicated.slice(0, 5), [], 'no line committed twice');
  assert.deepEqual(missing.slice(0, 5), [], 'no line lost');
  assert.equal(lines.length, job.records);
}
