import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { processExists, waitForProcessExit } from '../helpers/cluster-probes.js';
import { getJson, restUrlFrom, TestDist } from '../helpers/test-dist.js';

/**
 * A job's main that never submits a job (issue 12) runs on its own thread: the JobManager's REST,
 * RPC and signals keep working, `start` says what is going on, and `stop` stops it.
 */
describe("a job's main that never returns", () => {
  const dists: TestDist[] = [];
  after(async () => {
    await Promise.all(dists.map((dist) => dist.destroy()));
  });

  for (const [fixture, mainClass, what] of [
    ['busy-main', 'org.tsflink.fixtures.BusyMain', 'computes forever'],
    ['waiting-main', 'org.tsflink.fixtures.WaitingMain', 'waits forever'],
  ] as const) {
    it(`leaves REST answering and stop working when it ${what}`, async () => {
      const dist = TestDist.create();
      dists.push(dist);
      dist.addFixtureJob(fixture);
      const start = await dist.run('standalone-job.sh', ['start', '-j', mainClass]);
      const said = `${start.stdout}${start.stderr}`;
      assert.equal(start.exitCode, 0, said);
      assert.match(said, new RegExp(`the job's main \\(${mainClass}\\) has run for 10 s without submitting a job`));
      const [pid] = dist.pids('standalonejob');
      const overview = await getJson<{ 'jobs-running': number; taskmanagers: number }>(restUrlFrom(said), '/overview');
      assert.equal(overview['jobs-running'], 0);
      // The thread dump shows where main is: on its own thread, not the one answering REST.
      const { threadInfos } = await getJson<{ threadInfos: Array<{ threadName: string; stringifiedThreadInfo: string }> }>(
        restUrlFrom(said),
        '/jobmanager/thread-dump',
      );
      assert.equal(threadInfos[0]!.threadName, 'main');
      const mainThread = threadInfos.find((thread) => thread.threadName.startsWith('worker-'));
      assert.ok(mainThread, `no worker thread in ${threadInfos.map((thread) => thread.threadName).join(', ')}`);
      if (fixture === 'busy-main') assert.match(mainThread.stringifiedThreadInfo, /busy-main\.mjs/);
      assert.ok(processExists(pid!));
      const stop = await dist.run('standalone-job.sh', ['stop']);
      assert.equal(stop.exitCode, 0, stop.stderr);
      assert.ok(await waitForProcessExit(pid!, 15_000), `the JobManager (pid ${pid}) is still running after stop`);
    });
  }
});
