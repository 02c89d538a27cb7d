import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { countMatches, processExists, waitForProcessExit } from '../helpers/cluster-probes.js';
import { getJson, restUrlFrom, TestDist, waitFor } from '../helpers/test-dist.js';

interface TaskManagersResponse {
  taskmanagers: Array<{ id: string }>;
}

const REGISTRATION_FAILURE = /Could not register at the ResourceManager within the specified maximum registration duration 2000 ms/;

/** Resource ids embed the TaskManager's pid (`host:<pid>-<hex>`). */
async function registeredPids(url: string): Promise<number[]> {
  const body = await getJson<TaskManagersResponse>(url, '/taskmanagers');
  return body.taskmanagers.map((tm) => Number(/:(\d+)-[0-9a-f]+$/.exec(tm.id)?.[1]));
}

/**
 * The JobManager lists a TaskManager as soon as it accepts the registration, a moment before
 * the TaskManager reads the answer and logs it: wait for the log too.
 */
async function registrationsLogged(dist: TestDist, count: number): Promise<void> {
  await waitFor(`the TaskManager to log registration ${count}`, () =>
    countMatches(dist.log('taskexecutor', 0), /Successful registration at resource manager/) >= count ? true : undefined,
  );
}

async function startJobManager(dist: TestDist): Promise<string> {
  const started = await dist.run('jobmanager.sh', ['start']);
  assert.equal(started.exitCode, 0, started.stderr);
  return restUrlFrom(started.stdout);
}

describe('TaskManager registration', () => {
  const dists: TestDist[] = [];
  const newDist = (config: Record<string, string | number | boolean>): TestDist => {
    const dist = TestDist.create({ config });
    dists.push(dist);
    return dist;
  };
  after(async () => {
    await Promise.all(dists.map((d) => d.destroy()));
  });

  it('a TaskManager started before its JobManager says it is waiting, then registers as soon as the JobManager is up', async () => {
    // A 20 s first retry: only the watch on the runtime dir can make the TaskManager register sooner.
    const dist = newDist({ 'cluster.registration.initial-timeout': '20 s', 'cluster.registration.max-timeout': '20 s' });
    const tm = await dist.run('taskmanager.sh', ['start']);
    assert.equal(tm.exitCode, 0, tm.stderr);
    assert.match(
      tm.stderr,
      /is running but cannot reach a JobManager yet .*it keeps trying for 300 s \(taskmanager\.registration\.timeout\)/,
    );
    const tmPid = dist.pids('taskexecutor')[0]!;
    assert.ok(processExists(tmPid));
    const url = await startJobManager(dist);
    const readyAt = Date.now();
    await waitFor(
      'the waiting TaskManager to register',
      async () => ((await registeredPids(url)).includes(tmPid) ? true : undefined),
      10_000,
    );
    assert.ok(Date.now() - readyAt < 10_000, 'registered well before the 20 s retry');
    await registrationsLogged(dist, 1);
  });

  it('a TaskManager outlives a stopped JobManager and registers with a new one on the same conf', async () => {
    const dist = newDist({ 'heartbeat.interval': '200 ms', 'heartbeat.timeout': '3 s' });
    const firstUrl = await startJobManager(dist);
    const tm = await dist.run('taskmanager.sh', ['start']);
    assert.equal(tm.exitCode, 0, tm.stderr);
    const tmPid = dist.pids('taskexecutor')[0]!;
    assert.deepEqual(await registeredPids(firstUrl), [tmPid]);

    const stop = await dist.run('jobmanager.sh', ['stop']);
    assert.equal(stop.exitCode, 0, stop.stderr);
    await waitFor('the TaskManager to notice', () =>
      /Lost the connection to the JobManager/.test(dist.log('taskexecutor', 0)) ? true : undefined,
    );
    // It outlived the loss: the same pid registers with the new JobManager below.
    assert.ok(processExists(tmPid), 'the TaskManager keeps running without a JobManager');

    const secondUrl = await startJobManager(dist);
    await waitFor(
      'the TaskManager to register with the new JobManager',
      async () => ((await registeredPids(secondUrl)).includes(tmPid) ? true : undefined),
      15_000,
    );
    await registrationsLogged(dist, 2);
    assert.equal(countMatches(dist.log('taskexecutor', 0), /Successful registration at resource manager/), 2);
  });

  it('a TaskManager that finds no JobManager within taskmanager.registration.timeout exits non-zero and logs why', async () => {
    const dist = newDist({ 'taskmanager.registration.timeout': '2 s' });
    const foreground = dist.startForeground('taskmanager.sh');
    const result = await Promise.race([foreground, sleep(30_000).then(() => undefined)]);
    assert.ok(result !== undefined, 'the foreground TaskManager exited by itself');
    assert.notEqual(result.exitCode, 0);
    assert.match(String(result.all), REGISTRATION_FAILURE);

    const daemon = await dist.run('taskmanager.sh', ['start']);
    assert.equal(daemon.exitCode, 0, daemon.stderr);
    assert.match(daemon.stderr, /keeps trying for 2 s/);
    const pid = dist.pids('taskexecutor').at(-1)!;
    assert.ok(await waitForProcessExit(pid, 20_000), 'the daemon TaskManager gave up and exited');
    assert.match(dist.log('taskexecutor', 1), REGISTRATION_FAILURE);
    assert.match(dist.log('taskexecutor', 1), /ERROR/);
  });

  it('a TaskManager frozen with SIGSTOP is dropped after heartbeat.timeout and registers again after SIGCONT', async () => {
    const dist = newDist({ 'heartbeat.interval': '200 ms', 'heartbeat.timeout': '2 s' });
    const url = await startJobManager(dist);
    const tm = await dist.run('taskmanager.sh', ['start']);
    assert.equal(tm.exitCode, 0, tm.stderr);
    const tmPid = dist.pids('taskexecutor')[0]!;
    assert.deepEqual(await registeredPids(url), [tmPid]);
    process.kill(tmPid, 'SIGSTOP');
    try {
      await waitFor(
        'the frozen TaskManager to be dropped',
        async () => ((await registeredPids(url)).length === 0 ? true : undefined),
        20_000,
      );
      assert.match(dist.log('standalonesession', 0), /heartbeat of TaskManager with id \S+ timed out after 2000 ms/);
    } finally {
      process.kill(tmPid, 'SIGCONT');
    }
    await waitFor(
      'the resumed TaskManager to register again',
      async () => ((await registeredPids(url)).includes(tmPid) ? true : undefined),
      20_000,
    );
    await registrationsLogged(dist, 2);
    const tmLog = dist.log('taskexecutor', 0);
    assert.equal(countMatches(tmLog, /Successful registration at resource manager/), 2);
    assert.match(tmLog, /Lost the connection to the JobManager|The JobManager disconnected this TaskManager/);
  });
});
