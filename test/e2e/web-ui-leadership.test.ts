import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { JobManagerLeadershipInfo } from '../../src/rest/types/responses.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium.js';
import { waitForProcessExit } from '../helpers/cluster-probes.js';
import { haDist } from '../helpers/ha-dist.js';
import { freePort } from '../helpers/prometheus-server.js';
import { getJson, TestDist, waitFor } from '../helpers/test-dist.js';
import { ZooKeeperServer } from '../helpers/zookeeper-server.js';

/** The REST URL and pid a session JobManager logged. */
function jobManagerOf(dist: TestDist, instance: number): { url: string; pid: number } | undefined {
  const log = dist.log('standalonesession', instance);
  const url = /Web frontend listening at (\S+)\./.exec(log)?.[1];
  const pid = /pid (\d+)\)/.exec(log)?.[1];
  return url === undefined || pid === undefined ? undefined : { url, pid: Number(pid) };
}

/** The text of the leadership card's row with this test id. */
async function row(page: Page, testid: string): Promise<string> {
  return ((await page.locator(`[data-testid="${testid}"]`).textContent()) ?? '').trim();
}

describe('the web UI and REST show which JobManager leads', () => {
  let zookeeper: ZooKeeperServer;
  let dist: TestDist;
  const userDataDir = mkdtempSync(join(tmpdir(), 'tsf-chromium-'));
  let context: BrowserContext | undefined;

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install it with 'apt-get install -y chromium'`);
    zookeeper = await ZooKeeperServer.start();
    dist = haDist(zookeeper, { 'web.refresh-interval': '300 ms' });
    for (let i = 0; i < 2; i++) {
      const started = await dist.run('jobmanager.sh', ['start', 'localhost', String(await freePort())]);
      assert.equal(started.exitCode, 0, started.stderr);
    }
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  });
  after(async () => {
    await context?.close();
    await dist?.destroy();
    await zookeeper?.stop();
    rmSync(userDataDir, { recursive: true, force: true });
  });

  it('GET /jobmanager/leadership on either JobManager names the leader; the Job Manager page shows it, also after a failover', async () => {
    const jobManagers = await waitFor('both JobManagers to listen', () => {
      const both = [jobManagerOf(dist, 0), jobManagerOf(dist, 1)];
      return both.every((jm) => jm !== undefined) ? both.map((jm) => jm) : undefined;
    });
    const answers = await waitFor('a leader', async () => {
      const infos = await Promise.all(jobManagers.map((jm) => getJson<JobManagerLeadershipInfo>(jm.url, '/jobmanager/leadership')));
      return infos.some((info) => info['is-leader']) ? infos : undefined;
    });
    const leaderIndex = answers.findIndex((info) => info['is-leader']);
    const leader = jobManagers[leaderIndex]!;
    const standby = jobManagers[1 - leaderIndex]!;
    // The standby answers this one itself (every other path it redirects), naming the leader.
    assert.deepEqual(answers[1 - leaderIndex], {
      'high-availability': 'zookeeper',
      address: standby.url,
      'is-leader': false,
      'leader-address': leader.url,
    });
    assert.deepEqual(answers[leaderIndex], {
      'high-availability': 'zookeeper',
      address: leader.url,
      'is-leader': true,
      'leader-address': leader.url,
    });

    const page = await context!.newPage();
    await page.goto(`${leader.url}/#/job-manager/config`);
    await waitFor('the leadership card', async () => ((await row(page, 'leadership-self')).includes('the leader') ? true : undefined));
    assert.equal(await row(page, 'leadership-ha'), 'High availabilityzookeeper');
    assert.equal(await row(page, 'leadership-leader'), `Leader${leader.url}`);
    assert.equal(await row(page, 'leadership-self'), `This JobManager${leader.url}, the leader`);

    process.kill(leader.pid, 'SIGKILL');
    assert.ok(await waitForProcessExit(leader.pid, 15_000));
    await waitFor(
      'the standby to lead',
      async () => ((await getJson<JobManagerLeadershipInfo>(standby.url, '/jobmanager/leadership'))['is-leader'] ? true : undefined),
      30_000,
    );
    await page.goto(`${standby.url}/#/job-manager/config`);
    await waitFor('the new leader in the card', async () =>
      (await row(page, 'leadership-self')) === `This JobManager${standby.url}, the leader` ? true : undefined,
    );
    assert.equal(await row(page, 'leadership-leader'), `Leader${standby.url}`);
  });
});
