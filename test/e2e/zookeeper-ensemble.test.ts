import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Metric, VertexDetails } from '../../src/rest/types/responses.js';
import { countMatches } from '../helpers/cluster-probes.js';
import {
  checkExactlyOnce,
  completedCheckpoints,
  GRANTED,
  reactiveHaDist,
  restoredCheckpoints,
  startHaJob,
  type KeyedCounterJob,
} from '../helpers/ha-cluster.js';
import { getJson, runningAt, waitFor, type TestDist } from '../helpers/test-dist.js';
import { fourLetterWord, ZooKeeperEnsemble, type ZooKeeperServer } from '../helpers/zookeeper-server.js';

// 50 s of input at parallelism 2: the job must outlive three server kills and the whole ensemble's outage.
const JOB: KeyedCounterJob = { jobId: 'e0e1e2e3e4e5e6e7e8e9eaebecedeeef', records: 40_000, keys: 200, rate: 400 };

/** What must not change while one ZooKeeper server is down: who leads, in which session, restarts, and every subtask's attempt. */
interface JobIdentity {
  readonly grants: number;
  readonly leaderSession: string | undefined;
  readonly numRestarts: string | undefined;
  readonly attempts: string;
  readonly registrations: number;
}

/** The job's identity once every subtask runs at parallelism 2. */
async function identityOf(dist: TestDist, instance: number, restUrl: string): Promise<JobIdentity> {
  const job = await runningAt(restUrl, JOB.jobId, 2);
  const vertices = await waitFor('every subtask to run', async () => {
    const details = await Promise.all(job.vertices.map((v) => getJson<VertexDetails>(restUrl, `/jobs/${JOB.jobId}/vertices/${v.id}`)));
    return details.every((v) => v.subtasks.every((s) => s.status === 'RUNNING')) ? details : undefined;
  });
  const logs = [dist.log('standalonejob', 0), dist.log('standalonejob', 1)];
  const metrics = await getJson<Metric[]>(restUrl, `/jobs/${JOB.jobId}/metrics?get=numRestarts`);
  return {
    grants: logs.reduce((sum, log) => sum + countMatches(log, GRANTED), 0),
    leaderSession: GRANTED.exec(logs[instance]!)?.[1],
    numRestarts: metrics.find((metric) => metric.id === 'numRestarts')?.value,
    attempts: vertices.map((v) => `${v.name}: ${v.subtasks.map((s) => `${s.subtask}#${s.attempt} ${s.status}`).join(', ')}`).join('; '),
    registrations: countMatches(logs[instance]!, /Registering TaskManager/),
  };
}

/** Waits until a checkpoint with an id above `after` completed on the JobManager `instance`. */
async function checkpointAfter(dist: TestDist, instance: number, after: number): Promise<number> {
  return waitFor(
    `a checkpoint after ${after} to complete`,
    () => completedCheckpoints(dist.log('standalonejob', instance)).find((id) => id > after),
    30_000,
  );
}

/** Waits until `servers` form a quorum again, one of them leading it. */
async function quorumServes(servers: readonly ZooKeeperServer[]): Promise<void> {
  await waitFor(
    'the remaining servers to serve as a quorum',
    async () => {
      const modes = await Promise.all(servers.map(async (server) => /Mode: (\w+)/.exec(await fourLetterWord(server.port, 'srvr'))?.[1]));
      return modes.includes('leader') && modes.every((mode) => mode === 'leader' || mode === 'follower') ? true : undefined;
    },
    30_000,
  );
}

describe('ZooKeeper high availability on a three-server ensemble', () => {
  let ensemble: ZooKeeperEnsemble | undefined;
  let dist: TestDist | undefined;
  after(async () => {
    await dist?.destroy();
    await ensemble?.stop();
  });

  it('one server killed: nothing happens to the job; the whole ensemble down: suspended; back: resumes from its latest checkpoint, exactly-once', async () => {
    ensemble = await ZooKeeperEnsemble.start(3);
    // Flink's default gives leadership up as soon as the connection is suspended, which a client whose
    // server dies always is for a moment; keeping it across that is what this option is for.
    dist = reactiveHaDist(ensemble, {
      // As in Flink, only a kept result stops the standby from running the finished application again.
      'job-result-store.delete-on-commit': false,
      'high-availability.zookeeper.client.tolerate-suspended-connections': true,
      'high-availability.zookeeper.client.session-timeout': '5 s',
    });
    const { leader, standby, output } = await startHaJob(dist, JOB);
    const before = await identityOf(dist, leader.instance, leader.restUrl);
    assert.equal(before.grants, 1);
    assert.equal(before.leaderSession, leader.leaderSession);
    const beforeKills = dist.log('standalonejob', leader.instance).length;

    // Each server in turn, so that the one every JobManager and TaskManager is connected to dies once.
    for (const [index, server] of ensemble.servers.entries()) {
      const latest = completedCheckpoints(dist.log('standalonejob', leader.instance)).at(-1) ?? 0;
      await server.kill();
      await quorumServes(ensemble.servers.filter((_, i) => i !== index));
      await checkpointAfter(dist, leader.instance, latest);
      await server.restart();
      await quorumServes(ensemble.servers);
    }
    await checkpointAfter(dist, leader.instance, completedCheckpoints(dist.log('standalonejob', leader.instance)).at(-1) ?? 0);
    const leaderLog = dist.log('standalonejob', leader.instance).slice(beforeKills);
    assert.match(leaderLog, /ZooKeeper connection suspended/, "the leader's own server was among those killed");
    assert.match(leaderLog, /Reconnected to ZooKeeper .*; session 0x[0-9a-f]+ lives on\./);
    assert.deepEqual(await identityOf(dist, leader.instance, leader.restUrl), before, 'the same leader, session, restarts and attempts');
    assert.doesNotMatch(leaderLog, /lost leadership|switched from state RUNNING to RESTARTING/);

    // The whole ensemble down: once the session is lost, leadership goes and the job is suspended.
    const servers = ensemble.servers;
    await Promise.all(servers.map((server) => server.kill()));
    let latestBeforeOutage = 0;
    try {
      await waitFor(
        'the job to be suspended',
        () => (/reached SUSPENDED/.test(dist!.log('standalonejob', leader.instance)) ? true : undefined),
        30_000,
      );
      const suspendedLog = dist.log('standalonejob', leader.instance);
      assert.match(suspendedLog, /is no longer the leader .*; its jobs are suspended and it stands by\./);
      latestBeforeOutage = completedCheckpoints(suspendedLog).at(-1) ?? 0;
      assert.doesNotMatch(dist.log('standalonejob', standby.instance), GRANTED, 'nobody leads without ZooKeeper');
    } finally {
      // A member serves only once a quorum formed, so all start before any is waited for.
      await Promise.all(servers.map((server) => server.restart()));
    }
    const mark = dist.log('standalonejob', leader.instance).length;
    const logsSinceOutage = (): string =>
      dist!.log('standalonejob', leader.instance).slice(mark) + dist!.log('standalonejob', standby.instance);
    await waitFor('a JobManager to lead again', () => (countMatches(logsSinceOutage(), GRANTED) >= 1 ? true : undefined), 60_000);
    await waitFor('the job to finish', () => (/Application completed SUCCESSFULLY/.test(logsSinceOutage()) ? true : undefined), 180_000);
    const restored = restoredCheckpoints(logsSinceOutage());
    assert.ok(restored.length >= 1, 'the job was restored from a checkpoint after the outage');
    assert.ok(
      restored[0]! >= latestBeforeOutage,
      `restored checkpoint ${restored[0]}, the latest before the outage was ${latestBeforeOutage}`,
    );
    checkExactlyOnce(output, JOB);
    for (const instance of [leader.instance, standby.instance])
      assert.doesNotMatch(
        dist.log('standalonejob', instance),
        /Application failed|with exit code [1-9]/,
        `JobManager ${instance} never failed`,
      );
  });
});
