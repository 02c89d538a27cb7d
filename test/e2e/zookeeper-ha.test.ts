import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitForProcessExit } from '../helpers/cluster-probes.js';
import {
  checkExactlyOnce,
  completedCheckpointOn,
  completedCheckpoints,
  GRANTED,
  jobManagerView,
  reactiveHaDist,
  restoredCheckpoints,
  startHaJob,
  startJobManagers,
  type JobManagerView,
  type KeyedCounterJob,
} from '../helpers/ha-cluster.js';
import { countMatches } from '../helpers/cluster-probes.js';
import { type TestDist, waitFor } from '../helpers/test-dist.js';
import { ZooKeeperServer } from '../helpers/zookeeper-server.js';

const JOB: KeyedCounterJob = { jobId: 'b1b2c3d4e5f60718293a4b5c6d7e8f91', records: 24_000, keys: 200, rate: 1000 };

/** How the leader is taken away: kill -9, a graceful stop, or a freeze (SIGSTOP) longer than the session timeout. */
type Depose = 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGKILL during a checkpoint';

/** The checkpoint the leader triggered and has not completed, from its log; undefined between checkpoints. */
function inFlightCheckpoint(log: string): number | undefined {
  const triggered = [...log.matchAll(/Triggering checkpoint (\d+) /g)].at(-1)?.[1];
  return triggered !== undefined && !log.includes(`Completed checkpoint ${triggered} `) ? Number(triggered) : undefined;
}

/**
 * Kills `pid` with SIGKILL while a checkpoint is in flight (polled closely: checkpoints take
 * milliseconds); resolves with its id. The process is frozen first and its log read again: a
 * checkpoint can complete between a read and the kill, and only one still in flight while the
 * process cannot move counts; otherwise it is woken and the next checkpoint is tried.
 */
async function killDuringCheckpoint(dist: TestDist, instance: number, pid: number): Promise<number> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const id = inFlightCheckpoint(dist.log('standalonejob', instance));
    if (id !== undefined) {
      process.kill(pid, 'SIGSTOP');
      if (inFlightCheckpoint(dist.log('standalonejob', instance)) === id) {
        process.kill(pid, 'SIGKILL');
        return id;
      }
      process.kill(pid, 'SIGCONT');
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error('no checkpoint was in flight within 60 s');
}

/** Runs the keyed counter with two JobManagers, takes the leader away, and checks the output; resolves with both logs. */
async function failover(dist: TestDist, depose: Depose): Promise<{ log: string; oldLog: string; old: JobManagerView }> {
  const { leader, standby, output } = await startHaJob(dist, JOB);
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
  const next = await waitFor('the standby to lead', () => jobManagerView(dist, standby.instance)?.leaderSession, 30_000);
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
  checkExactlyOnce(output, JOB);
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
    const { leader, output } = await startHaJob(dist, JOB);
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
    checkExactlyOnce(output, JOB);
  });

  it('a lone JobManager that lost leadership with ZooKeeper leads again once it is back and resumes its suspended job', async () => {
    const dist = reactiveHaDist(zookeeper);
    dists.push(dist);
    const output = await startJobManagers(dist, JOB, 1);
    await completedCheckpointOn(dist, 0);
    await zookeeper.kill();
    let latestBeforeOutage = 0;
    try {
      await waitFor('the job to be suspended', () => (/reached SUSPENDED/.test(dist.log('standalonejob', 0)) ? true : undefined), 15_000);
      latestBeforeOutage = completedCheckpoints(dist.log('standalonejob', 0)).at(-1) ?? 0;
    } finally {
      await zookeeper.restart();
    }
    const mark = dist.log('standalonejob', 0).indexOf('reached SUSPENDED');
    const pid = jobManagerView(dist, 0)!.pid;
    assert.ok(await waitForProcessExit(pid, 120_000), 'the JobManager finishes the job and ends');
    const log = dist.log('standalonejob', 0);
    assert.equal(countMatches(log, GRANTED), 2, 'leadership was granted again to the same process');
    assert.doesNotMatch(log, /Application failed/);
    assert.match(log, /Application completed SUCCESSFULLY/);
    assert.match(log, /with exit code 0\./);
    const restored = restoredCheckpoints(log.slice(mark));
    assert.ok((restored[0] ?? -1) >= latestBeforeOutage, `restored ${restored[0]}, the latest before the outage was ${latestBeforeOutage}`);
    checkExactlyOnce(output, JOB);
  });
});
