import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getJson, restUrlFrom, TestDist, waitFor } from '../helpers/test-dist.js';

interface TaskManagersResponse {
  taskmanagers: Array<{ id: string; slotsNumber: number; freeSlots: number; timeSinceLastHeartbeat: number }>;
}

const taskManagerIds = async (url: string): Promise<string[]> =>
  (await getJson<TaskManagersResponse>(url, '/taskmanagers')).taskmanagers.map((tm) => tm.id).sort();

/** Resource ids embed the TaskManager's pid (`host:<pid>-<hex>`). */
const idOfPid = (ids: string[], pid: number): string | undefined => ids.find((id) => id.includes(`:${pid}-`));

describe('a session cluster through the bin scripts', () => {
  const dist = TestDist.create({
    config: { 'heartbeat.interval': '200 ms', 'heartbeat.timeout': '2 s', 'taskmanager.numberOfTaskSlots': 2 },
  });
  let url = '';

  before(async () => {
    const started = await dist.run('jobmanager.sh', ['start']);
    assert.equal(started.exitCode, 0, started.stderr);
    assert.match(started.stdout, /^Starting standalonesession daemon on host .+\.$/m);
    url = restUrlFrom(started.stdout);
  });
  after(() => dist.destroy());

  it('registers three TaskManagers, each visible in /taskmanagers with its slots', async () => {
    for (let i = 0; i < 3; i++) {
      const result = await dist.run('taskmanager.sh', ['start']);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.stdout, /Starting taskexecutor daemon on host/);
      assert.match(result.stdout, /registered with the JobManager/);
    }
    const body = await getJson<TaskManagersResponse>(url, '/taskmanagers');
    assert.equal(body.taskmanagers.length, 3);
    assert.ok(body.taskmanagers.every((tm) => tm.slotsNumber === 2 && tm.freeSlots === 2));
    const overview = await getJson<Record<string, number>>(url, '/overview');
    assert.equal(overview['taskmanagers'], 3);
    assert.equal(overview['slots-total'], 6);
    assert.equal(dist.pids('taskexecutor').length, 3);
    assert.ok(dist.log('taskexecutor', 2).includes('Successful registration'), 'third TaskManager logs to instance 2');
  });

  it('stop removes the most recently started TaskManager', async () => {
    const pids = dist.pids('taskexecutor');
    const newest = pids[pids.length - 1]!;
    const result = await dist.run('taskmanager.sh', ['stop']);
    assert.equal(result.exitCode, 0);
    assert.match(result.stdout, new RegExp(`Stopping taskexecutor daemon \\(pid: ${newest}\\) on host`));
    assert.deepEqual(dist.pids('taskexecutor'), pids.slice(0, -1));
    const ids = await waitFor('the newest TaskManager to leave', async () => {
      const current = await taskManagerIds(url);
      return current.length === 2 ? current : undefined;
    });
    assert.equal(idOfPid(ids, newest), undefined);
    assert.match(dist.log('standalonesession', 0), /TaskManager stopped: The TaskExecutor is shutting down/);
  });

  it('notices a TaskManager killed with SIGKILL within a second or so', async () => {
    const victim = dist.pids('taskexecutor')[0]!;
    const killedAt = Date.now();
    process.kill(victim, 'SIGKILL');
    await waitFor(
      'the killed TaskManager to be dropped',
      async () => (idOfPid(await taskManagerIds(url), victim) === undefined ? true : undefined),
      5000,
    );
    assert.ok(Date.now() - killedAt < 5000);
    // The kernel closes a killed process's socket with FIN, or with RST when data was still unread: both are a close.
    assert.match(dist.log('standalonesession', 0), /lost: connection closed \((socket closed by peer|socket error: read ECONNRESET)\)/);
  });

  it('declares a stopped (SIGSTOP) TaskManager lost after heartbeat.timeout, and takes it back when it resumes', async () => {
    const victim = dist.pids('taskexecutor')[1]!;
    const before = await taskManagerIds(url);
    assert.ok(idOfPid(before, victim) !== undefined);
    process.kill(victim, 'SIGSTOP');
    const stoppedAt = Date.now();
    try {
      await waitFor(
        'the hung TaskManager to time out',
        async () => (idOfPid(await taskManagerIds(url), victim) === undefined ? true : undefined),
        15_000,
      );
      const detection = Date.now() - stoppedAt;
      assert.ok(detection >= 1500, `declared lost after ${detection} ms, before the 2 s heartbeat timeout`);
      assert.match(dist.log('standalonesession', 0), /timed out after 2000 ms/);
    } finally {
      process.kill(victim, 'SIGCONT');
    }
    await waitFor(
      'the resumed TaskManager to register again',
      async () => (idOfPid(await taskManagerIds(url), victim) !== undefined ? true : undefined),
      15_000,
    );
  });

  it('stop-all stops every TaskManager, oldest first, and skips dead ones', async () => {
    const pids = dist.pids('taskexecutor');
    const result = await dist.run('taskmanager.sh', ['stop-all']);
    assert.equal(result.exitCode, 0);
    const stopped = [...result.stdout.matchAll(/Stopping taskexecutor daemon \(pid: (\d+)\)/g)].map((m) => Number(m[1]));
    const skipped = [...result.stdout.matchAll(/Skipping taskexecutor daemon \(pid: (\d+)\), because it is not running anymore on/g)].map(
      (m) => Number(m[1]),
    );
    assert.deepEqual([...stopped, ...skipped].sort(), [...pids].sort());
    assert.deepEqual(
      result.stdout.match(/pid: (\d+)/g)?.map((s) => Number(s.slice(5))),
      pids,
      'file order, oldest first',
    );
    assert.deepEqual(dist.pids('taskexecutor'), []);
    await waitFor('no TaskManagers left', async () => ((await taskManagerIds(url)).length === 0 ? true : undefined));
  });

  it('says there is nothing to stop when no pid file exists', async () => {
    const result = await dist.run('taskmanager.sh', ['stop']);
    assert.equal(result.exitCode, 0);
    assert.match(result.stdout, /^No taskexecutor daemon to stop on host .+\.$/m);
  });
});
