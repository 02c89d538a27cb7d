import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkKeyedCounts, committedLines } from '../helpers/committed-output.js';
import { waitForProcessExit } from '../helpers/cluster-probes.js';
import { TestDist, waitFor } from '../helpers/test-dist.js';
import { haDist } from '../helpers/ha-dist.js';
import { ZooKeeperServer } from '../helpers/zookeeper-server.js';

const RECORDS = 24_000;
const KEYS = 200;
const JOB_ID = 'b1b2c3d4e5f60718293a4b5c6d7e8f91';
const GRANTED = /granted leadership with leader session id ([0-9a-f-]{36})/;

/** One JobManager as its log tells it: its pid, REST URL and, once it leads, its leader session id. */
interface JobManagerView {
  readonly instance: number;
  readonly pid: number;
  readonly restUrl: string;
  readonly leaderSession: string | undefined;
}

function viewOf(dist: TestDist, instance: number): JobManagerView | undefined {
  const log = dist.log('standalonejob', instance);
  const pid = /pid (\d+)\)/.exec(log)?.[1];
  const restUrl = /Web frontend listening at (\S+)\./.exec(log)?.[1];
  if (pid === undefined || restUrl === undefined) return undefined;
  return { instance, pid: Number(pid), restUrl, leaderSession: GRANTED.exec(log)?.[1] };
}

/** How the leader is taken away: kill -9, a graceful stop, or a freeze (SIGSTOP) longer than the session timeout. */
type Depose = 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGKILL during a checkpoint';

/** The checkpoint the leader triggered and has not completed, from its log; undefined between checkpoints. */
function inFlightCheckpoint(log: string): number | undefined {
  const triggered = [...log.matchAll(/Triggering checkpoint (\d+) /g)].at(-1)?.[1];
  return triggered !== undefined && !log.includes(`Completed checkpoint ${triggered} `) ? Number(triggered) : undefined;
}

/** Kills `pid` with SIGKILL while a checkpoint is in flight (polled closely: checkpoints take milliseconds); resolves with its id. */
async function killDuringCheckpoint(dist: TestDist, instance: number, pid: number): Promise<number> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const id = inFlightCheckpoint(dist.log('standalonejob', instance));
    if (id !== undefined) {
      process.kill(pid, 'SIGKILL');
      return id;
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error('no checkpoint was in flight within 30 s');
}

/** A dist for these tests: reactive mode, and `extra` options. */
function reactiveHaDist(zookeeper: ZooKeeperServer, extra: Record<string, string | number | boolean> = {}): TestDist {
  return haDist(zookeeper, { 'scheduler-mode': 'reactive', ...extra });
}

/** The keyed counter running with two JobManagers and two TaskManagers, once its leader completed a checkpoint. */
interface RunningCluster {
  readonly leader: JobManagerView;
  readonly standby: JobManagerView;
  readonly output: string;
}

async function startHaJob(dist: TestDist): Promise<RunningCluster> {
  dist.addFixtureJob('keyed-counter');
  const output = join(dist.dir, 'counts');
  const args = ['--job-id', JOB_ID, '-j', 'org.tsflink.fixtures.KeyedCounter', '--records', String(RECORDS), '--keys', String(KEYS)];
  const jobArgs = [...args, '--rate', '1000', '--output', output];
  for (let i = 0; i < 2; i++) {
    const started = await dist.run('standalone-job.sh', ['start', ...jobArgs]);
    assert.equal(started.exitCode, 0, started.stderr);
  }
  for (let i = 0; i < 2; i++) assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
  const [leader, standby] = await waitFor(
    'one JobManager to lead',
    () => {
      const views = [viewOf(dist, 0), viewOf(dist, 1)];
      if (views.some((view) => view === undefined)) return undefined;
      const leading = views.filter((view) => view!.leaderSession !== undefined);
      return leading.length === 1 ? [leading[0]!, views.find((view) => view !== leading[0])!] : undefined;
    },
    30_000,
  );
  await waitFor(
    'a completed checkpoint on the leader',
    () => (/Completed checkpoint [2-9]/.test(dist.log('standalonejob', leader.instance)) ? true : undefined),
    30_000,
  );
  return { leader, standby, output };
}

/** The committed output is every line of the fault-free run, each exactly once. */
function checkExactlyOnce(output: string): void {
  const lines = committedLines(output);
  const { missing, duplicated } = checkKeyedCounts(lines, KEYS, RECORDS / KEYS);
  assert.deepEqual(duplicated.slice(0, 5), [], 'no line committed twice');
  assert.deepEqual(missing.slice(0, 5), [], 'no line lost');
  assert.equal(lines.length, RECORDS);
}

