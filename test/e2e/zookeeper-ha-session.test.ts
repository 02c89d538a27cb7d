import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkKeyedCounts, committedLines } from '../helpers/committed-output.js';
import { submitKeyedCounter, type SubmittedCounter } from '../helpers/keyed-counter-submit.js';
import { waitForProcessExit } from '../helpers/cluster-probes.js';
import { freePort } from '../helpers/prometheus-server.js';
import { getJson, TestDist, waitFor } from '../helpers/test-dist.js';
import { haClusterId, haDist, haStorageDir } from '../helpers/ha-dist.js';
import { ZooKeeperServer } from '../helpers/zookeeper-server.js';

const KEYS = 20;
const RECORDS = 16_000;
const GRANTED = /granted leadership with leader session id ([0-9a-f-]{36})/;

/** One session JobManager as its log tells it. */
interface JobManagerView {
  readonly instance: number;
  readonly pid: number;
  readonly restUrl: string;
  readonly leads: boolean;
}

function viewOf(dist: TestDist, instance: number): JobManagerView | undefined {
  const log = dist.log('standalonesession', instance);
  const pid = /pid (\d+)\)/.exec(log)?.[1];
  const restUrl = /Web frontend listening at (\S+)\./.exec(log)?.[1];
  if (pid === undefined || restUrl === undefined) return undefined;
  return { instance, pid: Number(pid), restUrl, leads: GRANTED.test(log) };
}

/** The files of submitted job graphs under `<storageDir>/<cluster-id>`. */
function storedJobGraphFiles(clusterDir: string): string[] {
  return existsSync(clusterDir) ? readdirSync(clusterDir).filter((name) => name.startsWith('submittedJobGraph')) : [];
}

/**
 * A session cluster of two JobManagers (conf/masters) and two TaskManagers: one job canceled and one
 * finished before the leader is taken away by `signal`, two running; the standby must recover
 * exactly the two running ones from their checkpoints, and their output must be exactly-once.
 */