/** Runs the keyed counter with two JobManagers, takes the leader away, and checks the output; resolves with both logs. */
async function failover(dist: TestDist, depose: Depose): Promise<{ log: string; oldLog: string; old: JobManagerView }> {
  const { leader, standby, output } = await startHaJob(dist);
  // The standby points clients to the leader, as Flink's REST does.
  const redirect = await fetch(`${standby.restUrl}/jobs/overview`, { redirect: 'manual' });
  assert.equal(redirect.status, 307);
  assert.equal(redirect.headers.get('location'), `${leader.restUrl}/jobs/overview`);
  assert.match(((await redirect.json()) as { errors: string[] }).errors[0] ?? '', /is not the leader; the leader is at /);
  if (depose === 'SIGKILL during a checkpoint') {
    const id = await killDuringCheckpoint(dist, leader.instance, leader.pid);
    assert.ok(await waitForProcessExit(leader.pid, 15_000));
    assert.equal(
      inFlightCheckpoint(dist.log('standalonejob', leader.instance)),
      id,
      `checkpoint ${id} never completed on the killed leader`,
    );
  } else process.kill(leader.pid, depose);
  if (depose !== 'SIGSTOP') assert.ok(await waitForProcessExit(leader.pid, 15_000), 'the deposed leader is gone');
  const next = await waitFor('the standby to lead', () => viewOf(dist, standby.instance)?.leaderSession, 30_000);
  assert.notEqual(next, leader.leaderSession);
  if (depose === 'SIGSTOP') {
    // The old leader wakes up after its session expired, still believing it leads, until it hears otherwise.
    await waitFor('the TaskManagers to follow the new leader', () =>
      (dist.log('standalonejob', standby.instance).match(/Registering TaskManager/g) ?? []).length >= 2 ? true : undefined,
    );
    process.kill(leader.pid, 'SIGCONT');
    await waitFor(
      'the woken leader to step down',
      () =>
        /is no longer the leader .*; its jobs are suspended and it stands by\./.test(dist.log('standalonejob', leader.instance))
          ? true
          : undefined,
      30_000,
    );
  }
  assert.ok(await waitForProcessExit(standby.pid, 120_000), 'the new leader finishes the job and ends');
  checkExactlyOnce(output);
  return { log: dist.log('standalonejob', standby.instance), oldLog: dist.log('standalonejob', leader.instance), old: leader };
}

describe('ZooKeeper high availability with two JobManagers', () => {
  let zookeeper: ZooKeeperServer;
  const dists: TestDist[] = [];
  before(async () => {
    zookeeper = await ZooKeeperServer.start();
  });
  after(async () => {
    for (const dist of dists) await dist.destroy();
    await zookeeper?.stop();
  });

  it('kill -9 of the leader: the standby takes over, restores the latest checkpoint, TaskManagers follow, output is exactly-once', async () => {
    const dist = reactiveHaDist(zookeeper);
    dists.push(dist);
    const { log } = await failover(dist, 'SIGKILL');
    assert.match(log, /Recovered \d+ completed checkpoint\(s\) of job b1b2c3d4e5f60718293a4b5c6d7e8f91/);
    assert.match(log, /Restoring job b1b2c3d4e5f60718293a4b5c6d7e8f91 from checkpoint \d+/);
    assert.match(log, /Registering TaskManager/, 'the TaskManagers registered with the new leader');
  });

  it('graceful stop of the leader: the standby takes over without waiting for the session timeout', async () => {
    const dist = reactiveHaDist(zookeeper);
    dists.push(dist);
    const { log } = await failover(dist, 'SIGTERM');
    assert.match(log, /Restoring job b1b2c3d4e5f60718293a4b5c6d7e8f91 from checkpoint \d+/);
  });

  it('kill -9 of the leader during a checkpoint: the incomplete checkpoint is never restored, output is exactly-once', async () => {
    const dist = reactiveHaDist(zookeeper);
    dists.push(dist);
    const { log } = await failover(dist, 'SIGKILL during a checkpoint');
    assert.match(log, /Restoring job b1b2c3d4e5f60718293a4b5c6d7e8f91 from checkpoint \d+/);
  });

  it('a leader frozen longer than the session timeout is replaced; woken up, it suspends its job, stands by and duplicates nothing', async () => {
    // As in Flink, only a kept (not deleted-on-commit) result stops an application with a fixed job id from running again.
    const dist = reactiveHaDist(zookeeper, { 'job-result-store.delete-on-commit': false });
    dists.push(dist);
    const { log, oldLog, old } = await failover(dist, 'SIGSTOP');
    assert.match(log, /Restoring job b1b2c3d4e5f60718293a4b5c6d7e8f91 from checkpoint \d+/);
    assert.match(oldLog, /reached SUSPENDED/);
    // Leading again once the new leader finished, it finds the job's end in the job result store and does not rerun it.
    assert.ok(await waitForProcessExit(old.pid, 30_000), 'the old leader ends too');
    assert.match(
      dist.log('standalonejob', old.instance),
      /already reached FINISHED \(recorded in the job result store\); it is not run again\./,
    );
  });

  it('ZooKeeper down: leadership is revoked and the job suspended; ZooKeeper back: the job resumes from its latest checkpoint', async () => {
    const dist = reactiveHaDist(zookeeper);
    dists.push(dist);
    const { leader, output } = await startHaJob(dist);
    await zookeeper.kill();
    try {
      await waitFor(
        'the job to be suspended',
        () => (/reached SUSPENDED/.test(dist.log('standalonejob', leader.instance)) ? true : undefined),
        15_000,
      );
      assert.match(dist.log('standalonejob', leader.instance), /is no longer the leader .*; its jobs are suspended and it stands by\./);
    } finally {
      await zookeeper.restart();
    }
    const grants = (): number =>
      [0, 1].reduce((sum, i) => sum + (dist.log('standalonejob', i).match(/granted leadership/g) ?? []).length, 0);
    await waitFor('a JobManager to lead again', () => (grants() >= 2 ? true : undefined), 60_000);
    await waitFor(
      'the job to finish',
      () => ([0, 1].some((i) => /Application completed SUCCESSFULLY/.test(dist.log('standalonejob', i))) ? true : undefined),
      120_000,
    );
    const logs = dist.log('standalonejob', 0) + dist.log('standalonejob', 1);
    assert.ok((logs.match(/Restoring job b1b2c3d4e5f60718293a4b5c6d7e8f91 from checkpoint \d+/g) ?? []).length >= 1);
    checkExactlyOnce(output);
  });
});