async function sessionFailover(dist: TestDist, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  const clusterId = haClusterId(dist);
  const storageDir = haStorageDir(dist);
  writeFileSync(join(dist.confDir, 'masters'), `localhost:${await freePort()}\nlocalhost:${await freePort()}\n`);
  writeFileSync(join(dist.confDir, 'workers'), 'localhost\nlocalhost\n');
  const started = await dist.run('start-cluster.sh');
  assert.equal(started.exitCode, 0, started.stderr);
  const [leader, standby] = await waitFor(
    'one JobManager to lead',
    () => {
      const views = [viewOf(dist, 0), viewOf(dist, 1)];
      if (views.some((view) => view === undefined)) return undefined;
      const leading = views.filter((view) => view!.leads);
      return leading.length === 1 ? [leading[0]!, views.find((view) => view !== leading[0])!] : undefined;
    },
    30_000,
  );
  await waitFor('four slots at the leader', async () =>
    (await getJson<Record<string, number>>(leader.restUrl, '/overview'))['slots-total'] === 4 ? true : undefined,
  );

  const submit = (name: string, records: number, rate: number): Promise<SubmittedCounter> =>
    submitKeyedCounter(dist, name, KEYS, records, rate);
  const stateAt = async (url: string, jobId: string): Promise<string> => (await getJson<{ state: string }>(url, `/jobs/${jobId}`)).state;

  // Jobs canceled or finished before the failover: their graphs go, and no later leader runs them again.
  const canceled = await submit('canceled', 1_000_000, 100);
  await waitFor('the first job to run', async () => ((await stateAt(leader.restUrl, canceled.jobId)) === 'RUNNING' ? true : undefined));
  const clusterDir = join(storageDir, clusterId);
  assert.equal(storedJobGraphFiles(clusterDir).length, 1, 'the submitted job graph is persisted under storageDir');
  assert.equal((await dist.run('flink', ['cancel', canceled.jobId])).exitCode, 0);
  await waitFor('the first job to be canceled', async () =>
    (await stateAt(leader.restUrl, canceled.jobId)) === 'CANCELED' ? true : undefined,
  );
  await waitFor('its job graph to be removed', () => (storedJobGraphFiles(clusterDir).length === 0 ? true : undefined));
  const finished = await submit('finished', 400, 2_000);
  await waitFor('the short job to finish', async () => ((await stateAt(leader.restUrl, finished.jobId)) === 'FINISHED' ? true : undefined));
  await waitFor('its job graph to be removed', () => (storedJobGraphFiles(clusterDir).length === 0 ? true : undefined));

  const jobs = [await submit('first', RECORDS, 1_000), await submit('second', RECORDS, 1_000)];
  assert.equal(storedJobGraphFiles(clusterDir).length, 2);
  await waitFor(
    'a completed checkpoint of each job on the leader',
    () => {
      const log = dist.log('standalonesession', leader.instance);
      return jobs.every((job) => new RegExp(`Completed checkpoint [2-9]\\d* for job ${job.jobId}`).test(log)) ? true : undefined;
    },
    30_000,
  );
  process.kill(leader.pid, signal);
  assert.ok(await waitForProcessExit(leader.pid, 15_000), 'the leader is gone');
  await waitFor('the standby to lead', () => (viewOf(dist, standby.instance)?.leads === true ? true : undefined), 30_000);
  for (const job of jobs)
    await waitFor(
      `job ${job.jobId} to finish on the new leader`,
      async () => ((await stateAt(standby.restUrl, job.jobId).catch(() => '')) === 'FINISHED' ? true : undefined),
      120_000,
    );

  const log = dist.log('standalonesession', standby.instance);
  assert.match(log, /Retrieved job ids \[[0-9a-f, ]+\] from the job graph store\./);
  const retrieved = /Retrieved job ids \[([0-9a-f, ]*)\]/.exec(log)![1]!.split(', ').sort();
  assert.deepEqual(retrieved, jobs.map((job) => job.jobId).sort(), 'exactly the two running jobs are recovered, not the ended ones');
  for (const job of jobs) {
    assert.match(log, new RegExp(`Restoring job ${job.jobId} from checkpoint \\d+`));
    const lines = committedLines(job.output);
    const { missing, duplicated } = checkKeyedCounts(lines, KEYS, RECORDS / KEYS);
    assert.deepEqual({ missing: missing.slice(0, 5), duplicated: duplicated.slice(0, 5) }, { missing: [], duplicated: [] });
    assert.equal(lines.length, RECORDS);
  }
  assert.equal((await getJson<{ jobs: unknown[] }>(standby.restUrl, '/jobs')).jobs.length, 2, 'the ended jobs were not run again');
  await waitFor("the finished jobs' graphs to be removed", () => (storedJobGraphFiles(clusterDir).length === 0 ? true : undefined));
  // delete-on-commit (the default): committed results leave the job result store. The commit comes
  // after the graph's removal (Flink's cleanup order), so it is waited for as its own event.
  const resultStore = join(storageDir, 'job-result-store', clusterId);
  await waitFor('the job results to be committed and deleted', () => (readdirSync(resultStore).length === 0 ? true : undefined));
}

describe('ZooKeeper high availability of a session cluster with two JobManagers', () => {
  let zookeeper: ZooKeeperServer;
  const dists: TestDist[] = [];
  before(async () => {
    zookeeper = await ZooKeeperServer.start();
  });
  after(async () => {
    for (const dist of dists) await dist.destroy();
    await zookeeper?.stop();
  });
  const sessionDist = (): TestDist => {
    const dist = haDist(zookeeper, { 'taskmanager.numberOfTaskSlots': 2 });
    dists.push(dist);
    return dist;
  };

  it('kill -9 of the leader: the standby recovers both running jobs from their checkpoints; ended jobs stay gone', async () => {
    await sessionFailover(sessionDist(), 'SIGKILL');
  });

  it('graceful stop of the leader: its jobs are suspended, not ended, and the standby recovers both', async () => {
    await sessionFailover(sessionDist(), 'SIGTERM');
  });
});
